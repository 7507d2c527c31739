package dev.simplecall.internal;

import dev.simplecall.AppAudioSource;
import dev.simplecall.AppVideoSource;
import dev.simplecall.AudioSink;
import dev.simplecall.AudioSource;
import dev.simplecall.CallStats;
import dev.simplecall.DataChannelOptions;
import dev.simplecall.IceServer;
import dev.simplecall.IceTransportPolicy;
import dev.simplecall.VideoFrameSink;
import dev.simplecall.VideoSource;
import dev.simplecall.internal.PeerLink.SdpType;
import dev.simplecall.internal.media.MediaEngine;
import dev.simplecall.internal.webrtc.DataChannelImpl;
import dev.simplecall.internal.webrtc.WebRtcPeer;
import dev.simplecall.internal.webrtc.WebRtcPeer.IceState;
import dev.simplecall.protocol.Envelope;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * A session's media without libwebrtc, for the call rules: each call gets a {@link Peer} whose offer and
 * answer follow {@link FakePeerLink}'s state machine. A peer announces one local candidate after its first
 * local description and, once both descriptions are set, reports ICE connected (unless {@link
 * #autoConnect} is off), all through the session executor as the real peer does.
 */
final class FakeCallMedia implements CallMedia {
  final String name;
  final List<Peer> peers = new CopyOnWriteArrayList<>();
  volatile boolean autoConnect = true;
  /** How many of a new peer's first setRemoteDescription calls fail (a remote stack that answers wrongly). */
  volatile int failFirstSetRemote;
  volatile boolean released;

  FakeCallMedia(String name) {
    this.name = name;
  }

  @Override
  public void prepare() {}

  @Override
  public CallPeer newPeer(List<IceServer> servers, IceTransportPolicy policy, Executor session, Executor callbacks,
      WebRtcPeer.Events events) {
    Peer p = new Peer(name + peers.size(), session, events);
    p.link.failSetRemote = failFirstSetRemote;
    peers.add(p);
    return p;
  }

  @Override
  public void switchDevice(Consumer<MediaEngine> op) {
    throw new IllegalStateException("no devices in a fake");
  }

  @Override
  public void release() {
    released = true;
  }

  Peer peer() {
    if (peers.isEmpty()) throw new AssertionError(name + " made no peer connection");
    return peers.get(peers.size() - 1);
  }

  /** A peer connection: {@link FakePeerLink} for negotiation, recorded calls for the rest. */
  final class Peer implements CallPeer {
    final FakePeerLink link;
    final Executor session;
    final WebRtcPeer.Events events;
    volatile boolean closed;
    private volatile boolean hasMedia;
    private boolean candidateSent;
    private boolean connected;

    Peer(String name, Executor session, WebRtcPeer.Events events) {
      this.link = new FakePeerLink(name);
      this.session = session;
      this.events = events;
    }

    /** Fires an event as the real peer does: on the session executor. */
    void fire(Consumer<WebRtcPeer.Events> e) {
      session.execute(() -> e.accept(events));
    }

    private void negotiationNeeded() {
      if (link.signalingState() == SignalingState.STABLE && !link.hasRemoteDescription()) {
        fire(WebRtcPeer.Events::onNegotiationNeeded);
      }
    }

    private synchronized void afterDescription() {
      if (!candidateSent && link.localSdp() != null) {
        candidateSent = true;
        Envelope.IceCandidate c = new Envelope.IceCandidate("candidate:" + link.name + " 1 udp 1 127.0.0.1 9 typ host", "0", 0);
        fire(e -> e.onLocalCandidate(c));
      }
      if (autoConnect && !connected && link.localSdp() != null && link.hasRemoteDescription()
          && link.signalingState() == SignalingState.STABLE) {
        connected = true;
        fire(e -> e.onIceState(IceState.CONNECTED));
        fire(e -> e.onConnectionState(IceState.CONNECTED));
      }
    }

    @Override
    public CompletableFuture<String> createOffer(boolean iceRestart) {
      return link.createOffer(iceRestart);
    }

    @Override
    public CompletableFuture<String> createAnswer() {
      return link.createAnswer();
    }

    @Override
    public CompletableFuture<Void> setLocalDescription(SdpType type, String sdp) {
      return link.setLocalDescription(type, sdp).thenRun(this::afterDescription);
    }

    @Override
    public CompletableFuture<Void> setRemoteDescription(SdpType type, String sdp) {
      return link.setRemoteDescription(type, sdp).thenRun(this::afterDescription);
    }

    @Override
    public void addIceCandidate(Envelope.IceCandidate candidate) {
      link.addIceCandidate(candidate);
    }

    @Override
    public SignalingState signalingState() {
      return link.signalingState();
    }

    @Override
    public boolean hasRemoteDescription() {
      return link.hasRemoteDescription();
    }

    @Override
    public void setVideo(VideoSource spec) {
      hasMedia |= spec.kind() != VideoSource.Kind.NONE;
      negotiationNeeded();
    }

    @Override
    public void setAudio(AudioSource spec) {
      hasMedia |= spec.kind() != AudioSource.Kind.NONE;
      negotiationNeeded();
    }

    @Override
    public void mediaConnected() {}

    @Override
    public boolean hasLocalMedia() {
      return hasMedia;
    }

    @Override
    public void ensureTransport() {
      negotiationNeeded();
    }

    @Override
    public void setAudioMuted(boolean muted) {}

    @Override
    public void setVideoEnabled(boolean enabled) {}

    @Override
    public void limitVideo(double scaleDownBy, int maxBitrate) {}

    @Override
    public AppVideoSource appVideo() {
      return null;
    }

    @Override
    public AppAudioSource appAudio() {
      return null;
    }

    @Override
    public void sinks(VideoFrameSink remoteVideo, VideoFrameSink localVideo, AudioSink remoteAudio, boolean add) {}

    @Override
    public void openDataChannel(DataChannelImpl ch, DataChannelOptions options) {
      throw new UnsupportedOperationException("no data channels in a fake");
    }

    @Override
    public void setIceServers(List<IceServer> servers) {}

    @Override
    public CompletableFuture<CallStats> stats(long connectMs, long firstFrameMs) {
      return CompletableFuture.failedFuture(new UnsupportedOperationException("no stats in a fake"));
    }

    /** Whether the remote peer's media still arrives: {@link #bytesReceived} grows while it does. */
    volatile boolean mediaArrives = true;
    final java.util.concurrent.atomic.AtomicLong bytes = new java.util.concurrent.atomic.AtomicLong();
    final java.util.concurrent.atomic.AtomicInteger bytesAsked = new java.util.concurrent.atomic.AtomicInteger();

    /** Whether remote video frames arrive: {@link #remoteVideoFrames} grows on each read while they do. */
    volatile boolean videoArrives = true;
    final java.util.concurrent.atomic.AtomicLong frames = new java.util.concurrent.atomic.AtomicLong();

    @Override
    public long remoteVideoFrames() {
      return videoArrives ? frames.incrementAndGet() : frames.get();
    }

    @Override
    public CompletableFuture<String> adaptVideo() {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Long> bytesReceived() {
      bytesAsked.incrementAndGet();
      return CompletableFuture.completedFuture(mediaArrives ? bytes.addAndGet(1200) : bytes.get());
    }

    @Override
    public CompletableFuture<Double> microphoneLevel() {
      return CompletableFuture.completedFuture(0.0);
    }

    @Override
    public CompletableFuture<String> localCandidateType() {
      return CompletableFuture.completedFuture("host");
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
