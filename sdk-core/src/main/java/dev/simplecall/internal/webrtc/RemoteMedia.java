package dev.simplecall.internal.webrtc;

import dev.onvoid.webrtc.media.MediaStreamTrack;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.video.I420Buffer;
import dev.onvoid.webrtc.media.video.VideoFrame;
import dev.onvoid.webrtc.media.video.VideoTrack;
import dev.onvoid.webrtc.media.video.VideoTrackSink;
import dev.simplecall.AudioSink;
import dev.simplecall.VideoFrameData;
import dev.simplecall.VideoFrameSink;
import dev.simplecall.internal.media.Dispose;
import dev.simplecall.internal.media.MediaEngine;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes native video frames (remote, and local preview) and remote audio to app sinks. Frame
 * callbacks arrive on native threads: each frame is wrapped without copying, handed to the sinks,
 * and always {@code release()}d. Track and sink changes (which call into native code) happen on the
 * session thread only, never on a native callback thread. Remote tracks are never disposed here
 * (the peer connection owns them).
 */
public final class RemoteMedia {
  private static final Logger log = LoggerFactory.getLogger(RemoteMedia.class);

  private final MediaEngine engine;
  private final Runnable onFirstFrame;
  private final List<VideoFrameSink> remoteSinks = new CopyOnWriteArrayList<>();
  private final List<VideoFrameSink> localSinks = new CopyOnWriteArrayList<>();
  private final List<AudioSink> audioSinks = new CopyOnWriteArrayList<>();
  private final AtomicBoolean firstFrame = new AtomicBoolean();
  private final AtomicLong framesReceived = new AtomicLong();
  private final VideoTrackSink remoteDispatch = f -> dispatch(f, remoteSinks, true);
  private final VideoTrackSink localDispatch = f -> dispatch(f, localSinks, false);
  /** Guarded by {@code this}. */
  private VideoTrack remoteVideo;
  private AudioTrack remoteAudio;
  private VideoTrack localVideo;
  private boolean closed;

  RemoteMedia(MediaEngine engine, Runnable onFirstFrame) {
    this.engine = engine;
    this.onFirstFrame = onFirstFrame;
  }

  public long framesReceived() {
    return framesReceived.get();
  }

  private void dispatch(VideoFrame frame, List<VideoFrameSink> sinks, boolean remote) {
    try {
      if (remote) {
        framesReceived.incrementAndGet();
        if (firstFrame.compareAndSet(false, true)) onFirstFrame.run();
      }
      if (sinks.isEmpty()) return;
      I420Buffer b = frame.buffer.toI420();
      try {
        VideoFrameData d = new VideoFrameData(b.getWidth(), b.getHeight(), frame.timestampNs,
            b.getDataY(), b.getStrideY(), b.getDataU(), b.getStrideU(), b.getDataV(), b.getStrideV());
        for (VideoFrameSink s : sinks) {
          try {
            s.onFrame(d);
          } catch (Throwable t) {
            log.warn("video sink threw", t);
          }
        }
      } finally {
        if (b != frame.buffer) b.release();
      }
    } catch (Throwable t) {
      log.warn("video frame dispatch failed", t);
    } finally {
      try {
        frame.release();
      } catch (Throwable t) {
        log.warn("frame release failed", t);
      }
    }
  }

  synchronized void onTrack(MediaStreamTrack track) {
    if (closed) return;
    if (track instanceof VideoTrack v) {
      if (remoteVideo != null) remoteVideo.removeSink(remoteDispatch);
      remoteVideo = v;
      v.addSink(remoteDispatch);
    } else if (track instanceof AudioTrack a) {
      if (remoteAudio != null) for (AudioSink s : audioSinks) engine.removeRemoteSink(remoteAudio, s);
      remoteAudio = a;
      for (AudioSink s : audioSinks) engine.addRemoteSink(a, s);
    }
  }

  synchronized void onRemoveTrack(MediaStreamTrack track) {
    if (track == null) return;
    if (remoteVideo != null && track.getId().equals(remoteVideo.getId())) {
      remoteVideo.removeSink(remoteDispatch);
      remoteVideo = null;
    } else if (remoteAudio != null && track.getId().equals(remoteAudio.getId())) {
      for (AudioSink s : audioSinks) engine.removeRemoteSink(remoteAudio, s);
      remoteAudio = null;
    }
  }

  synchronized void attachLocal(VideoTrack track) {
    localVideo = track;
    track.addSink(localDispatch);
  }

  synchronized void detachLocal(VideoTrack track) {
    track.removeSink(localDispatch);
    if (localVideo == track) localVideo = null;
  }

  public void addVideoSink(VideoFrameSink s) {
    remoteSinks.add(s);
  }

  public void removeVideoSink(VideoFrameSink s) {
    remoteSinks.remove(s);
  }

  public void addLocalSink(VideoFrameSink s) {
    localSinks.add(s);
  }

  public void removeLocalSink(VideoFrameSink s) {
    localSinks.remove(s);
  }

  public synchronized void addAudioSink(AudioSink s) {
    audioSinks.add(s);
    if (remoteAudio != null && !closed) engine.addRemoteSink(remoteAudio, s);
  }

  public synchronized void removeAudioSink(AudioSink s) {
    if (audioSinks.remove(s) && remoteAudio != null && !closed) engine.removeRemoteSink(remoteAudio, s);
  }

  /** Removes every native sink (before the peer connection closes). */
  synchronized void close() {
    if (closed) return;
    closed = true;
    VideoTrack rv = remoteVideo;
    VideoTrack lv = localVideo;
    AudioTrack ra = remoteAudio;
    // each removal guarded: webrtc-java can throw an Error from native sink removal, and one failure
    // must not skip the rest of the teardown
    if (rv != null) Dispose.quietly("remote video sink", () -> rv.removeSink(remoteDispatch));
    if (lv != null) Dispose.quietly("local video sink", () -> lv.removeSink(localDispatch));
    if (ra != null) {
      for (AudioSink s : audioSinks) Dispose.quietly("remote audio sink", () -> engine.removeRemoteSink(ra, s));
    }
    remoteVideo = null;
    remoteAudio = null;
    localVideo = null;
  }
}
