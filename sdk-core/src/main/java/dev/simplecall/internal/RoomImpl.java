package dev.simplecall.internal;

import dev.simplecall.AnswerMode;
import dev.simplecall.AppAudioSource;
import dev.simplecall.AppVideoSource;
import dev.simplecall.AudioSource;
import dev.simplecall.CallException;
import dev.simplecall.CallState;
import dev.simplecall.EndReason;
import dev.simplecall.MediaOptions;
import dev.simplecall.Participant;
import dev.simplecall.RoomOptions;
import dev.simplecall.RoomSession;
import dev.simplecall.SessionOptions;
import dev.simplecall.VideoFrameSink;
import dev.simplecall.VideoSource;
import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.protocol.EnvelopeException;
import dev.simplecall.protocol.ErrorCode;
import dev.simplecall.protocol.IceServerInfo;
import dev.simplecall.protocol.Uris;
import dev.simplecall.spi.SignalingTransport;
import dev.simplecall.spi.SignalingTransportFactory;
import dev.simplecall.spi.TransportException;
import dev.simplecall.spi.TransportOptions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link RoomSession}: the room's signaling transport and its members. The room's thread owns the
 * members and routes what arrives: a member's offers, answers, candidates and byes to the session of
 * its connection ({@link RoomConnections}, one 1:1 session per member over {@link PairSignaling} and
 * the room's {@link SharedCallMedia}), errors by the id of the message they refer to; {@code welcome},
 * {@code peer-joined} and {@code peer-left} change the members. The app's calls are posted to that
 * thread; ending waits for every connection's session on a thread of its own.
 */
public final class RoomImpl implements RoomSession, SignalingTransport.Listener {
  private static final Logger log = LoggerFactory.getLogger(RoomImpl.class);
  /** At most this many envelopes are kept from before the first welcome (a room holds six members). */
  private static final int MAX_BEFORE_WELCOME = 256;
  /** How long leaving waits for each connection's session to release its peer connection. */
  private static final long RELEASE_WAIT_SECONDS = 10;

  private final ClientContext ctx;
  private final SignalingTransportFactory factory;
  private final RoomOptions options;
  private final Listener listener;
  private final ExecutorService exec;
  private final SerialExecutor events;
  private final SharedCallMedia media;
  private final CountDownLatch released = new CountDownLatch(1);
  private final Object sendLock = new Object();
  private final RoomConnections connections;
  private final AppVideoSource appVideo;
  private final AppAudioSource appAudio;
  private volatile State state = State.JOINING;
  private volatile List<Participant> snapshot = List.of();
  private volatile List<IceServerInfo> iceServers = List.of();
  private volatile SignalingTransport transport;

  // ---- confined to the room's thread
  private final Map<String, ParticipantImpl> members = new LinkedHashMap<>();
  /** Envelopes that came before the first welcome, replayed after it. */
  private final List<String> beforeWelcome = new ArrayList<>();
  private boolean ended;
  private boolean reconnecting;

  private RoomImpl(ClientContext ctx, SignalingTransportFactory factory, RoomOptions options, Listener listener) {
    this.ctx = ctx;
    this.factory = factory;
    this.options = options;
    SessionOptions s = options.session();
    this.listener = listener;
    this.exec = Executors.newSingleThreadExecutor(NamedThreads.daemonSingle("simplecall-room-" + s.peerId()));
    this.events = new SerialExecutor(ctx.appExecutor());
    MediaOptions initial = s.media() != null ? s.media() : ctx.media();
    this.media = new SharedCallMedia(ctx.callMedia(initial));
    this.appVideo = initial.video().kind() == VideoSource.Kind.APP_FRAMES ? RoomAppSources.video(this::participants) : null;
    this.appAudio = initial.audio().kind() == AudioSource.Kind.APP_PCM
        ? RoomAppSources.audio(initial.audio().sampleRate(), initial.audio().channels(), this::participants) : null;
    this.connections = new RoomConnections(ctx, s.newBuilder().answerMode(AnswerMode.AUTO).build(), media,
        factory.capabilities(), new ConnectionsHost());
  }

  /** Joins: the room's transport connects and the engine is made meanwhile. */
  public static RoomImpl join(ClientContext ctx, SignalingTransportFactory factory, RoomOptions options,
      Listener listener) {
    RoomImpl r = new RoomImpl(ctx, factory, options, listener);
    ctx.register(r);
    r.run(r::connect);
    return r;
  }

  // ------------------------------------------------------------------ the app's calls (any thread)

  @Override
  public String peerId() {
    return options.session().peerId();
  }

  @Override
  public String room() {
    return options.session().room();
  }

  @Override
  public State state() {
    return state;
  }

  @Override
  public List<Participant> participants() {
    return snapshot;
  }

  @Override
  public Participant participant(String peerId) {
    for (Participant p : snapshot) if (p.peerId().equals(peerId)) return p;
    return null;
  }

  @Override
  public Participant activeSpeaker() {
    Participant loudest = null;
    for (Participant p : snapshot) {
      if (p.audioLevel() > 0.01 && (loudest == null || p.audioLevel() > loudest.audioLevel())) loudest = p;
    }
    return loudest;
  }

  @Override
  public AppVideoSource appVideo() {
    return appVideo;
  }

  @Override
  public AppAudioSource appAudio() {
    return appAudio;
  }

  @Override
  public VideoLimits videoLimits() {
    return connections.limits();
  }

  @Override
  public void addLocalVideoSink(VideoFrameSink sink) {
    connections.addLocalVideoSink(sink);
  }

  @Override
  public void removeLocalVideoSink(VideoFrameSink sink) {
    connections.removeLocalVideoSink(sink);
  }

  @Override
  public int sendToAll(String text) {
    Objects.requireNonNull(text, "text == null");
    int sent = 0;
    for (Participant p : snapshot) if (p.send(text)) sent++;
    return sent;
  }

  @Override
  public void setAudioMuted(boolean muted) {
    run(() -> connections.setAudioMuted(muted));
  }

  @Override
  public void setVideoEnabled(boolean enabled) {
    run(() -> connections.setVideoEnabled(enabled));
  }

  @Override
  public CompletableFuture<Void> setVideo(VideoSource source) {
    Objects.requireNonNull(source, "source == null");
    CompletableFuture<Void> f = new CompletableFuture<>();
    boolean queued = run(() -> {
      try {
        connections.setVideo(source);
        f.complete(null);
      } catch (RuntimeException e) {
        progress("video " + source + " unavailable (" + e.getMessage() + "); the room keeps its video");
        f.completeExceptionally(e);
      }
    });
    if (!queued) f.completeExceptionally(new IllegalStateException("the room session has ended"));
    return f;
  }

  @Override
  public CompletableFuture<Void> setMicrophone(String nameOrDescription) {
    Objects.requireNonNull(nameOrDescription, "nameOrDescription == null");
    CompletableFuture<Void> f = new CompletableFuture<>();
    boolean queued = run(() -> {
      try {
        media.switchDevice(e -> e.setMicrophone(nameOrDescription));
        f.complete(null);
      } catch (RuntimeException e) {
        f.completeExceptionally(e);
      }
    });
    if (!queued) f.completeExceptionally(new IllegalStateException("the room session has ended"));
    return f;
  }

  @Override
  public void leave() {
    run(() -> end(EndReason.HANGUP, null));
  }

  @Override
  public void close() {
    leave();
  }

  void closeFromClient() {
    if (!run(() -> end(EndReason.CLIENT_CLOSED, null))) released.countDown();
  }

  boolean awaitReleased(long time, TimeUnit unit) {
    try {
      return released.await(time, unit);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public String toString() {
    return "RoomSession[" + room() + "/" + peerId() + " " + state + ", " + snapshot.size() + " other(s)]";
  }

  // ------------------------------------------------------------------ the room's transport (any thread)

  @Override
  public void onOpen(SignalingTransport t) {
    run(() -> {
      if (!reconnecting) return;
      reconnecting = false;
      progress("signaling back");
      for (ParticipantImpl m : members.values()) if (m.signaling != null) m.signaling.roomOpen();
    });
  }

  @Override
  public void onMessage(SignalingTransport t, String text) {
    run(() -> onSignal(text));
  }

  @Override
  public void onReconnecting(SignalingTransport t, Throwable cause) {
    run(() -> {
      reconnecting = true;
      progress("signaling lost; reconnecting");
      for (ParticipantImpl m : members.values()) if (m.signaling != null) m.signaling.roomReconnecting(cause);
    });
  }

  @Override
  public void onClosed(SignalingTransport t) {
    run(() -> end(EndReason.SIGNALING_FAILED, new CallException("signaling closed")));
  }

  @Override
  public void onFailure(SignalingTransport t, TransportException error) {
    run(() -> end(EndReason.SIGNALING_FAILED, new CallException("signaling failed: " + error.getMessage(), error)));
  }

  // ------------------------------------------------------------------ on the room's thread

  private boolean run(Runnable r) {
    try {
      exec.execute(() -> {
        try {
          r.run();
        } catch (Throwable t) {
          log.error("{}: room task failed", peerId(), t);
          end(EndReason.FAILED, new CallException("internal error: " + t, t));
        }
      });
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }

  private void emit(Consumer<Listener> call) {
    events.execute(() -> {
      try {
        call.accept(listener);
      } catch (Throwable t) {
        log.warn("{}: room listener threw", peerId(), t);
      }
    });
  }

  private void progress(String step) {
    log.debug("{}: {}", peerId(), step);
    emit(l -> l.onProgress(this, step));
  }

  private void connect() {
    SessionOptions s = options.session();
    progress("joining " + s.room() + " via " + Uris.redact(s.signaling()));
    TransportOptions topts = TransportOptions.builder().room(s.room()).peerId(s.peerId()).token(s.token()).build();
    try {
      transport = factory.create(s.signaling(), topts, this);
    } catch (RuntimeException e) {
      end(EndReason.SIGNALING_FAILED, new CallException("cannot create transport for " + Uris.redact(s.signaling())
          + ": " + e.getMessage(), e));
      return;
    }
    try {
      media.prepare(); // while signaling connects: no connection waits for the engine
    } catch (RuntimeException | LinkageError e) {
      end(EndReason.FAILED, new CallException(e instanceof dev.simplecall.internal.audio.AudioUnavailableException
          ? e.getMessage() : "native WebRTC engine failed to start: " + e, e));
    }
  }

  private boolean send(String text) {
    SignalingTransport t = transport;
    if (t == null) return false;
    synchronized (sendLock) {
      return t.send(text);
    }
  }

  private void onSignal(String text) {
    if (ended) return;
    Envelope e;
    try {
      e = EnvelopeCodec.decode(text);
    } catch (EnvelopeException ex) {
      log.warn("{}: dropping a garbled signaling message ({})", peerId(), ex.getMessage());
      return;
    }
    if (state == State.JOINING && !(e instanceof Envelope.Welcome)) {
      // a transport may hand over a member's arrival (or offer) before this member's own welcome: kept
      // and replayed after it, so neither is lost nor undone by a welcome that predates it
      if (beforeWelcome.size() < MAX_BEFORE_WELCOME) beforeWelcome.add(text);
      return;
    }
    if (e instanceof Envelope.Welcome w) onWelcome(w);
    else if (e instanceof Envelope.PeerJoined pj) onPeerJoined(pj.peer());
    else if (e instanceof Envelope.PeerLeft pl) onPeerLeft(pl.peer());
    else if (e instanceof Envelope.Offer o) toPair(o.from(), text, true);
    else if (e instanceof Envelope.Answer a) toPair(a.from(), text, false);
    else if (e instanceof Envelope.Candidate c) toPair(c.from(), text, false);
    else if (e instanceof Envelope.Bye b) toPair(b.from(), text, false);
    else if (e instanceof Envelope.Error err) onError(err, text);
    else log.debug("{}: ignoring {}", peerId(), e.type());
  }

  private void onWelcome(Envelope.Welcome w) {
    iceServers = List.copyOf(w.iceServers());
    List<String> others = new ArrayList<>();
    for (String p : w.peers()) if (!p.equals(peerId())) others.add(p);
    boolean first = state == State.JOINING;
    if (first && others.size() + 1 > options.maxParticipants()) {
      end(EndReason.SIGNALING_FAILED, new CallException("room " + room() + " already has " + others.size()
          + " member(s): joining would make " + (others.size() + 1) + ", over this app's limit of "
          + options.maxParticipants()));
      return;
    }
    state = State.JOINED;
    for (ParticipantImpl m : new ArrayList<>(members.values())) {
      if (!others.contains(m.peerId())) memberLeft(m); // it left while we were away
    }
    List<ParticipantImpl> added = new ArrayList<>();
    for (String p : others) {
      ParticipantImpl m = members.get(p);
      if (m == null) added.add(addMember(p));
      else if (!m.present) memberBack(m);
    }
    progress("joined " + room() + " with " + others.size() + " other member(s)");
    if (first) {
      List<Participant> now = snapshot;
      emit(l -> l.onJoined(this, now));
    } else {
      for (ParticipantImpl m : added) emit(l -> l.onParticipantJoined(this, m));
    }
    for (String p : others) connections.callIfOurs(members.get(p));
    if (first) {
      List<String> held = new ArrayList<>(beforeWelcome);
      beforeWelcome.clear();
      for (String text : held) onSignal(text);
    }
  }

  private void onPeerJoined(String p) {
    if (p.equals(peerId()) || state != State.JOINED) return;
    ParticipantImpl m = members.get(p);
    if (m == null) {
      ParticipantImpl added = addMember(p);
      emit(l -> l.onParticipantJoined(this, added));
      m = added;
    } else {
      memberBack(m);
    }
    connections.callIfOurs(m);
  }

  private void memberBack(ParticipantImpl m) {
    m.present = true;
    if (m.signaling != null) m.signaling.memberJoined();
  }

  private void onPeerLeft(String p) {
    ParticipantImpl m = members.get(p);
    if (m != null) memberLeft(m);
  }

  /**
   * A member left signaling. Without a connection it is gone; with one, its session decides as a 1:1
   * call does (it ends once the member's media stops, or the member comes back).
   */
  private void memberLeft(ParticipantImpl m) {
    m.present = false;
    if (m.pair() == null) removeMember(m);
    else m.signaling.memberLeft();
  }

  private ParticipantImpl addMember(String p) {
    ParticipantImpl m = new ParticipantImpl(p);
    members.put(p, m);
    snapshot = List.copyOf(members.values());
    connections.sizeChanged(members.size());
    return m;
  }

  private void removeMember(ParticipantImpl m) {
    if (members.remove(m.peerId()) == null) return;
    snapshot = List.copyOf(members.values());
    connections.sizeChanged(members.size());
    m.setState(CallState.ENDED);
    progress(m.peerId() + " left");
    emit(l -> l.onParticipantLeft(this, m));
  }

  private void toPair(String from, String text, boolean offer) {
    if (from == null) return;
    ParticipantImpl m = members.get(from);
    if (m == null) {
      if (!offer) {
        log.debug("{}: dropping a message from {}, not a member", peerId(), from);
        return;
      }
      ParticipantImpl added = addMember(from); // its offer overtook its peer-joined
      emit(l -> l.onParticipantJoined(this, added));
      m = added;
    }
    if (m.pair() == null) {
      if (!offer) {
        log.debug("{}: dropping a message from {}: no connection with it", peerId(), from);
        return;
      }
      connections.start(m, false);
    }
    m.signaling.deliver(text);
  }

  private void onError(Envelope.Error err, String text) {
    ErrorCode code = err.errorCode();
    if (code == ErrorCode.UNAUTHORIZED || code == ErrorCode.ROOM_FULL) {
      end(EndReason.SIGNALING_FAILED, new CallException("signaling refused: " + err.code() + " " + err.message()));
      return;
    }
    String to = connections.sentTo(err.ref());
    ParticipantImpl m = to == null ? null : members.get(to);
    if (m != null && m.signaling != null) m.signaling.deliver(text);
    else log.warn("{}: signaling error {}: {} (ref {})", peerId(), err.code(), err.message(), err.ref());
  }

  /** Ends the room once: every connection ends, then the transport closes and the engine is released. */
  private void end(EndReason reason, CallException error) {
    if (ended) return;
    ended = true;
    state = State.ENDED;
    log.info("{}: room {} ended {}{}", peerId(), room(), reason, error != null ? " (" + error.getMessage() + ")" : "");
    List<SessionImpl> pairs = connections.endAll(reason);
    // waiting for the sessions must not hold the room's thread (their byes go out through it)
    Thread closer = new Thread(() -> release(pairs, reason, error), "simplecall-room-close-" + peerId());
    closer.setDaemon(true);
    closer.start();
  }

  private void release(List<SessionImpl> pairs, EndReason reason, CallException error) {
    for (SessionImpl p : pairs) {
      if (!p.awaitReleased(RELEASE_WAIT_SECONDS, TimeUnit.SECONDS)) {
        log.warn("{}: the connection with {} did not release in {} s", peerId(), p.remotePeerId(), RELEASE_WAIT_SECONDS);
      }
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
    try {
      connections.releaseHeldVideo();
      media.release();
    } catch (Throwable t2) {
      log.warn("{}: releasing the media engine failed", peerId(), t2);
    }
    // on the room's thread, so that the app sees no member once it hears onEnded
    if (!run(() -> {
      List<ParticipantImpl> left = new ArrayList<>(members.values());
      members.clear();
      snapshot = List.of();
      for (ParticipantImpl m : left) m.setState(CallState.ENDED);
      finish(reason, error);
    })) {
      finish(reason, error);
    }
  }

  private void finish(EndReason reason, CallException error) {
    emit(l -> l.onEnded(this, reason, error));
    ctx.unregister(this);
    exec.shutdown();
    released.countDown();
  }

  /** What the connections use of the room. */
  private final class ConnectionsHost implements RoomConnections.Host {
    @Override
    public RoomSession session() {
      return RoomImpl.this;
    }

    @Override
    public String peerId() {
      return RoomImpl.this.peerId();
    }

    @Override
    public String room() {
      return RoomImpl.this.room();
    }

    @Override
    public boolean run(Runnable task) {
      return RoomImpl.this.run(task);
    }

    @Override
    public void emit(Consumer<Listener> call) {
      RoomImpl.this.emit(call);
    }

    @Override
    public void progress(String step) {
      RoomImpl.this.progress(step);
    }

    @Override
    public boolean ended() {
      return ended;
    }

    @Override
    public boolean send(String text) {
      return RoomImpl.this.send(text);
    }

    @Override
    public Collection<ParticipantImpl> members() {
      return members.values();
    }

    @Override
    public ParticipantImpl member(String peerId) {
      return members.get(peerId);
    }

    @Override
    public void gone(ParticipantImpl m) {
      removeMember(m);
    }

    @Override
    public List<IceServerInfo> iceServers() {
      return iceServers;
    }
  }
}
