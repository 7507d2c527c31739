package dev.simplecall.spi.support;

import dev.simplecall.spi.SignalingTransport;
import dev.simplecall.spi.TransportException;
import dev.simplecall.spi.TransportOptions;
import java.time.Duration;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread a transport's state and callbacks live on, and the bookkeeping of the {@link
 * SignalingTransport} contract that every network transport shares: callbacks one at a time, {@code
 * onReconnecting} once per outage, the reconnect backoff, giving up after {@link
 * TransportOptions#giveUpAfter()}, and exactly one terminal callback with nothing after it.
 *
 * <p>A transport confines its own mutable state to this loop: it posts I/O callbacks here with
 * {@link #execute}, and calls the event methods ({@link #opened()}, {@link #message}, ...) only from
 * the loop. Only {@link #execute}, {@link #schedule}, {@link #enqueue}, {@link #dequeued}, {@link
 * #unsent()} and {@link #isTerminated()} may be called from any thread.
 *
 * <p>It also keeps the outbox bound ({@link TransportOptions#maxQueuedMessages()}): {@code send}
 * queues through {@link #enqueue}, and the transport calls {@link #dequeued} for each message that
 * leaves its outbox (handed to the network, answered with an error, or dropped at close).
 *
 * <pre>{@code
 * loop = new TransportLoop("simplecall-ws-" + peer, this, listener, options, this::cancelIo);
 * loop.execute(this::connect);              // start the first attempt on the loop
 * // in an I/O callback:
 * loop.execute(() -> loop.disconnected(cause)); // then schedule the next attempt:
 * loop.schedule(this::connect, loop.nextBackoff());
 * }</pre>
 */
public final class TransportLoop {
  private static final Logger log = LoggerFactory.getLogger(TransportLoop.class);

  private final ScheduledThreadPoolExecutor executor;
  private final SignalingTransport transport;
  private final SignalingTransport.Listener listener;
  private final TransportOptions options;
  private final Runnable cleanup;
  private final Random random = new Random();
  private final AtomicInteger unsent = new AtomicInteger();
  private volatile boolean terminated;

  // Only touched on the loop thread.
  private boolean outageReported;
  private int attempt;
  private ScheduledFuture<?> giveUp;

  /**
   * Starts the loop's daemon thread and the give-up clock: the transport fails with {@code UNREACHABLE}
   * unless {@link #opened()} is called within {@link TransportOptions#giveUpAfter()}.
   *
   * @param threadName name of the daemon thread
   * @param transport the transport, passed to every callback
   * @param listener receives the callbacks, on the loop thread
   * @param options the reconnect timing, give-up time and outbox bound
   * @param cleanup run on the loop just before the terminal callback, to cancel the transport's I/O
   * @throws NullPointerException when an argument is {@code null}
   */
  public TransportLoop(
      String threadName,
      SignalingTransport transport,
      SignalingTransport.Listener listener,
      TransportOptions options,
      Runnable cleanup) {
    Objects.requireNonNull(threadName, "threadName == null");
    this.transport = Objects.requireNonNull(transport, "transport == null");
    this.listener = Objects.requireNonNull(listener, "listener == null");
    this.options = Objects.requireNonNull(options, "options == null");
    this.cleanup = Objects.requireNonNull(cleanup, "cleanup == null");
    this.executor =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, threadName);
              t.setDaemon(true);
              return t;
            });
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    execute(this::armGiveUp); // not connected yet: the give-up clock runs from creation
  }

  /**
   * Runs {@code task} on the loop; returns {@code false} (and drops it) once terminated. Any thread.
   * A task that throws a {@code RuntimeException} is logged; the loop goes on.
   *
   * @param task what to run; not run at all if the loop has terminated by the time its turn comes
   * @return {@code true} when queued
   */
  public boolean execute(Runnable task) {
    if (terminated) return false;
    try {
      executor.execute(() -> run(task));
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }

  /**
   * For {@link SignalingTransport#send}: counts one message into the outbox and runs {@code addToOutbox}
   * on the loop. Returns {@code false}, running nothing, when terminated or when {@link
   * TransportOptions#maxQueuedMessages()} messages are unsent. Any thread.
   *
   * @param addToOutbox adds the message to the transport's outbox, on the loop
   * @return {@code true} when counted and queued; {@code send} returns it
   */
  public boolean enqueue(Runnable addToOutbox) {
    if (terminated) return false;
    int max = options.maxQueuedMessages();
    for (int n = unsent.get(); ; n = unsent.get()) {
      if (n >= max) {
        log.debug("outbox full ({} unsent): send refused", n);
        return false;
      }
      if (unsent.compareAndSet(n, n + 1)) break;
    }
    if (execute(addToOutbox)) return true;
    unsent.decrementAndGet();
    return false;
  }

  /**
   * {@code count} messages left the outbox: handed to the network, answered locally or dropped. Any thread.
   *
   * @param count how many; each message {@link #enqueue}d must be counted out exactly once
   */
  public void dequeued(int count) {
    unsent.addAndGet(-count);
  }

  /**
   * Messages {@link #enqueue}d and not yet {@link #dequeued}. Any thread.
   *
   * @return the current count
   */
  public int unsent() {
    return unsent.get();
  }

  /**
   * Runs {@code task} on the loop after {@code delay}; {@code null} once terminated. Any thread.
   * Delayed tasks still pending when the loop terminates are dropped.
   *
   * @param task what to run
   * @param delay how long to wait first; zero or negative runs it as soon as possible
   * @return the scheduled task, to cancel it; {@code null} when the loop has terminated
   */
  public ScheduledFuture<?> schedule(Runnable task, Duration delay) {
    if (terminated) return null;
    try {
      return executor.schedule(() -> run(task), delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      return null;
    }
  }

  private void run(Runnable task) {
    if (terminated) return;
    try {
      task.run();
    } catch (RuntimeException e) {
      log.error("transport task failed", e);
    }
  }

  /**
   * True once a terminal callback has fired or is about to. Any thread.
   *
   * @return whether {@link #closed()} or {@link #failed} took effect
   */
  public boolean isTerminated() {
    return terminated;
  }

  /** Connected and joined: reports {@code onOpen}, resets the backoff and the give-up clock. */
  public void opened() {
    if (terminated) return;
    outageReported = false;
    attempt = 0;
    if (giveUp != null) giveUp.cancel(false);
    giveUp = null;
    deliver(() -> listener.onOpen(transport));
  }

  /**
   * Delivers one received envelope's text. Ignored when terminated.
   *
   * @param text the envelope's JSON text, for {@code onMessage}
   */
  public void message(String text) {
    if (terminated) return;
    deliver(() -> listener.onMessage(transport, text));
  }

  /**
   * The link dropped or an attempt failed: reports {@code onReconnecting} once per outage and starts
   * the give-up clock. The caller schedules its next attempt after {@link #nextBackoff()}.
   *
   * @param cause why, for {@code onReconnecting}
   */
  public void disconnected(Throwable cause) {
    if (terminated) return;
    armGiveUp();
    if (!outageReported) {
      outageReported = true;
      deliver(() -> listener.onReconnecting(transport, cause));
    }
  }

  /**
   * The delay before the next attempt: exponential from the options, with jitter. Each call counts one
   * attempt; {@link #opened()} starts the count again.
   *
   * @return {@link TransportOptions#backoff} for the attempt count
   */
  public Duration nextBackoff() {
    return options.backoff(attempt++, random);
  }

  private void armGiveUp() {
    if (giveUp != null || terminated) return;
    giveUp =
        schedule(
            () ->
                failed(
                    new TransportException(
                        TransportException.Kind.UNREACHABLE,
                        "not connected for " + options.giveUpAfter() + ", giving up",
                        null)),
            options.giveUpAfter());
  }

  /** Terminal: {@code onClosed}. Ignored when already terminated. */
  public void closed() {
    terminate(() -> listener.onClosed(transport));
  }

  /**
   * Terminal: {@code onFailure}. Ignored when already terminated.
   *
   * @param error why the transport gave up, for {@code onFailure}; not {@code null}
   */
  public void failed(TransportException error) {
    if (terminated) return;
    log.debug("transport failed: {}", error.toString());
    terminate(() -> listener.onFailure(transport, error));
  }

  private void terminate(Runnable callback) {
    if (terminated) return;
    terminated = true;
    try {
      cleanup.run();
    } catch (RuntimeException e) {
      log.warn("transport cleanup failed", e);
    }
    deliver(callback);
    executor.shutdown(); // queued tasks still run but see terminated; delayed ones are dropped
  }

  private void deliver(Runnable callback) {
    try {
      callback.run();
    } catch (RuntimeException e) {
      log.warn("signaling listener threw", e);
    }
  }
}
