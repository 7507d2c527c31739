package dev.simplecall.internal;

import dev.simplecall.AudioSink;
import dev.simplecall.AudioSource;
import dev.simplecall.CallException;
import dev.simplecall.CallSession.Listener;
import dev.simplecall.CallState;
import dev.simplecall.CallStats;
import dev.simplecall.DataChannel;
import dev.simplecall.DataChannelOptions;
import dev.simplecall.EndReason;
import dev.simplecall.IceServer;
import dev.simplecall.MediaOptions;
import dev.simplecall.SessionOptions;
import dev.simplecall.VideoFrameSink;
import dev.simplecall.VideoSource;
import dev.simplecall.internal.PeerLink.SdpType;
import dev.simplecall.internal.webrtc.DataChannelImpl;
import dev.simplecall.internal.webrtc.WebRtcPeer;
import dev.simplecall.internal.webrtc.WebRtcPeer.IceState;
import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.protocol.EnvelopeException;
import dev.simplecall.protocol.ErrorCode;
import dev.simplecall.protocol.IceServerInfo;
import dev.simplecall.protocol.Ids;
import dev.simplecall.protocol.Uris;
import dev.simplecall.spi.SignalingTransport;
import dev.simplecall.spi.SignalingTransportFactory;
import dev.simplecall.spi.TransportException;
import dev.simplecall.spi.TransportOptions;
import dev.simplecall.spi.support.RecentIds;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The call machine behind a {@link SessionImpl}: signaling, negotiation, ICE supervision, timers
 * and the ordered teardown. Every mutable field is confined to {@link #exec}, the session's own
 * single thread ({@link SessionImpl} posts every public call to it); listener callbacks go through
 * {@link #events}, one at a time on the app's executor.
 */
final class CallController {
  private static final Logger log = LoggerFactory.getLogger(CallController.class);
  static final String NO_ROUTE = IceSupervisor.NO_ROUTE;

  private final SessionImpl session;
  private final ClientContext ctx;
  private final SignalingTransportFactory factory;
  private final SessionOptions options;
  private final Listener listener;
  final ExecutorService exec;
  private final SerialExecutor events;
  private final MediaOptions initialMedia;
  final CountDownLatch released = new CountDownLatch(1);
  final Set<String> roomPeers = ConcurrentHashMap.newKeySet();
  private final RecentIds recentIds = new RecentIds(2048);
  final List<VideoFrameSink> remoteVideoSinks = new CopyOnWriteArrayList<>();
  final List<VideoFrameSink> localVideoSinks = new CopyOnWriteArrayList<>();
  final List<AudioSink> remoteAudioSinks = new CopyOnWriteArrayList<>();
  final AppVideoProxy appVideo;
  final AppAudioProxy appAudio;
  volatile CallState state = CallState.NEW;
  volatile String remotePeer;

  // ---- confined to exec
  private SignalingTransport transport;
  private boolean joined;
  private boolean reconnecting;
  private boolean ended;
  private String pendingCallTarget;
  private final TurnCredentials turn;
  private VideoSource video;
  private AudioSource audio;
  private boolean audioMuted;
  private boolean videoEnabled = true;
  private CallPeer peer;
  private final CallMedia media;
  private Negotiator negotiator;
  private boolean mediaAttached;
  private boolean answered;
  private IceSupervisor ice; // the call's, from setupCall
  private IncomingCallImpl pendingIncoming;
  /** Local candidates held until their description is sent; remote ones that overtook their offer. */
  private final Candidates candidates =
      new Candidates(c -> send(new Envelope.Candidate(Ids.newId(), room(), peerId(), remotePeer, c)));
  private long callStartNanos;
  private volatile long firstFrameMs = -1;
  private String lastOfferId;
  private ScheduledFuture<?> noAnswerTimer;
  private ScheduledFuture<?> statsTimer;
  private Duration statsInterval = Duration.ZERO;
  /** {@link #stats()} futures waiting for the peer connection; failed by {@link #end}. */
  private final Set<CompletableFuture<CallStats>> pendingStats = new HashSet<>();

  CallController(SessionImpl session, ClientContext ctx, SignalingTransportFactory factory, SessionOptions options,
      Listener listener) {
    this.session = session;
    this.ctx = ctx;
    this.factory = factory;
    this.options = options;
    this.listener = listener;
    this.initialMedia = options.media() != null ? options.media() : ctx.media();
    this.video = initialMedia.video();
    this.audio = initialMedia.audio();
    this.exec = Executors.newSingleThreadExecutor(NamedThreads.daemonSingle("simplecall-session-" + options.peerId()));
    this.events = new SerialExecutor(ctx.appExecutor());
    this.appVideo = video.kind() == VideoSource.Kind.APP_FRAMES ? new AppVideoProxy() : null;
    this.appAudio = audio.kind() == AudioSource.Kind.APP_PCM ? new AppAudioProxy(audio.sampleRate(), audio.channels()) : null;
    this.media = ctx.callMedia(initialMedia);
    this.turn = new TurnCredentials(TurnRefresh.credentialsUri(options.signaling(), options.peerId()), timers, new TurnHost());
  }

  /** How TURN credential refreshes reach the server and the call. */
  private final class TurnHost implements TurnCredentials.Host {
    @Override
    public CompletableFuture<List<IceServer>> fetch(URI uri) {
      return TurnRefresh.fetch(ctx.httpClient(), uri, options.token());
    }

    @Override
    public void onSession(Runnable task) {
      run(task);
    }

    @Override
    public void refreshed(List<IceServer> fresh, String via) {
      useFreshTurnCredentials();
    }

    @Override
    public void progress(String step) {
      CallController.this.progress(step);
    }
  }

  private String peerId() {
    return options.peerId();
  }

  private String room() {
    return options.room();
  }

  // ------------------------------------------------------------------ operations (on exec)

  /** Places a call once joined; a call already under way wins. */
  void requestCall(String target) {
    if (ended) return;
    if (remotePeer != null) {
      log.info("{}: call({}) ignored, already in a call with {}", peerId(), target, remotePeer);
      return;
    }
    if (joined) placeCall(target);
    else pendingCallTarget = target;
  }

  void setAudioMuted(boolean muted) {
    audioMuted = muted;
    if (peer != null) peer.setAudioMuted(muted);
  }

  void setVideoEnabled(boolean enabled) {
    videoEnabled = enabled;
    if (peer != null) peer.setVideoEnabled(enabled);
  }

  /** Re-applies the sink lists to the current peer (after the facade changed them). */
  void syncSinks(VideoFrameSink remoteVideo, VideoFrameSink localVideo, AudioSink remoteAudio, boolean add) {
    if (peer == null) return;
    peer.sinks(remoteVideo, localVideo, remoteAudio, add);
  }

  void setVideo(VideoSource source) {
    video = source;
    if (peer != null && mediaAttached) attachVideo();
  }

  void setAudio(AudioSource source) {
    audio = source;
    if (peer != null && mediaAttached) attachAudio();
  }

  /**
   * A channel the app can hold at once; the session thread makes the native channel later (the
   * listener hears onOpen) or fails it (onFailure): no call yet, or the session has ended.
   */
  DataChannel openDataChannel(String label, DataChannelOptions opts) {
    DataChannelImpl ch = new DataChannelImpl(label, events);
    boolean queued = run(() -> {
      if (ended) ch.fail(new CallException("the session has ended"));
      else if (peer == null) ch.fail(new CallException("no call: open data channels once a call exists"));
      else peer.openDataChannel(ch, opts);
    });
    if (!queued) ch.fail(new CallException("the session has ended"));
    return ch;
  }

  /**
   * A statistics snapshot. Fails at once when the session has ended (its executor may already be
   * gone, so a queued task would never run), and {@link #end} fails those still in flight (a closed
   * peer connection may never answer).
   */
  CompletableFuture<CallStats> stats() {
    if (state == CallState.ENDED) return CompletableFuture.failedFuture(sessionEnded());
    CompletableFuture<CallStats> f = new CompletableFuture<>();
    boolean queued = run(() -> {
      if (ended) {
        f.completeExceptionally(sessionEnded());
        return;
      }
      if (peer == null) {
        f.completeExceptionally(new IllegalStateException("no call"));
        return;
      }
      pendingStats.add(f);
      peer.stats(connectMs(), firstFrameMs).whenComplete((stats, err) -> { // on a native thread: only post
        boolean posted = run(() -> {
          pendingStats.remove(f);
          if (err != null) f.completeExceptionally(err);
          else f.complete(stats);
        });
        if (!posted) f.completeExceptionally(sessionEnded()); // end() has failed it already
      });
    });
    if (!queued) f.completeExceptionally(sessionEnded());
    return f;
  }

  private IllegalStateException sessionEnded() {
    return new IllegalStateException("session " + room() + "/" + peerId() + " has ended");
  }

  CompletableFuture<Double> microphoneLevel() {
    CompletableFuture<Double> f = new CompletableFuture<>();
    run(() -> {
      if (peer == null) {
        f.completeExceptionally(new IllegalStateException("no call"));
        return;
      }
      peer.microphoneLevel().whenCompleteAsync((level, err) -> {
        if (err != null) f.completeExceptionally(err);
        else f.complete(level);
      }, exec);
    });
    return f;
  }

  /** Runs a device switch on the session thread; fails the future with the reason. */
  CompletableFuture<Void> switchDevice(java.util.function.Consumer<dev.simplecall.internal.media.MediaEngine> op) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    run(() -> {
      try {
        media.switchDevice(op);
        f.complete(null);
      } catch (RuntimeException e) {
        f.completeExceptionally(e);
      }
    });
    return f;
  }

  void setStatsInterval(Duration interval) {
    statsInterval = interval;
    scheduleStats();
  }

  // ------------------------------------------------------------------ plumbing

  /**
   * Runs {@code r} on the session thread; after the session has ended, drops it and returns
   * {@code false}. Never blocks, so native callbacks may call it.
   */
  boolean run(Runnable r) {
    try {
      exec.execute(() -> {
        try {
          r.run();
        } catch (Throwable t) {
          log.error("{}: session task failed", peerId(), t);
          end(EndReason.FAILED, new CallException("internal error: " + t, t), null);
        }
      });
      return true;
    } catch (RejectedExecutionException e) {
      log.debug("{}: session over, dropping a task", peerId());
      return false;
    }
  }

  private void emit(Consumer<Listener> call) {
    events.execute(() -> {
      try {
        call.accept(listener);
      } catch (Throwable t) {
        log.warn("{}: listener threw", peerId(), t);
      }
    });
  }

  private void progress(String step) {
    log.debug("{}: {}", peerId(), step);
    emit(l -> l.onProgress(session, step));
  }

  private void setState(CallState s) {
    if (state == s) return;
    state = s;
    emit(l -> l.onStateChanged(session, s));
  }

  private ScheduledFuture<?> schedule(Duration d, Runnable r) {
    return ctx.timer().schedule(() -> run(r), d.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The session's timers for its parts: tasks run on the session thread. */
  private final SessionTimers timers = new SessionTimers() {
    @Override
    public ScheduledFuture<?> schedule(Duration delay, Runnable task) {
      return CallController.this.schedule(delay, task);
    }

    @Override
    public long nanoTime() {
      return System.nanoTime();
    }

    @Override
    public Instant now() {
      return Instant.now();
    }
  };

  private static void cancel(ScheduledFuture<?> f) {
    if (f != null) f.cancel(false);
  }

  private void send(Envelope e) {
    if (transport == null) return;
    if (transport.send(EnvelopeCodec.encode(e))) return;
    // closed (the session is ending), or its outbox is full: signaling has been down for long
    if (ended) log.debug("{}: transport refused {} (closed)", peerId(), e.type());
    else log.warn("{}: signaling transport refused {} to {} (closed, or its outbox is full)", peerId(), e.type(), remotePeer);
  }

  // ------------------------------------------------------------------ signaling

  void connect() {
    progress("joining " + options.room() + " via " + Uris.redact(options.signaling()));
    TransportOptions topts = TransportOptions.builder().room(options.room()).peerId(options.peerId())
        .token(options.token()).build();
    try {
      transport = factory.create(options.signaling(), topts, new TransportListener());
    } catch (RuntimeException e) {
      end(EndReason.SIGNALING_FAILED, new CallException("cannot create transport for " + Uris.redact(options.signaling()) + ": " + e.getMessage(), e), null);
      return;
    }
    // Make this call's native engine (factory + audio device module) while signaling connects, so
    // that placing or answering a call does not wait for it.
    prepareMedia();
  }

  /** Makes this call's engine if needed; on failure ends the session FAILED and returns false. */
  private boolean prepareMedia() {
    try {
      media.prepare();
      return true;
    } catch (dev.simplecall.internal.audio.AudioUnavailableException e) {
      // e.g. "no sound server: PulseAudio not running (...)": the app asked for a real device
      end(EndReason.FAILED, new CallException(e.getMessage(), e), null);
    } catch (RuntimeException | LinkageError e) {
      end(EndReason.FAILED, new CallException("native WebRTC engine failed to start: " + e, e), null);
    }
    return false;
  }

  private final class TransportListener implements SignalingTransport.Listener {
    @Override
    public void onOpen(SignalingTransport t) {
      run(() -> {
        if (reconnecting) {
          reconnecting = false;
          emit(l -> l.onSignalingReconnected(session));
        }
      });
    }

    @Override
    public void onMessage(SignalingTransport t, String text) {
      run(() -> onSignal(text));
    }

    @Override
    public void onReconnecting(SignalingTransport t, Throwable cause) {
      run(() -> {
        // joined stays as it was: the transport re-joins by itself and queues sends meanwhile, and a
        // resumed long-poll session reports onOpen with no new welcome
        reconnecting = true;
        progress("signaling lost; reconnecting");
        emit(l -> l.onSignalingReconnecting(session));
      });
    }

    @Override
    public void onClosed(SignalingTransport t) {
      run(() -> end(EndReason.SIGNALING_FAILED, new CallException("signaling closed"), null));
    }

    @Override
    public void onFailure(SignalingTransport t, TransportException error) {
      run(() -> end(EndReason.SIGNALING_FAILED, new CallException("signaling failed: " + error.getMessage(), error), null));
    }
  }

  private void onSignal(String text) {
    if (ended) return;
    Envelope e;
    try {
      e = EnvelopeCodec.decode(text);
    } catch (EnvelopeException ex) {
      String shown = text == null ? "null" : text.length() > 120 ? text.substring(0, 120) + "..." : text;
      log.warn("{}: dropping a garbled signaling message ({}): {}", peerId(), ex.getMessage(), shown);
      return;
    }
    if (!recentIds.firstSeen(e.id())) {
      log.debug("{}: dropping duplicate {} {}", peerId(), e.type(), e.id());
      return;
    }
    if (ice != null && e.from() != null && e.from().equals(remotePeer)) ice.remoteMessage();
    if (e instanceof Envelope.Welcome w) onWelcome(w);
    else if (e instanceof Envelope.PeerJoined pj) onPeerJoined(pj.peer());
    else if (e instanceof Envelope.PeerLeft pl) onPeerLeft(pl.peer());
    else if (e instanceof Envelope.Offer o) onOffer(o);
    else if (e instanceof Envelope.Answer a) onAnswer(a);
    else if (e instanceof Envelope.Candidate c) onCandidate(c);
    else if (e instanceof Envelope.Bye b) onBye(b);
    else if (e instanceof Envelope.Error err) onError(err);
    else log.debug("{}: ignoring {}", peerId(), e.type());
  }

  private void onWelcome(Envelope.Welcome w) {
    joined = true;
    List<IceServer> servers = new ArrayList<>();
    for (IceServerInfo info : w.iceServers()) {
      servers.add(IceServer.builder().urls(info.urls()).username(info.username()).credential(info.credential()).build());
    }
    turn.welcome(servers, peer != null && !ended); // a re-join mid-call brings new credentials
    roomPeers.clear();
    for (String p : w.peers()) if (!p.equals(peerId())) roomPeers.add(p);
    Set<String> peers = Set.copyOf(roomPeers);
    progress("joined " + options.room() + " with " + peers.size() + " other peer(s)");
    emit(l -> l.onJoined(session, peers));
    if (remotePeer != null && !roomPeers.contains(remotePeer)) onPeerLeft(remotePeer);
    if (pendingCallTarget != null) {
      String target = pendingCallTarget;
      pendingCallTarget = null;
      placeCall(target);
    }
  }

  private void onPeerJoined(String p) {
    if (p.equals(peerId())) return;
    roomPeers.add(p);
    if (p.equals(remotePeer) && ice != null) ice.remoteBack();
    emit(l -> l.onPeerJoined(session, p));
  }

  private void onPeerLeft(String p) {
    roomPeers.remove(p);
    emit(l -> l.onPeerLeft(session, p));
    if (pendingIncoming != null && pendingIncoming.from.equals(p)) {
      pendingIncoming = null;
      progress("caller " + p + " left");
    }
    if (p.equals(remotePeer) && ice != null) ice.remoteGone(p + " left the room");
  }

  private void onOffer(Envelope.Offer o) {
    String from = o.from();
    if (from == null) return;
    if (remotePeer == null) {
      if (pendingIncoming != null && !pendingIncoming.from.equals(from)) {
        send(new Envelope.Bye(Ids.newId(), room(), peerId(), from, "busy"));
        return;
      }
      List<Envelope.IceCandidate> early = candidates.takeEarly(from);
      if (options.answerMode() == dev.simplecall.AnswerMode.AUTO) {
        IncomingCallImpl in = new IncomingCallImpl(this, from, o.sdp(), true);
        in.candidates.addAll(early);
        progress("incoming call from " + from);
        emit(l -> l.onIncomingCall(session, in));
        accept(in);
      } else if (pendingIncoming != null) {
        pendingIncoming.offerSdp = o.sdp(); // the caller re-offered while we decide
      } else {
        IncomingCallImpl in = new IncomingCallImpl(this, from, o.sdp(), false);
        in.candidates.addAll(early);
        pendingIncoming = in;
        progress("incoming call from " + from);
        emit(l -> l.onIncomingCall(session, in));
      }
      return;
    }
    if (!from.equals(remotePeer)) {
      send(new Envelope.Bye(Ids.newId(), room(), peerId(), from, "busy"));
      return;
    }
    negotiator.onRemoteDescription(SdpType.OFFER, o.sdp());
  }

  void accept(IncomingCallImpl in) {
    if (ended || remotePeer != null) return;
    if (!in.auto && pendingIncoming != in) return;
    pendingIncoming = null;
    if (!setupCall(in.from, false)) return;
    negotiator.onRemoteDescription(SdpType.OFFER, in.offerSdp);
    for (Envelope.IceCandidate c : in.candidates) negotiator.onRemoteCandidate(c);
    in.candidates.clear();
  }

  void decline(IncomingCallImpl in) {
    if (ended || pendingIncoming != in) return;
    pendingIncoming = null;
    progress("declined call from " + in.from);
    send(new Envelope.Bye(Ids.newId(), room(), peerId(), in.from, "declined"));
  }

  private void onAnswer(Envelope.Answer a) {
    if (negotiator == null || !Objects.equals(a.from(), remotePeer)) return;
    negotiator.onRemoteDescription(SdpType.ANSWER, a.sdp());
  }

  private void onCandidate(Envelope.Candidate c) {
    if (pendingIncoming != null && pendingIncoming.from.equals(c.from())) {
      if (c.candidate() != null && pendingIncoming.candidates.size() < Candidates.MAX_EARLY_PER_SENDER) {
        pendingIncoming.candidates.add(c.candidate());
      }
      return;
    }
    if (remotePeer == null && c.from() != null && c.candidate() != null) {
      candidates.early(c.from(), c.candidate());
      return;
    }
    if (negotiator == null || !Objects.equals(c.from(), remotePeer)) return;
    if (c.candidate() == null) {
      log.debug("{}: end of candidates from {}", peerId(), c.from());
      return;
    }
    negotiator.onRemoteCandidate(c.candidate());
  }

  private void onBye(Envelope.Bye b) {
    if (pendingIncoming != null && pendingIncoming.from.equals(b.from())) {
      pendingIncoming = null;
      progress("caller " + b.from() + " gave up");
      return;
    }
    if (remotePeer == null || !remotePeer.equals(b.from())) return;
    String reason = b.reason() == null ? "hangup" : b.reason();
    EndReason r;
    switch (reason) {
      case "declined": r = EndReason.DECLINED; break;
      case "busy": r = EndReason.BUSY; break;
      case "ice-failed": r = EndReason.ICE_FAILED; break;
      default: r = EndReason.REMOTE_HANGUP;
    }
    progress(b.from() + " ended the call (" + reason + ")");
    end(r, r == EndReason.ICE_FAILED ? new CallException(NO_ROUTE) : null, null);
  }

  private void onError(Envelope.Error err) {
    log.warn("{}: signaling error {}: {} (ref {})", peerId(), err.code(), err.message(), err.ref());
    if (err.errorCode() == ErrorCode.NO_SUCH_PEER && remotePeer != null && peer != null) {
      if (!everConnected()) {
        end(EndReason.FAILED, new CallException("no peer " + remotePeer + " in room " + room()), null);
      } else {
        ice.remoteGone(remotePeer + " is gone");
      }
    } else if (err.errorCode() == ErrorCode.UNAUTHORIZED || err.errorCode() == ErrorCode.ROOM_FULL) {
      end(EndReason.SIGNALING_FAILED, new CallException("signaling refused: " + err.code() + " " + err.message()), null);
    }
  }

  // ------------------------------------------------------------------ the call

  private void placeCall(String target) {
    if (pendingIncoming != null) { // we call out instead of answering: the waiting caller hears busy
      send(new Envelope.Bye(Ids.newId(), room(), peerId(), pendingIncoming.from, "busy"));
      pendingIncoming = null;
    }
    progress("calling " + target);
    if (!setupCall(target, true)) return;
    attachMedia();
    if (ended) return; // a local source could not start (attachVideo ended the call)
    if (!peer.hasLocalMedia()) peer.ensureTransport(); // the offer needs at least one m-line
    noAnswerTimer = schedule(options.noAnswerTimeout(), () -> {
      if (!answered && !everConnected()) {
        progress("no answer from " + target);
        end(EndReason.NO_ANSWER, null, "timeout");
      }
    });
  }

  /** False when the engine could not be made (the session has ended FAILED). */
  private boolean setupCall(String remote, boolean outgoing) {
    remotePeer = remote;
    callStartNanos = System.nanoTime();
    ice = new IceSupervisor(options.iceFailureTimeout(), options.iceRestartAfter(), remote,
        factory.capabilities().deliversToReconnectingPeer(), callStartNanos, timers, new IceCall());
    setState(CallState.CONNECTING);
    boolean polite = peerId().compareTo(remote) > 0;
    List<IceServer> servers = iceServers();
    var policy = options.iceTransportPolicy() != null ? options.iceTransportPolicy() : ctx.policy();
    if (!prepareMedia()) return false;
    peer = media.newPeer(servers, policy, exec, events, new PeerEvents());
    for (VideoFrameSink s : remoteVideoSinks) peer.sinks(s, null, null, true);
    for (VideoFrameSink s : localVideoSinks) peer.sinks(null, s, null, true);
    for (AudioSink s : remoteAudioSinks) peer.sinks(null, null, s, true);
    negotiator = new Negotiator(peer, polite, exec, new NegotiationSink());
    log.debug("{}: call with {} ({}, {})", peerId(), remote, outgoing ? "outgoing" : "incoming", polite ? "polite" : "impolite");
    return true;
  }

  private List<IceServer> iceServers() {
    List<IceServer> servers = new ArrayList<>(ctx.iceServers());
    servers.addAll(turn.servers());
    if (options.iceServers() != null) servers.addAll(options.iceServers());
    return servers;
  }

  // ------------------------------------------------------------------ TURN credential refresh

  /**
   * Fresh TURN credentials mid-call: the peer connection's configuration for every later gathering
   * and, when our side of the selected pair is a relay, an ICE restart now so the relay is
   * re-allocated with credentials that stay valid (coturn refuses the old allocation's refresh once
   * its user name has expired).
   */
  private void useFreshTurnCredentials() {
    if (peer == null || ended) return;
    peer.setIceServers(iceServers());
    if (!everConnected()) return;
    peer.localCandidateType().whenCompleteAsync((type, err) -> {
      if (ended || err != null || state != CallState.CONNECTED) return;
      if ("relay".equals(type)) {
        progress("ICE restart for fresh TURN credentials");
        candidates.hold();
        negotiator.restartIce();
      }
    }, exec);
  }

  private void attachMedia() {
    if (mediaAttached) return;
    mediaAttached = true;
    attachVideo();
    attachAudio();
  }

  private void attachVideo() {
    try {
      peer.setVideo(video);
    } catch (dev.simplecall.internal.media.VideoUnavailableException e) {
      // e.g. "screen capture needs an X display: DISPLAY is not set": the app asked for this source
      log.warn("{}: video {} unavailable: {}", peerId(), video, e.getMessage());
      end(EndReason.FAILED, new CallException(e.getMessage(), e), "error");
      return;
    }
    if (everConnected()) peer.mediaConnected(); // video replaced mid-call
    peer.setVideoEnabled(videoEnabled);
    if (appVideo != null) appVideo.target = peer.appVideo();
  }

  private void attachAudio() {
    peer.setAudio(audio);
    peer.setAudioMuted(audioMuted);
    if (appAudio != null) appAudio.target = peer.appAudio();
  }

  private final class NegotiationSink implements Negotiator.Sink {
    @Override
    public void sendOffer(String sdp) {
      lastOfferId = Ids.newId();
      send(new Envelope.Offer(lastOfferId, room(), peerId(), remotePeer, sdp));
      candidates.release();
    }

    @Override
    public void sendAnswer(String sdp) {
      send(new Envelope.Answer(Ids.newId(), room(), peerId(), remotePeer, sdp));
      candidates.release();
      ice.descriptionsExchanged();
    }

    @Override
    public void answered() {
      if (!answered) {
        answered = true;
        cancel(noAnswerTimer);
        progress(remotePeer + " answered");
      }
      ice.descriptionsExchanged();
    }

    @Override
    public void beforeAnswer() {
      attachMedia();
      // a local source could not start: attachVideo ended the call; stop the answer here
      if (ended) throw new IllegalStateException("the session ended while attaching local media");
    }

    @Override
    public void failed(String what, Throwable cause) {
      end(EndReason.FAILED, new CallException(what + ": " + cause.getMessage(), cause), "error");
    }
  }

  private final class PeerEvents implements WebRtcPeer.Events {
    @Override
    public void onLocalCandidate(Envelope.IceCandidate c) {
      if (remotePeer == null || ended) return;
      candidates.local(c);
    }

    @Override
    public void onGatheringComplete() {
      if (remotePeer == null || ended) return;
      candidates.localComplete();
    }

    @Override
    public void onIceState(IceState s) {
      if (!ended) ice.onIceState(s);
    }

    @Override
    public void onConnectionState(IceState s) {
      if (!ended) ice.onConnectionState(s);
    }

    @Override
    public void onNegotiationNeeded() {
      if (negotiator != null && !ended) negotiator.negotiationNeeded();
    }

    @Override
    public void onRemoteDataChannel(DataChannel channel) {
      emit(l -> l.onDataChannel(session, channel));
    }

    @Override
    public void onFirstRemoteFrame() {
      firstFrameMs = (System.nanoTime() - callStartNanos) / 1_000_000;
      progress("first remote frame after " + firstFrameMs + " ms");
      emit(l -> l.onFirstRemoteFrame(session));
    }
  }

  /** What the ICE rules do to this call. */
  private final class IceCall implements IceSupervisor.Call {
    @Override
    public void connected(long connectMs) {
      peer.mediaConnected(); // a video file starts playing now, so the far end sees it from its start
      cancel(noAnswerTimer);
      setState(CallState.CONNECTED);
      progress("connected in " + connectMs + " ms");
      scheduleStats();
    }

    @Override
    public void reconnecting(String why) {
      setState(CallState.RECONNECTING);
      progress(why);
    }

    @Override
    public void reconnected() {
      setState(CallState.CONNECTED);
      progress("reconnected");
    }

    @Override
    public void restartIce() {
      progress("ICE restart");
      candidates.hold(); // the new credentials' candidates must follow the restart offer
      negotiator.restartIce();
    }

    @Override
    public void progress(String step) {
      CallController.this.progress(step);
    }

    @Override
    public void end(EndReason reason, CallException error, String byeReason) {
      CallController.this.end(reason, error, byeReason);
    }
  }

  private boolean everConnected() {
    return ice != null && ice.everConnected();
  }

  private long connectMs() {
    return ice == null ? -1 : ice.connectMs();
  }

  private void scheduleStats() {
    cancel(statsTimer);
    statsTimer = null;
    if (statsInterval.isZero() || !everConnected() || ended) return;
    long ms = Math.max(100, statsInterval.toMillis());
    statsTimer = ctx.timer().scheduleAtFixedRate(() -> stats().thenAccept(st -> emit(l -> l.onStats(session, st))),
        ms, ms, TimeUnit.MILLISECONDS);
  }

  /** Ends the session once: bye (when {@code byeReason != null} and in a call), release, callbacks. */
  void end(EndReason reason, CallException error, String byeReason) {
    if (ended) return;
    ended = true;
    log.info("{}: ended {}{}", peerId(), reason, error != null ? " (" + error.getMessage() + ")" : "");
    if (ice != null) ice.stop();
    turn.stop();
    for (ScheduledFuture<?> f : new ScheduledFuture<?>[] {noAnswerTimer, statsTimer}) cancel(f);
    if (byeReason != null && remotePeer != null) {
      send(new Envelope.Bye(Ids.newId(), room(), peerId(), remotePeer, byeReason));
    }
    if (appVideo != null) appVideo.target = null;
    if (appAudio != null) appAudio.target = null;
    if (negotiator != null) negotiator.close();
    if (peer != null) {
      try {
        peer.close();
      } catch (Throwable t) {
        log.warn("{}: releasing the peer connection failed", peerId(), t);
      }
    }
    try {
      media.release(); // after the peer connection: factory, then audio device module
    } catch (Throwable t) {
      log.warn("{}: releasing the media engine failed", peerId(), t);
    }
    SignalingTransport t = transport;
    transport = null;
    if (t != null) {
      try {
        t.close();
      } catch (Throwable ex) {
        log.warn("{}: closing the transport failed", peerId(), ex);
      }
    }
    for (CompletableFuture<CallStats> f : pendingStats) f.completeExceptionally(sessionEnded());
    pendingStats.clear();
    setState(CallState.ENDED);
    emit(l -> l.onEnded(session, reason, error));
    ctx.unregister(session);
    released.countDown();
    exec.shutdown();
  }
}
