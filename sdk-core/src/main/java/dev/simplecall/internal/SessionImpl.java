package dev.simplecall.internal;

import dev.simplecall.AppAudioSource;
import dev.simplecall.AppVideoSource;
import dev.simplecall.AudioSink;
import dev.simplecall.AudioSource;
import dev.simplecall.CallSession;
import dev.simplecall.CallState;
import dev.simplecall.CallStats;
import dev.simplecall.DataChannel;
import dev.simplecall.DataChannelOptions;
import dev.simplecall.EndReason;
import dev.simplecall.SessionOptions;
import dev.simplecall.VideoFrameSink;
import dev.simplecall.VideoSource;
import dev.simplecall.protocol.Names;
import dev.simplecall.spi.SignalingTransportFactory;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@link CallSession} apps hold: argument checks, then every operation is posted to the
 * session's own thread, where {@link CallController} owns all mutable state. Methods return
 * without waiting for the network or for the session thread.
 */
public final class SessionImpl implements CallSession {
  public static final String NO_ROUTE = CallController.NO_ROUTE;

  private final ClientContext ctx;
  private final SessionOptions options;
  private final CallController c;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean callRequested = new AtomicBoolean();

  private SessionImpl(ClientContext ctx, SignalingTransportFactory factory, SessionOptions options, Listener listener,
      CallMedia sharedMedia) {
    this.ctx = ctx;
    this.options = options;
    this.c = new CallController(this, ctx, factory, options, listener, sharedMedia);
  }

  public static SessionImpl create(ClientContext ctx, SignalingTransportFactory factory, SessionOptions options,
      Listener listener) {
    return create(ctx, factory, options, listener, null);
  }

  /** A session whose calls use {@code sharedMedia} (a room's engine; null: its own). */
  static SessionImpl create(ClientContext ctx, SignalingTransportFactory factory, SessionOptions options,
      Listener listener, CallMedia sharedMedia) {
    SessionImpl s = new SessionImpl(ctx, factory, options, listener, sharedMedia);
    ctx.register(s);
    return s;
  }

  /** A room's limits on the video this session sends (0 bit/s: no ceiling from the room). */
  void limitVideo(double scaleDownBy, int maxBitrate) {
    c.core.run(() -> c.media.limitVideo(scaleDownBy, maxBitrate));
  }

  /** A data channel opened with the next outgoing call, in its first offer (a room's pair channel). */
  DataChannel openDataChannelWithCall(String label, DataChannelOptions opts) {
    return c.openDataChannelWithCall(label, opts);
  }

  /** The session's shared parts (tests in this package settle its thread through it). */
  SessionCore core() {
    return c.core;
  }

  @Override
  public String peerId() {
    return options.peerId();
  }

  @Override
  public String room() {
    return options.room();
  }

  @Override
  public CallState state() {
    return c.core.state;
  }

  @Override
  public String remotePeerId() {
    return c.remotePeer;
  }

  @Override
  public Set<String> roomPeers() {
    return Set.copyOf(c.room.peers);
  }

  @Override
  public void start() {
    if (!started.compareAndSet(false, true)) throw new IllegalStateException("session already started");
    c.core.run(c::connect);
  }

  @Override
  public void call(String peerId) {
    Names.require(peerId, "peerId");
    if (peerId.equals(options.peerId())) throw new IllegalArgumentException("cannot call yourself: " + peerId);
    if (c.core.state == CallState.ENDED) throw new IllegalStateException("session ended");
    if (!callRequested.compareAndSet(false, true)) throw new IllegalStateException("call() already called");
    if (started.compareAndSet(false, true)) c.core.run(c::connect);
    c.core.run(() -> c.requestCall(peerId));
  }

  @Override
  public void hangUp() {
    if (!started.get()) {
      releaseUnstarted();
      return;
    }
    c.core.run(() -> c.end(EndReason.HANGUP, null, "hangup"));
  }

  @Override
  public void close() {
    hangUp();
  }

  @Override
  public void cancel() {
    if (!started.get()) {
      releaseUnstarted();
      return;
    }
    c.core.run(() -> c.end(EndReason.CLIENT_CLOSED, null, null));
  }

  void closeFromClient() {
    cancel();
  }

  private void releaseUnstarted() {
    if (started.compareAndSet(false, true)) {
      c.core.state = CallState.ENDED;
      ctx.unregister(this);
      c.core.released.countDown();
      c.core.exec.shutdown();
    }
  }

  boolean awaitReleased(long time, TimeUnit unit) {
    try {
      return c.core.released.await(time, unit);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void setAudioMuted(boolean muted) {
    c.core.run(() -> c.media.setAudioMuted(muted));
  }

  @Override
  public CompletableFuture<Void> setMicrophone(String nameOrDescription) {
    return c.switchDevice(e -> e.setMicrophone(nameOrDescription));
  }

  @Override
  public CompletableFuture<Void> setSpeaker(dev.simplecall.Speaker speaker) {
    java.util.Objects.requireNonNull(speaker, "speaker == null");
    return c.switchDevice(e -> e.setSpeaker(speaker));
  }

  @Override
  public CompletableFuture<Double> microphoneLevel() {
    return c.stats.microphoneLevel();
  }

  @Override
  public void setVideoEnabled(boolean enabled) {
    c.core.run(() -> c.media.setVideoEnabled(enabled));
  }

  @Override
  public void addRemoteVideoSink(VideoFrameSink sink) {
    Objects.requireNonNull(sink, "sink == null");
    c.media.remoteVideoSinks.add(sink);
    c.core.run(() -> c.media.syncSinks(sink, null, null, true));
  }

  @Override
  public void removeRemoteVideoSink(VideoFrameSink sink) {
    c.media.remoteVideoSinks.remove(sink);
    c.core.run(() -> c.media.syncSinks(sink, null, null, false));
  }

  @Override
  public void addLocalVideoSink(VideoFrameSink sink) {
    Objects.requireNonNull(sink, "sink == null");
    c.media.localVideoSinks.add(sink);
    c.core.run(() -> c.media.syncSinks(null, sink, null, true));
  }

  @Override
  public void removeLocalVideoSink(VideoFrameSink sink) {
    c.media.localVideoSinks.remove(sink);
    c.core.run(() -> c.media.syncSinks(null, sink, null, false));
  }

  @Override
  public void addRemoteAudioSink(AudioSink sink) {
    Objects.requireNonNull(sink, "sink == null");
    c.media.remoteAudioSinks.add(sink);
    c.core.run(() -> c.media.syncSinks(null, null, sink, true));
  }

  @Override
  public void removeRemoteAudioSink(AudioSink sink) {
    c.media.remoteAudioSinks.remove(sink);
    c.core.run(() -> c.media.syncSinks(null, null, sink, false));
  }

  @Override
  public AppVideoSource appVideo() {
    return c.media.appVideo;
  }

  @Override
  public AppAudioSource appAudio() {
    return c.media.appAudio;
  }

  @Override
  public void addVideo(VideoSource source) {
    Objects.requireNonNull(source, "source == null");
    c.core.run(() -> c.setVideo(source));
  }

  @Override
  public void removeVideo() {
    addVideo(VideoSource.none());
  }

  @Override
  public void addAudio(AudioSource source) {
    Objects.requireNonNull(source, "source == null");
    c.core.run(() -> c.setAudio(source));
  }

  @Override
  public void removeAudio() {
    addAudio(AudioSource.none());
  }

  @Override
  public DataChannel openDataChannel(String label, DataChannelOptions opts) {
    Objects.requireNonNull(label, "label == null");
    Objects.requireNonNull(opts, "options == null");
    return c.openDataChannel(label, opts);
  }

  @Override
  public CompletableFuture<CallStats> stats() {
    return c.stats.stats();
  }

  @Override
  public void setStatsInterval(Duration interval) {
    Objects.requireNonNull(interval, "interval == null");
    if (interval.isNegative()) throw new IllegalArgumentException("interval < 0: " + interval);
    c.core.run(() -> c.stats.setInterval(interval));
  }

  @Override
  public String toString() {
    return "CallSession[" + options.room() + "/" + options.peerId() + " " + c.core.state
        + (c.remotePeer != null ? " with " + c.remotePeer : "") + "]";
  }
}
