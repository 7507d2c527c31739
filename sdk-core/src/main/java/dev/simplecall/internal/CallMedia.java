package dev.simplecall.internal;

import dev.simplecall.IceServer;
import dev.simplecall.IceTransportPolicy;
import dev.simplecall.VideoSource;
import dev.simplecall.internal.media.MediaEngine;
import dev.simplecall.internal.webrtc.WebRtcPeer;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The media side of one session: the engine made ahead of the call, the call's peer connection, the
 * release at the end. {@link ClientContext#callMedia} makes the native one; tests give a fake, so the
 * call rules run without libwebrtc. Called on the session thread.
 */
public interface CallMedia {
  /**
   * Makes the engine if it is not made yet. Throws {@code AudioUnavailableException} when a device the
   * app asked for cannot work, or another {@link RuntimeException} or {@link LinkageError} when the
   * native library cannot start.
   */
  void prepare();

  /** The call's peer connection; {@link #prepare()} has succeeded. */
  CallPeer newPeer(List<IceServer> servers, IceTransportPolicy policy, Executor session, Executor callbacks,
      WebRtcPeer.Events events);

  /** Applies a device switch to the engine; {@link IllegalStateException} before {@link #prepare()}. */
  void switchDevice(Consumer<MediaEngine> op);

  /** From now on every peer connection made here sends one track per video and audio source (a room's). */
  default void shareLocalTracks() {}

  /**
   * Makes (or finds) the shared track for {@code spec} and keeps it until {@link #releaseHeld}, so that
   * every connection switching to it reuses it; throws {@code VideoUnavailableException} when the source
   * cannot start. Only with {@link #shareLocalTracks()}; returns what {@link #releaseHeld} takes.
   */
  default Object holdVideo(VideoSource spec) {
    return null;
  }

  /** Lets go of a track from {@link #holdVideo}; it is disposed once no connection sends it. */
  default void releaseHeld(Object held) {}

  /** Releases the engine (after the peer connection is closed). Idempotent. */
  void release();
}
