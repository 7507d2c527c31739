package dev.simplecall.internal.webrtc;

import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCAnswerOptions;
import dev.onvoid.webrtc.RTCBundlePolicy;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelInit;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCIceConnectionState;
import dev.onvoid.webrtc.RTCIceGatheringState;
import dev.onvoid.webrtc.RTCIceServer;
import dev.onvoid.webrtc.RTCIceTransportPolicy;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCRtpReceiver;
import dev.onvoid.webrtc.RTCRtpSender;
import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.RTCSignalingState;
import dev.onvoid.webrtc.RTCStatsReport;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import dev.onvoid.webrtc.TlsCertPolicy;
import dev.onvoid.webrtc.media.MediaStreamTrack;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.video.VideoTrack;
import dev.simplecall.AppAudioSource;
import dev.simplecall.AppVideoSource;
import dev.simplecall.AudioSink;
import dev.simplecall.AudioSource;
import dev.simplecall.CallException;
import dev.simplecall.DataChannel;
import dev.simplecall.DataChannelOptions;
import dev.simplecall.IceServer;
import dev.simplecall.IceTransportPolicy;
import dev.simplecall.VideoFrameSink;
import dev.simplecall.VideoSource;
import dev.simplecall.internal.PeerLink;
import dev.simplecall.internal.media.AppPcm;
import dev.simplecall.internal.media.Dispose;
import dev.simplecall.internal.media.LocalVideo;
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
 * block, and are handed to the session executor as {@link Events}. Methods other than the sink
 * and stats ones are called on the session executor only.
 */
public final class WebRtcPeer implements PeerLink {
  private static final Logger log = LoggerFactory.getLogger(WebRtcPeer.class);
  private static final List<String> STREAM = List.of("simplecall");

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

  private final MediaEngine engine;
  private final Executor session;
  private final Executor callbacks;
  private final Events events;
  private final RTCPeerConnection pc;
  private final RemoteMedia remote;
  private final List<DataChannelImpl> channels = new CopyOnWriteArrayList<>();
  private LocalVideo video;
  private RTCRtpSender videoSender;
  private AppPcm audio;
  private RTCRtpSender audioSender;
  private RTCDataChannel internalChannel;
  private boolean closed;
  private final IceTransportPolicy policy;

  public WebRtcPeer(MediaEngine engine, List<IceServer> iceServers, IceTransportPolicy policy, Executor session,
      Executor callbacks, Events events) {
    this.engine = engine;
    this.session = session;
    this.callbacks = callbacks;
    this.events = events;
    this.remote = new RemoteMedia(engine, () -> post(events::onFirstRemoteFrame));
    this.policy = policy;
    RTCConfiguration config = configuration(iceServers, policy);
    this.pc = engine.factory().createPeerConnection(config, new Observer());
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

  private final class Observer implements PeerConnectionObserver {
    @Override
    public void onIceCandidate(RTCIceCandidate c) {
      try {
        Envelope.IceCandidate ic = new Envelope.IceCandidate(c.sdp, c.sdpMid, c.sdpMLineIndex);
        post(() -> events.onLocalCandidate(ic));
      } catch (Throwable t) {
        log.warn("onIceCandidate", t);
      }
    }

    @Override
    public void onIceGatheringChange(RTCIceGatheringState state) {
      try {
        if (state == RTCIceGatheringState.COMPLETE) post(events::onGatheringComplete);
      } catch (Throwable t) {
        log.warn("onIceGatheringChange", t);
      }
    }

    @Override
    public void onIceConnectionChange(RTCIceConnectionState state) {
      try {
        IceState s = map(state);
        post(() -> events.onIceState(s));
      } catch (Throwable t) {
        log.warn("onIceConnectionChange", t);
      }
    }

    @Override
    public void onConnectionChange(RTCPeerConnectionState state) {
      try {
        IceState s;
        switch (state) {
          case CONNECTING: s = IceState.CHECKING; break;
          case CONNECTED: s = IceState.CONNECTED; break;
          case DISCONNECTED: s = IceState.DISCONNECTED; break;
          case FAILED: s = IceState.FAILED; break;
          case CLOSED: s = IceState.CLOSED; break;
          default: s = IceState.NEW;
        }
        post(() -> events.onConnectionState(s));
      } catch (Throwable t) {
        log.warn("onConnectionChange", t);
      }
    }

    @Override
    public void onRenegotiationNeeded() {
      try {
        post(events::onNegotiationNeeded);
      } catch (Throwable t) {
        log.warn("onRenegotiationNeeded", t);
      }
    }

    @Override
    public void onTrack(RTCRtpTransceiver transceiver) {
      try {
        MediaStreamTrack track = transceiver.getReceiver().getTrack();
        post(() -> remote.onTrack(track)); // attach sinks off the native thread
      } catch (Throwable t) {
        log.warn("onTrack", t);
      }
    }

    @Override
    public void onRemoveTrack(RTCRtpReceiver receiver) {
      try {
        MediaStreamTrack track = receiver.getTrack();
        post(() -> remote.onRemoveTrack(track));
      } catch (Throwable t) {
        log.warn("onRemoveTrack", t);
      }
    }

    @Override
    public void onDataChannel(RTCDataChannel channel) {
      try {
        DataChannelImpl ch = DataChannelImpl.remote(channel, callbacks);
        channels.add(ch);
        post(() -> events.onRemoteDataChannel(ch));
      } catch (Throwable t) {
        log.warn("onDataChannel", t);
      }
    }
  }

  private static IceState map(RTCIceConnectionState s) {
    switch (s) {
      case CHECKING: return IceState.CHECKING;
      case CONNECTED:
      case COMPLETED: return IceState.CONNECTED;
      case DISCONNECTED: return IceState.DISCONNECTED;
      case FAILED: return IceState.FAILED;
      case CLOSED: return IceState.CLOSED;
      default: return IceState.NEW;
    }
  }

  // ---- media

  /** Adds (or replaces) the outgoing video track; renegotiation follows through onNegotiationNeeded. */
  public void setVideo(VideoSource spec) {
    if (video != null && videoSender != null && spec.kind() != VideoSource.Kind.NONE) {
      replaceVideo(spec);
      return;
    }
    removeVideo();
    if (spec.kind() == VideoSource.Kind.NONE) return;
    video = LocalVideo.create(engine.factory(), spec, "video-" + System.nanoTime());
    videoSender = pc.addTrack(video.track(), STREAM);
    remote.attachLocal(video.track());
  }

  /** The call is connected: sources that wait for it (a video file) start now. */
  public void mediaConnected() {
    if (video != null) video.connected();
  }

  /**
   * Switches the outgoing video (camera, screen, file, pattern) on the same sender with
   * {@code replaceTrack}: no renegotiation, the far end keeps its track. The new source is made
   * first; if it cannot start, the current one stays and the exception goes to the caller.
   */
  private void replaceVideo(VideoSource spec) {
    LocalVideo next = LocalVideo.create(engine.factory(), spec, "video-" + System.nanoTime());
    LocalVideo old = video;
    try {
      videoSender.replaceTrack(next.track());
    } catch (RuntimeException | Error e) {
      next.close();
      throw e;
    }
    remote.detachLocal(old.track());
    video = next;
    remote.attachLocal(next.track());
    old.close();
  }

  public void removeVideo() {
    if (video == null) return;
    remote.detachLocal(video.track());
    if (videoSender != null) pc.removeTrack(videoSender);
    video.close();
    video = null;
    videoSender = null;
  }

  public void setAudio(AudioSource spec) {
    removeAudio();
    if (spec.kind() == AudioSource.Kind.NONE) return;
    audio = engine.createTrack("audio-" + System.nanoTime(), spec);
    audioSender = pc.addTrack(audio.track(), STREAM);
  }

  public void removeAudio() {
    if (audio == null) return;
    if (audioSender != null) pc.removeTrack(audioSender);
    audio.close();
    audio = null;
    audioSender = null;
  }

  public boolean hasLocalMedia() {
    return video != null || audio != null;
  }

  public void setAudioMuted(boolean muted) {
    if (audio != null) audio.track().setEnabled(!muted);
  }

  public void setVideoEnabled(boolean enabled) {
    if (video != null) video.track().setEnabled(enabled);
  }

  public AppVideoSource appVideo() {
    return video == null ? null : video.appSource();
  }

  public AppAudioSource appAudio() {
    return audio == null ? null : audio.appSource();
  }

  public RemoteMedia remote() {
    return remote;
  }

  public void addRemoteVideoSink(VideoFrameSink s) {
    remote.addVideoSink(s);
  }

  public void addRemoteAudioSink(AudioSink s) {
    remote.addAudioSink(s);
  }

  // ---- data

  /**
   * Makes the native channel behind {@code ch} (a channel the app already holds), or fails it with
   * the reason. Never throws.
   */
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

  public CompletableFuture<RTCStatsReport> rawStats() {
    CompletableFuture<RTCStatsReport> f = new CompletableFuture<>();
    if (closed) {
      f.completeExceptionally(new IllegalStateException("peer connection closed"));
      return f;
    }
    pc.getStats(report -> {
      try {
        f.complete(report);
      } catch (Throwable t) {
        log.warn("stats callback", t);
      }
    });
    return f;
  }

  // ---- PeerLink

  @Override
  public CompletableFuture<String> createOffer(boolean iceRestart) {
    CompletableFuture<String> f = new CompletableFuture<>();
    RTCOfferOptions o = new RTCOfferOptions();
    o.iceRestart = iceRestart;
    pc.createOffer(o, sdpObserver(f));
    return f;
  }

  @Override
  public CompletableFuture<String> createAnswer() {
    CompletableFuture<String> f = new CompletableFuture<>();
    pc.createAnswer(new RTCAnswerOptions(), sdpObserver(f));
    return f;
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
          f.completeExceptionally(new IllegalStateException(error));
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
          f.completeExceptionally(new IllegalStateException(error));
        } catch (Throwable t) {
          log.warn("sdp callback", t);
        }
      }
    };
  }

  @Override
  public void addIceCandidate(Envelope.IceCandidate c) {
    int index = c.sdpMLineIndex() == null ? 0 : c.sdpMLineIndex();
    pc.addIceCandidate(new RTCIceCandidate(c.sdpMid(), index, c.candidate()));
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
  public void close() {
    if (closed) return;
    closed = true;
    LocalVideo v = video;
    if (v != null) Dispose.quietly("video producer", v::stop);
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
    // detach local tracks from their senders so that disposing them below finds no other reference
    for (RTCRtpSender sender : new RTCRtpSender[] {videoSender, audioSender}) {
      if (sender == null) continue;
      try {
        pc.removeTrack(sender);
      } catch (Throwable t) {
        log.debug("removeTrack on close: {}", t.toString());
      }
    }
    try {
      pc.close();
    } catch (Throwable t) {
      log.warn("peer connection close", t);
    }
    if (v != null) Dispose.quietly("video track", v::close);
    AppPcm a = audio;
    if (a != null) Dispose.quietly("audio track", a::close);
    video = null;
    audio = null;
  }
}
