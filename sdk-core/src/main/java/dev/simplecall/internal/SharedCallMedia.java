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
 * One engine for every connection of a room: its audio device module captures the microphone once for
 * all of them and plays the mix of all remote audio, and each video and audio source is captured once,
 * its track sent on every connection. Each connection's session gets a {@link #forPair()}
 * view whose release does nothing; the room releases the engine once every connection is closed.
 * Sessions call it from their own threads, so every use is synchronized.
 */
final class SharedCallMedia {
  private final CallMedia media;
  private boolean released;

  SharedCallMedia(CallMedia media) {
    this.media = media;
    media.shareLocalTracks(); // one track per source for all connections: captured and mixed in once
  }

  /** Makes the engine; throws as {@link CallMedia#prepare()}. */
  synchronized void prepare() {
    if (released) throw new IllegalStateException("the room has ended");
    media.prepare();
  }

  synchronized void switchDevice(Consumer<MediaEngine> op) {
    media.switchDevice(op);
  }

  /** See {@link CallMedia#holdVideo}. */
  synchronized Object holdVideo(VideoSource spec) {
    if (released) throw new IllegalStateException("the room has ended");
    return media.holdVideo(spec);
  }

  synchronized void releaseHeld(Object held) {
    if (!released) media.releaseHeld(held);
  }

  /** Releases the engine; the room has closed every connection. Idempotent. */
  synchronized void release() {
    released = true;
    media.release();
  }

  /** The view one connection's session uses. */
  CallMedia forPair() {
    return new CallMedia() {
      @Override
      public void prepare() {
        SharedCallMedia.this.prepare();
      }

      @Override
      public CallPeer newPeer(List<IceServer> servers, IceTransportPolicy policy, Executor session, Executor callbacks,
          WebRtcPeer.Events events) {
        synchronized (SharedCallMedia.this) {
          if (released) throw new IllegalStateException("the room has ended");
          return media.newPeer(servers, policy, session, callbacks, events);
        }
      }

      @Override
      public void switchDevice(Consumer<MediaEngine> op) {
        SharedCallMedia.this.switchDevice(op);
      }

      @Override
      public void release() {
        // the room's: released once every connection has closed
      }
    };
  }
}
