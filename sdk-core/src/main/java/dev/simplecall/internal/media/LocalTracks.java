package dev.simplecall.internal.media;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.simplecall.AudioSource;
import dev.simplecall.VideoSource;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Where a peer connection's outgoing tracks come from: made for it alone ({@link #own()}), or one track
 * per source shared by every connection of a room ({@link #shared()}), so that a camera, screen or test
 * pattern is captured once and a tone or file is mixed in once, however many members it is sent to. A
 * connection acquires its tracks, then on close stops its video (the first step of the safe dispose
 * order) and releases both; a shared track's producer stops and the track is disposed only when its
 * last connection releases it. Sources are told apart by identity (the same {@link VideoSource} or
 * {@link AudioSource} object).
 */
public final class LocalTracks {
  private final boolean shared;
  private final Users<LocalVideo> videos = new Users<>();
  private final Users<AppPcm> audios = new Users<>();

  private LocalTracks(boolean shared) {
    this.shared = shared;
  }

  /** Each connection its own tracks. */
  public static LocalTracks own() {
    return new LocalTracks(false);
  }

  /** One track per source for every connection that sends it. */
  public static LocalTracks shared() {
    return new LocalTracks(true);
  }

  /** Makes (or, shared, reuses) the video track for {@code spec}; throws {@link VideoUnavailableException}. */
  public LocalVideo acquireVideo(PeerConnectionFactory factory, VideoSource spec) {
    Supplier<LocalVideo> make = () -> LocalVideo.create(factory, spec, "video-" + System.nanoTime());
    return shared ? videos.acquire(spec, make) : make.get();
  }

  /** A connection closes: the producer stops, unless other connections still send the track. */
  public void stopVideo(LocalVideo video) {
    if (!shared || videos.users(video) <= 1) video.stop();
  }

  /** A connection no longer sends the track: it is disposed once nothing sends it. */
  public void releaseVideo(LocalVideo video) {
    if (!shared || videos.release(video)) video.close();
  }

  /** Makes (or, shared, reuses) the audio track for {@code spec} (not NONE); throws as {@link MediaEngine#createTrack}. */
  public AppPcm acquireAudio(MediaEngine engine, AudioSource spec) {
    Supplier<AppPcm> make = () -> engine.createTrack("audio-" + System.nanoTime(), spec);
    return shared ? audios.acquire(spec, make) : make.get();
  }

  /** A connection no longer sends the track: it leaves the engine's mix once nothing sends it. */
  public void releaseAudio(AppPcm audio) {
    if (!shared || audios.release(audio)) audio.close();
  }

  /** Values made once per key and counted by their users. */
  private static final class Users<V> {
    private final Map<Object, V> byKey = new IdentityHashMap<>();
    private final Map<V, Object> keys = new IdentityHashMap<>();
    private final Map<V, Integer> users = new IdentityHashMap<>();

    synchronized V acquire(Object key, Supplier<V> make) {
      V v = byKey.get(key);
      if (v == null) {
        v = make.get();
        byKey.put(key, v);
        keys.put(v, key);
      }
      users.merge(v, 1, Integer::sum);
      return v;
    }

    synchronized int users(V v) {
      return users.getOrDefault(v, 0);
    }

    /** True when {@code v}'s last user released it: the caller closes it. */
    synchronized boolean release(V v) {
      int left = users.getOrDefault(v, 1) - 1;
      if (left > 0) {
        users.put(v, left);
        return false;
      }
      users.remove(v);
      byKey.remove(keys.remove(v));
      return true;
    }
  }
}
