package dev.simplecall.internal;

import dev.simplecall.IceServer;
import dev.simplecall.IceTransportPolicy;
import dev.simplecall.MediaOptions;
import dev.simplecall.internal.media.MediaEngine;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@code CallClient} shares with its sessions: settings, the callback executor and a timer
 * thread. The native media engine (audio device module + factory) is per call by default: the
 * audio engine has one microphone mix per factory, so calls sharing a factory would hear each
 * other's local audio; the churn measurement (BENCHMARKS.md, docs/adr/0001) shows an engine per call
 * costs little more memory than a shared one. {@code -Dsimplecall.factory=shared} keeps one engine
 * per client (benchmarks).
 */
public final class ClientContext {
  private static final Logger log = LoggerFactory.getLogger(ClientContext.class);

  private final List<IceServer> iceServers;
  private final IceTransportPolicy policy;
  private final MediaOptions media;
  private final Executor appExecutor;
  /** The app's HTTP client, or {@code null}: then {@link #httpClient()} makes a default one once. */
  private final HttpClient appHttp;
  private HttpClient defaultHttp;
  private final ExecutorService ownExecutor;
  private final ScheduledThreadPoolExecutor timer;
  private final Set<SessionImpl> sessions = ConcurrentHashMap.newKeySet();
  private final Set<RoomImpl> rooms = ConcurrentHashMap.newKeySet();
  private final BiFunction<ClientContext, MediaOptions, CallMedia> callMedia;
  /** The clock of every session's call rules: real time on {@link #timer}, or a test's virtual clock. */
  private final SessionTimers clock;
  private MediaEngine engine;
  private boolean closed;

  public ClientContext(List<IceServer> iceServers, IceTransportPolicy policy, MediaOptions media, Executor executor,
      HttpClient httpClient) {
    this(iceServers, policy, media, executor, httpClient, NativeCallMedia::new);
  }

  /** With {@code callMedia} making each session's media (tests: a fake instead of libwebrtc). */
  ClientContext(List<IceServer> iceServers, IceTransportPolicy policy, MediaOptions media, Executor executor,
      HttpClient httpClient, BiFunction<ClientContext, MediaOptions, CallMedia> callMedia) {
    this(iceServers, policy, media, executor, httpClient, callMedia, null);
  }

  /**
   * With {@code clock} timing the sessions' call rules instead of real time (tests: a virtual clock,
   * so rules that wait seconds run in milliseconds); {@code null} for real time.
   */
  ClientContext(List<IceServer> iceServers, IceTransportPolicy policy, MediaOptions media, Executor executor,
      HttpClient httpClient, BiFunction<ClientContext, MediaOptions, CallMedia> callMedia, SessionTimers clock) {
    this.callMedia = callMedia;
    this.iceServers = iceServers;
    this.appHttp = httpClient;
    this.policy = policy;
    this.media = media;
    if (executor == null) {
      ownExecutor = Executors.newSingleThreadExecutor(NamedThreads.daemonSingle("simplecall-callbacks"));
      appExecutor = ownExecutor;
    } else {
      ownExecutor = null;
      appExecutor = executor;
    }
    timer = new ScheduledThreadPoolExecutor(1, NamedThreads.daemonSingle("simplecall-timer"));
    timer.setRemoveOnCancelPolicy(true);
    this.clock = clock != null ? clock : new SessionTimers() {
      @Override
      public ScheduledFuture<?> schedule(Duration delay, Runnable task) {
        return timer.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
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
  }

  public List<IceServer> iceServers() {
    return iceServers;
  }

  public IceTransportPolicy policy() {
    return policy;
  }

  public MediaOptions media() {
    return media;
  }

  /** The app's callback executor (or this client's own thread). */
  public Executor appExecutor() {
    return appExecutor;
  }

  /**
   * The HTTP client for the SDK's own requests (TURN credential refresh): the app's, with its proxy,
   * TLS and authenticator settings, or a default one made on first use.
   */
  public synchronized HttpClient httpClient() {
    if (appHttp != null) return appHttp;
    if (defaultHttp == null) defaultHttp = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    return defaultHttp;
  }

  /** The HTTP client the app set, or {@code null}. */
  public HttpClient appHttpClient() {
    return appHttp;
  }

  public ScheduledExecutorService timer() {
    return timer;
  }

  /** The clock of the sessions' call rules; its tasks run on a timer thread, never a session's. */
  SessionTimers clock() {
    return clock;
  }

  static final boolean SHARED_ENGINE = "shared".equals(System.getProperty("simplecall.factory"));

  /** The media side of a session whose call starts with {@code callMedia}. */
  CallMedia callMedia(MediaOptions callMedia) {
    return this.callMedia.apply(this, callMedia);
  }

  /**
   * A media engine for one call: a new one (the caller closes it), or the client's shared one. A
   * call with a microphone or speaker always gets its own (the sound server's module is per call).
   */
  public synchronized MediaEngine acquireEngine(MediaOptions callMedia) {
    if (closed) throw new IllegalStateException("CallClient is closed");
    if (MediaEngine.needsDevices(callMedia)) return MediaEngine.create(callMedia);
    if (!SHARED_ENGINE) return MediaEngine.create();
    if (engine == null) engine = MediaEngine.create();
    return engine;
  }

  /** Returns an engine from {@link #acquireEngine()}: closes it unless it is the shared one. */
  public void releaseEngine(MediaEngine e) {
    if (e == null) return;
    synchronized (this) {
      if (e == engine) return;
    }
    e.close();
  }

  synchronized void register(SessionImpl s) {
    if (closed) throw new IllegalStateException("CallClient is closed");
    sessions.add(s);
  }

  void unregister(SessionImpl s) {
    sessions.remove(s);
  }

  synchronized void register(RoomImpl r) {
    if (closed) throw new IllegalStateException("CallClient is closed");
    rooms.add(r);
  }

  void unregister(RoomImpl r) {
    rooms.remove(r);
  }

  public synchronized boolean isClosed() {
    return closed;
  }

  /** Ends every session, waits for their native parts to be released, then disposes the engine. */
  public void close() {
    List<SessionImpl> toEnd;
    List<RoomImpl> roomsToEnd;
    synchronized (this) {
      if (closed) return;
      closed = true;
      roomsToEnd = new ArrayList<>(rooms);
    }
    // rooms first: each ends its connections' sessions and then releases its engine
    for (RoomImpl r : roomsToEnd) r.closeFromClient();
    for (RoomImpl r : roomsToEnd) {
      if (!r.awaitReleased(15, TimeUnit.SECONDS)) log.warn("room session {} did not release in 15 s", r.peerId());
    }
    synchronized (this) {
      toEnd = new ArrayList<>(sessions);
    }
    for (SessionImpl s : toEnd) s.closeFromClient();
    for (SessionImpl s : toEnd) {
      if (!s.awaitReleased(10, TimeUnit.SECONDS)) log.warn("session {} did not release in 10 s", s.peerId());
    }
    MediaEngine e;
    synchronized (this) {
      e = engine;
      engine = null;
    }
    if (e != null) e.close();
    timer.shutdownNow();
    if (ownExecutor != null) ownExecutor.shutdown();
  }
}
