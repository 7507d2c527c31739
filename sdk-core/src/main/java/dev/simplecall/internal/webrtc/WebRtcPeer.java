package dev.simplecall.internal.webrtc;

import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.RTCAnswerOptions;
import dev.onvoid.webrtc.RTCBundlePolicy;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelInit;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCIceServer;
import dev.onvoid.webrtc.RTCIceTransportPolicy;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.RTCSignalingState;
import dev.onvoid.webrtc.RTCStatsReport;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import dev.onvoid.webrtc.TlsCertPolicy;
import dev.simplecall.AppAudioSource;
import dev.simplecall.AppVideoSource;
import dev.simplecall.AudioSink;
import dev.simplecall.AudioSource;
import dev.simplecall.CallException;
import dev.simplecall.CallStats;
import dev.simplecall.DataChannel;
import dev.simplecall.DataChannelOptions;
import dev.simplecall.IceServer;
import dev.simplecall.IceTransportPolicy;
import dev.simplecall.MediaOptions;
import dev.simplecall.VideoFrameSink;
import dev.simplecall.VideoSource;
import dev.simplecall.internal.CallPeer;
import dev.simplecall.internal.media.Dispose;
import dev.simplecall.internal.media.LocalTracks;
import dev.simplecall.internal.media.MediaEngine;
import dev.simplecall.protocol.Envelope;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one class that drives an {@link RTCPeerConnection}. Native callbacks are caught, never
 * block, and are handed to the session executor as {@link Events} ({@link PeerObserver}); the
 * outgoing tracks are {@link PeerTracks}. Methods other than the sink
 * and stats ones are called on the session executor only.
 */
public final class WebRtcPeer implements CallPeer {
  private static final Logger log = LoggerFactory.getLogger(WebRtcPeer.class);

  /** Peer-connection events, delivered on the session executor. */
  public interface Events {
    void onLocalCandidate(Envelope.IceCandidate candidate);

    void onGatheringComplete();

    void onIceState(IceState state);

    void onConnectionState(IceState state);

    void onNegotiationNeeded();

    void onRemoteDataChannel(DataChannel channel);

    void onFirstRemoteFrame();
  }

  /** ICE / connection states without the native enum. */
  public enum IceState { NEW, CHECKING, CONNECTED, DISCONNECTED, FAILED, CLOSED }

  private final Executor session;
  private final RTCPeerConnection pc;
  private final RemoteMedia remote;
  private final List<DataChannelImpl> channels = new CopyOnWriteArrayList<>();
  private final PeerTracks tracks;
  private final StatsMapper stats = new StatsMapper();
  /** {@code null}: the app turned the random-loss floor off. Confined to the session executor. */
  private final LossFloor lossFloor;
  /**
   * The video encoder is restarted once, this long after the first adaptation step (about 4 s into the
   * call). Its first frames are coded for the bandwidth estimate's start (QP 23-27 at 640x480), and
   * libvpx then goes on spending about three times the bits of a fresh start for a worse picture
   * (BENCHMARKS.md, "Sent video bitrate around a network outage": 381 kbit/s at 47.6 dB PSNR against
   * 118 kbit/s at 67.4 dB after a key frame); a key frame coded once the estimate has ramped up ends
   * that. Measured on a 640x480@30 test pattern: 400 kbit/s before, 133 after, 30 fps received throughout.
   */
  static final long RESTART_ENCODER_AFTER_MS = 3_000;
  /** Confined to the session executor. */
  private long firstAdaptAtMs = -1;
  private boolean encoderRestarted;
  private RTCDataChannel internalChannel;
  private boolean closed;
  private final IceTransportPolicy policy;

  public WebRtcPeer(MediaEngine engine, MediaOptions media, List<IceServer> iceServers, IceTransportPolicy policy,
      Executor session, Executor callbacks, Events events) {
    this(engine, media, iceServers, policy, session, callbacks, events, LocalTracks.own());
  }

  /** With {@code sources} making the outgoing tracks (a room shares one per source). */
  public WebRtcPeer(MediaEngine engine, MediaOptions media, List<IceServer> iceServers, IceTransportPolicy policy,
      Executor session, Executor callbacks, Events events, LocalTracks sources) {
    this.session = session;
    this.remote = new RemoteMedia(engine, () -> post(events::onFirstRemoteFrame));
    this.policy = policy;
    RTCConfiguration config = configuration(iceServers, policy);
    this.pc = engine.factory().createPeerConnection(config, new PeerObserver(this::post, events, remote, channels, callbacks));
    this.tracks = new PeerTracks(engine, pc, remote, media.videoCodecs(), media.maxVideoBitrate(),
        media.minVideoBitrate(), sources);
    this.lossFloor = media.randomLossVideoFloor() > 0 ? new LossFloor(media.randomLossVideoFloor()) : null;
  }

  private static RTCConfiguration configuration(List<IceServer> iceServers, IceTransportPolicy policy) {
    RTCConfiguration config = new RTCConfiguration();
    for (IceServer s : iceServers) {
      RTCIceServer r = new RTCIceServer();
      r.urls = new ArrayList<>(s.urls());
      r.username = s.username();
      r.password = s.credential();
      r.tlsCertPolicy = s.insecureTls() ? TlsCertPolicy.INSECURE_NO_CHECK : TlsCertPolicy.SECURE;
      config.iceServers.add(r);
    }
    config.iceTransportPolicy = policy == IceTransportPolicy.RELAY ? RTCIceTransportPolicy.RELAY : RTCIceTransportPolicy.ALL;
    config.bundlePolicy = RTCBundlePolicy.MAX_BUNDLE;
    return config;
  }

  /**
   * Replaces the ICE servers (fresh TURN credentials): used by the next gathering, i.e. the next ICE
   * restart; existing allocations keep the credentials they were made with.
   */
  @Override
  public void setIceServers(List<IceServer> iceServers) {
    if (closed) return;
    pc.setConfiguration(configuration(iceServers, policy));
  }

  private void post(Runnable r) {
    try {
      session.execute(() -> {
        if (!closed) r.run();
      });
    } catch (Throwable t) {
      log.debug("session executor gone; dropping a peer event");
    }
  }

  // ---- media

  @Override
  public void setVideo(VideoSource spec) {
    tracks.setVideo(spec);
  }

  @Override
  public void mediaConnected() {
    tracks.mediaConnected();
  }

  @Override
  public void setAudio(AudioSource spec) {
    tracks.setAudio(spec);
  }

  @Override
  public boolean hasLocalMedia() {
    return tracks.hasLocalMedia();
  }

  @Override
  public void setAudioMuted(boolean muted) {
    tracks.setAudioMuted(muted);
  }

  @Override
  public void limitVideo(double scaleDownBy, int maxBitrate) {
    if (!closed) tracks.limitVideo(scaleDownBy, maxBitrate);
  }

  @Override
  public void setVideoEnabled(boolean enabled) {
    tracks.setVideoEnabled(enabled);
  }

  @Override
  public AppVideoSource appVideo() {
    return tracks.appVideo();
  }

  @Override
  public AppAudioSource appAudio() {
    return tracks.appAudio();
  }

  @Override
  public void sinks(VideoFrameSink remoteVideo, VideoFrameSink localVideo, AudioSink remoteAudio, boolean add) {
    if (remoteVideo != null) {
      if (add) remote.addVideoSink(remoteVideo);
      else remote.removeVideoSink(remoteVideo);
    }
    if (localVideo != null) {
      if (add) remote.addLocalSink(localVideo);
      else remote.removeLocalSink(localVideo);
    }
    if (remoteAudio != null) {
      if (add) remote.addAudioSink(remoteAudio);
      else remote.removeAudioSink(remoteAudio);
    }
  }

  // ---- data

  /**
   * Makes the native channel behind {@code ch} (a channel the app already holds), or fails it with
   * the reason. Never throws.
   */
  @Override
  public void openDataChannel(DataChannelImpl ch, DataChannelOptions o) {
    if (closed) {
      ch.fail(new CallException("the call has ended"));
      return;
    }
    RTCDataChannelInit init = new RTCDataChannelInit();
    init.ordered = o.isOrdered();
    init.maxRetransmits = o.maxRetransmits();
    init.maxPacketLifeTime = -1;
    init.id = -1;
    RTCDataChannel rtc;
    try {
      rtc = pc.createDataChannel(ch.label(), init);
    } catch (RuntimeException e) {
      ch.fail(new CallException("cannot open data channel " + ch.label() + ": " + e.getMessage(), e));
      return;
    }
    if (ch.attach(rtc)) channels.add(ch);
  }

  /**
   * Gives an offer something to negotiate when there is no local media: a pre-negotiated data
   * channel (never announced to either app), so ICE and DTLS come up and media or channels can be
   * added later by renegotiation.
   */
  @Override
  public void ensureTransport() {
    if (internalChannel != null) return;
    RTCDataChannelInit init = new RTCDataChannelInit();
    init.negotiated = true;
    init.id = 1023;
    init.ordered = true;
    init.maxRetransmits = -1;
    init.maxPacketLifeTime = -1;
    internalChannel = pc.createDataChannel("simplecall-internal", init);
  }

  // ---- stats

  @Override
  public CompletableFuture<CallStats> stats(long connectMs, long firstFrameMs) {
    return stats.snapshot(this::rawStats, session, connectMs, firstFrameMs);
  }

  @Override
  public CompletableFuture<String> adaptVideo() {
    if (closed || !tracks.sendsVideo()) return CompletableFuture.completedFuture(null);
    long atMs = System.nanoTime() / 1_000_000;
    if (firstAdaptAtMs < 0) firstAdaptAtMs = atMs;
    if (!encoderRestarted && atMs - firstAdaptAtMs >= RESTART_ENCODER_AFTER_MS) {
      encoderRestarted = true;
      tracks.restartVideoEncoder();
      log.debug("video encoder restarted for a key frame coded at the bandwidth the call has now");
    }
    if (lossFloor == null) return CompletableFuture.completedFuture(null);
    CompletableFuture<String> change = new CompletableFuture<>();
    rawStats().whenComplete((report, err) -> { // a native thread: read, then decide on the session executor
      try {
        LossFloor.Sample sample = err == null ? StatsMapper.pathSample(report, atMs) : null;
        if (sample == null) {
          change.complete(null);
          return;
        }
        session.execute(() -> {
          if (closed) {
            change.complete(null);
            return;
          }
          int floor = lossFloor.next(sample);
          boolean changed = tracks.lossFloor(floor);
          change.complete(!changed ? null : floor > 0
              ? "video floor " + floor / 1000 + " kbit/s: " + lossFloor.why()
              : "video floor lifted: " + lossFloor.why());
        });
      } catch (Throwable t) { // the session has ended (its executor refuses), or a report we cannot read
        log.debug("video adaptation step: {}", t.toString());
        change.complete(null);
      }
    });
    return change;
  }

  @Override
  public long remoteVideoFrames() {
    return remote.framesReceived();
  }

  @Override
  public CompletableFuture<Long> bytesReceived() {
    return rawStats().thenApply(StatsMapper::bytesReceived);
  }

  @Override
  public CompletableFuture<Double> microphoneLevel() {
    return rawStats().thenApply(StatsMapper::microphoneLevel);
  }

  @Override
  public CompletableFuture<String> localCandidateType() {
    // a throw-away mapper: this peer's own keeps the byte counts its bitrates are computed from
    return rawStats().thenApply(report -> new StatsMapper().map(report, -1, -1).localCandidateType());
  }

  private CompletableFuture<RTCStatsReport> rawStats() {
    return closed ? CompletableFuture.failedFuture(new IllegalStateException("peer connection closed")) : StatsMapper.report(pc);
  }

  // ---- PeerLink

  @Override
  public CompletableFuture<String> createOffer(boolean iceRestart) {
    CompletableFuture<String> f = new CompletableFuture<>();
    RTCOfferOptions o = new RTCOfferOptions();
    o.iceRestart = iceRestart;
    pc.createOffer(o, sdpObserver(f));
    return f.thenApply(RtxTime::add);
  }

  @Override
  public CompletableFuture<String> createAnswer() {
    CompletableFuture<String> f = new CompletableFuture<>();
    pc.createAnswer(new RTCAnswerOptions(), sdpObserver(f));
    return f.thenApply(RtxTime::add);
  }

  private static CreateSessionDescriptionObserver sdpObserver(CompletableFuture<String> f) {
    return new CreateSessionDescriptionObserver() {
      @Override
      public void onSuccess(RTCSessionDescription d) {
        try {
          f.complete(d.sdp);
        } catch (Throwable t) {
          log.warn("sdp callback", t);
        }
      }

      @Override
      public void onFailure(String error) {
        try {
          f.completeExceptionally(new IllegalStateException(NativeErrors.shortened(error)));
        } catch (Throwable t) {
          log.warn("sdp callback", t);
        }
      }
    };
  }

  @Override
  public CompletableFuture<Void> setLocalDescription(SdpType type, String sdp) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    pc.setLocalDescription(new RTCSessionDescription(map(type), sdp), setObserver(f));
    return f;
  }

  @Override
  public CompletableFuture<Void> setRemoteDescription(SdpType type, String sdp) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    pc.setRemoteDescription(new RTCSessionDescription(map(type), sdp), setObserver(f));
    return f;
  }

  private static RTCSdpType map(SdpType t) {
    switch (t) {
      case OFFER: return RTCSdpType.OFFER;
      case ANSWER: return RTCSdpType.ANSWER;
      default: return RTCSdpType.ROLLBACK;
    }
  }

  private static SetSessionDescriptionObserver setObserver(CompletableFuture<Void> f) {
    return new SetSessionDescriptionObserver() {
      @Override
      public void onSuccess() {
        try {
          f.complete(null);
        } catch (Throwable t) {
          log.warn("sdp callback", t);
        }
      }

      @Override
      public void onFailure(String error) {
        try {
          f.completeExceptionally(new IllegalStateException(NativeErrors.shortened(error)));
        } catch (Throwable t) {
          log.warn("sdp callback", t);
        }
      }
    };
  }

  /** A remote candidate libwebrtc cannot parse or use is an {@link IllegalArgumentException}. */
  @Override
  public void addIceCandidate(Envelope.IceCandidate c) {
    int index = c.sdpMLineIndex() == null ? 0 : c.sdpMLineIndex();
    try {
      pc.addIceCandidate(new RTCIceCandidate(c.sdpMid(), index, c.candidate()));
    } catch (Error e) {
      throw NativeErrors.refused(e);
    }
  }

  @Override
  public SignalingState signalingState() {
    RTCSignalingState s = pc.getSignalingState();
    switch (s) {
      case STABLE: return SignalingState.STABLE;
      case HAVE_LOCAL_OFFER: return SignalingState.HAVE_LOCAL_OFFER;
      case HAVE_REMOTE_OFFER: return SignalingState.HAVE_REMOTE_OFFER;
      case CLOSED: return SignalingState.CLOSED;
      default: return SignalingState.OTHER;
    }
  }

  @Override
  public boolean hasRemoteDescription() {
    return pc.getRemoteDescription() != null;
  }

  /**
   * Releases everything in the safe order: stop frame producers, remove sinks, close and dispose
   * data channels, close the peer connection, dispose local tracks and sources. Idempotent.
   */
  @Override
  public void close() {
    if (closed) return;
    closed = true;
    tracks.stopProducers();
    Dispose.quietly("sinks", remote::close);
    for (DataChannelImpl ch : channels) Dispose.quietly("data channel", ch::dispose);
    channels.clear();
    if (internalChannel != null) {
      RTCDataChannel ic = internalChannel;
      internalChannel = null;
      try {
        ic.close();
        ic.dispose();
      } catch (Throwable t) {
        log.debug("internal channel dispose: {}", t.toString());
      }
    }
    tracks.detachSenders(); // so that disposing the tracks below finds no other reference
    try {
      pc.close();
    } catch (Throwable t) {
      log.warn("peer connection close", t);
    }
    tracks.dispose();
  }
}
