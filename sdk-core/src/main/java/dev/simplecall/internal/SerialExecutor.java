package dev.simplecall.internal;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in order, on a delegate executor (which may have many threads). A task
 * that throws is logged and does not stop later tasks.
 *
 * <p>A task is never dropped because the delegate refuses it (the app's executor is shut down or
 * saturated): the queued tasks then run, still one at a time and in order, on an SDK thread named
 * {@code simplecall-callback-fallback-N}, and the next batch tries the delegate again. This keeps the
 * promise that {@code onEnded} is delivered exactly once.
 */
public final class SerialExecutor implements Executor {
  private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);
  /**
   * Shared by every client, never shut down (so it never refuses); its daemon threads end after 10 s
   * idle. Only used while an app's executor refuses work.
   */
  private static final Executor FALLBACK = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 10, TimeUnit.SECONDS,
      new SynchronousQueue<>(), NamedThreads.daemon("simplecall-callback-fallback"));

  private final Executor delegate;
  private final Executor fallback;
  /** Guards queue, running and warned. */
  private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
  private boolean running;
  private boolean warned;

  public SerialExecutor(Executor delegate) {
    this(delegate, FALLBACK);
  }

  SerialExecutor(Executor delegate, Executor fallback) {
    this.delegate = delegate;
    this.fallback = fallback;
  }

  @Override
  public void execute(Runnable task) {
    synchronized (queue) {
      queue.add(task);
      if (running) return;
      running = true;
    }
    try {
      delegate.execute(this::drain);
    } catch (RuntimeException refused) {
      runOnFallback(refused);
    }
  }

  private void runOnFallback(RuntimeException refused) {
    boolean first;
    synchronized (queue) {
      first = !warned;
      warned = true;
    }
    if (first) {
      log.warn("the callback executor refused a task ({}); running callbacks on an SDK thread instead"
          + " (logged once per session; later refusals at debug)", refused.toString());
    } else {
      log.debug("the callback executor refused a task ({}); running callbacks on an SDK thread", refused.toString());
    }
    try {
      fallback.execute(this::drain);
    } catch (RuntimeException | Error e) { // no thread could be made: nothing is left to run them
      int dropped;
      synchronized (queue) {
        dropped = queue.size();
        queue.clear();
        running = false;
      }
      log.error("dropped {} callbacks: neither the callback executor nor an SDK thread could run them", dropped, e);
    }
  }

  private void drain() {
    while (true) {
      Runnable next;
      synchronized (queue) {
        next = queue.poll();
        if (next == null) {
          running = false;
          return;
        }
      }
      try {
        next.run();
      } catch (Throwable t) {
        log.warn("callback threw; continuing", t);
      }
    }
  }
}
