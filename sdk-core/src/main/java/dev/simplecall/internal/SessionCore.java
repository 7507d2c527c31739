package dev.simplecall.internal;

import dev.simplecall.CallSession.Listener;
import dev.simplecall.CallState;
import dev.simplecall.SessionOptions;
import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.spi.SignalingTransport;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every part of a session shares: the session's own thread ({@link #exec}, where all mutable call
 * state lives), the app's listener behind {@link #emit} (one callback at a time, on the app's
 * executor), timers that run on the session thread, the state the app reads, and the transport that
 * signaling goes out on.
 */
final class SessionCore {
  private static final Logger log = LoggerFactory.getLogger(SessionCore.class);

  final SessionImpl session;
  final ClientContext ctx;
  final SessionOptions options;
  final ExecutorService exec;
  final CountDownLatch released = new CountDownLatch(1);
  private final Listener listener;
  private final SerialExecutor events;
  /** What a task that throws does (the controller ends the session FAILED). */
  private final Consumer<Throwable> taskFailed;
  volatile CallState state = CallState.NEW;

  // ---- confined to exec
  /** True once the session has ended: every part stops acting. */
  boolean ended;
  SignalingTransport transport;

  SessionCore(SessionImpl session, ClientContext ctx, SessionOptions options, Listener listener,
      Consumer<Throwable> taskFailed) {
    this.session = session;
    this.ctx = ctx;
    this.options = options;
    this.listener = listener;
    this.taskFailed = taskFailed;
    this.exec = Executors.newSingleThreadExecutor(NamedThreads.daemonSingle("simplecall-session-" + options.peerId()));
    this.events = new SerialExecutor(ctx.appExecutor());
  }

  String peerId() {
    return options.peerId();
  }

  String room() {
    return options.room();
  }

  /** The app's callback executor, serialised: what app-facing objects (data channels) call back on. */
  SerialExecutor callbacks() {
    return events;
  }

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
          taskFailed.accept(t);
        }
      });
      return true;
    } catch (RejectedExecutionException e) {
      log.debug("{}: session over, dropping a task", peerId());
      return false;
    }
  }

  /** Calls the app's listener on its executor; a listener that throws is logged, never fatal. */
  void emit(Consumer<Listener> call) {
    events.execute(() -> {
      try {
        call.accept(listener);
      } catch (Throwable t) {
        log.warn("{}: listener threw", peerId(), t);
      }
    });
  }

  void progress(String step) {
    log.debug("{}: {}", peerId(), step);
    emit(l -> l.onProgress(session, step));
  }

  void setState(CallState s) {
    if (state == s) return;
    state = s;
    emit(l -> l.onStateChanged(session, s));
  }

  /** The session's timers for its parts: the client's clock, with tasks moved to the session thread. */
  final SessionTimers timers = new SessionTimers() {
    @Override
    public ScheduledFuture<?> schedule(Duration delay, Runnable task) {
      return ctx.clock().schedule(delay, () -> run(task));
    }

    @Override
    public long nanoTime() {
      return ctx.clock().nanoTime();
    }

    @Override
    public Instant now() {
      return ctx.clock().now();
    }
  };

  static void cancel(ScheduledFuture<?> f) {
    if (f != null) f.cancel(false);
  }

  /** Sends {@code e} on the transport; a refusal (closed, or a full outbox) is logged. */
  void send(Envelope e) {
    if (transport == null) return;
    if (transport.send(EnvelopeCodec.encode(e))) return;
    // closed (the session is ending), or its outbox is full: signaling has been down for long
    if (ended) log.debug("{}: transport refused {} (closed)", peerId(), e.type());
    else log.warn("{}: signaling transport refused {} ({}; closed, or its outbox is full)", peerId(), e.type(), e.id());
  }
}
