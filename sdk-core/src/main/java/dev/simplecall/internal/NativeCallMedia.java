package dev.simplecall.internal;

import dev.simplecall.IceServer;
import dev.simplecall.IceTransportPolicy;
import dev.simplecall.MediaOptions;
import dev.simplecall.VideoSource;
import dev.simplecall.internal.media.LocalTracks;
import dev.simplecall.internal.media.LocalVideo;
import dev.simplecall.internal.media.MediaEngine;
import dev.simplecall.internal.webrtc.WebRtcPeer;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/** A session's media on libwebrtc: an engine from the client ({@link ClientContext#acquireEngine}). */
final class NativeCallMedia implements CallMedia {
  private final ClientContext ctx;
  private final MediaOptions media;
  private MediaEngine engine;
  private LocalTracks sources = LocalTracks.own();

  NativeCallMedia(ClientContext ctx, MediaOptions media) {
    this.ctx = ctx;
    this.media = media;
  }

  @Override
  public void prepare() {
    if (engine == null) engine = ctx.acquireEngine(media);
  }

  @Override
  public CallPeer newPeer(List<IceServer> servers, IceTransportPolicy policy, Executor session, Executor callbacks,
      WebRtcPeer.Events events) {
    return new WebRtcPeer(engine, media, servers, policy, session, callbacks, events, sources);
  }

  @Override
  public void shareLocalTracks() {
    sources = LocalTracks.shared();
  }

  @Override
  public Object holdVideo(VideoSource spec) {
    if (engine == null) throw new IllegalStateException("no engine yet");
    return sources.acquireVideo(engine.factory(), spec);
  }

  @Override
  public void releaseHeld(Object held) {
    if (held instanceof LocalVideo v) {
      sources.stopVideo(v);
      sources.releaseVideo(v);
    }
  }

  @Override
  public void switchDevice(Consumer<MediaEngine> op) {
    if (engine == null) throw new IllegalStateException("no call yet: choose devices in MediaOptions");
    op.accept(engine);
  }

  @Override
  public void release() {
    MediaEngine e = engine;
    engine = null;
    ctx.releaseEngine(e); // null-safe
  }
}
