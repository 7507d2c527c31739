package dev.simplecall.internal.media;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.simplecall.VideoSource;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Where a peer connection's outgoing video comes from: a track made for it alone ({@link #OWN}), or
 * one track per source shared by every connection of a room ({@link #shared()}), so that a camera,
 * screen or test pattern is captured once however many members it is sent to. A connection acquires
 * its track, then on close stops it (the first step of the safe dispose order) and releases it; a
 * shared track's producer stops and its track is disposed only when its last connection releases it.
 */
public interface LocalVideos {
  /** Makes (or, shared, reuses) the track for {@code spec}; throws {@link VideoUnavailableException}. */
  LocalVideo acquire(PeerConnectionFactory factory, VideoSource spec);

  /** A connection closes: the producer stops, unless other connections still send the track. */
  void stop(LocalVideo video);

  /** A connection no longer sends the track: it is disposed once nothing sends it. */
  void release(LocalVideo video);

  /** Each connection its own track. */
  LocalVideos OWN = new LocalVideos() {
    @Override
    public LocalVideo acquire(PeerConnectionFactory factory, VideoSource spec) {
      return LocalVideo.create(factory, spec, "video-" + System.nanoTime());
    }

    @Override
    public void stop(LocalVideo video) {
      video.stop();
    }

    @Override
    public void release(LocalVideo video) {
      video.close();
    }
  };

  /** One track per source (the same {@link VideoSource} object) for every connection that sends it. */
  static LocalVideos shared() {
    return new LocalVideos() {
      private final Map<VideoSource, LocalVideo> bySource = new IdentityHashMap<>();
      private final Map<LocalVideo, VideoSource> sources = new IdentityHashMap<>();
      private final Map<LocalVideo, Integer> users = new IdentityHashMap<>();

      @Override
      public synchronized LocalVideo acquire(PeerConnectionFactory factory, VideoSource spec) {
        LocalVideo v = bySource.get(spec);
        if (v == null) {
          v = LocalVideo.create(factory, spec, "video-" + System.nanoTime());
          bySource.put(spec, v);
          sources.put(v, spec);
        }
        users.merge(v, 1, Integer::sum);
        return v;
      }

      @Override
      public synchronized void stop(LocalVideo video) {
        if (users.getOrDefault(video, 0) <= 1) video.stop();
      }

      @Override
      public void release(LocalVideo video) {
        synchronized (this) {
          int left = users.getOrDefault(video, 1) - 1;
          if (left > 0) {
            users.put(video, left);
            return;
          }
          users.remove(video);
          bySource.remove(sources.remove(video));
        }
        video.close();
      }
    };
  }
}
