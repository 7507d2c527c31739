package dev.simplecall.internal.audio;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one real-time clock of an {@link AudioEngine}: a named daemon thread that ticks every 10 ms
 * of wall time and, on each tick, first runs the guard and then lets every feed push one 10 ms frame.
 *
 * <p>Ticks are counted against a fixed start instant ({@code start + n * 10 ms}), not slept
 * relative to the previous tick, so wake-up latency does not accumulate: the long-run rate is
 * exactly 100 frames per second. A late thread catches up by pushing the missed frames back to
 * back; after a stall longer than {@link #MAX_CATCH_UP_TICKS} ticks the backlog is dropped (a gap
 * the receiver conceals) instead of bursting a second of audio into the jitter buffer.
 *
 * <p>Threading: {@link #add}/{@link #remove} from any thread; feeds and the guard run only on the
 * pacer thread, one at a time, so a feed never pushes concurrently with another push or the guard.
 */
final class Pacer {
  static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  static final int MAX_CATCH_UP_TICKS = 20;

  /** Pushes one 10 ms frame. Runs on the pacer thread only. */
  interface Feed {
    void pushFrame();
  }

  private static final Logger log = LoggerFactory.getLogger(Pacer.class);

  private final Runnable guard;
  private final CopyOnWriteArrayList<Feed> feeds = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;
  // Only touched on the pacer thread; read by tests after stop().
  private long ticks;
  private long droppedTicks;

  Pacer(String name, Runnable guard) {
    this.guard = guard;
    this.thread = new Thread(this::loop, name);
    thread.setDaemon(true);
    thread.setPriority(Thread.MAX_PRIORITY);
  }

  void start() {
    thread.start();
  }

  void add(Feed feed) {
    feeds.add(feed);
  }

  void remove(Feed feed) {
    feeds.remove(feed);
  }

  /** Stops the clock and waits (bounded) for the thread, so no push runs after this returns. */
  void stop() {
    running = false;
    LockSupport.unpark(thread);
    if (Thread.currentThread() == thread) return;
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) log.warn("audio pacer thread did not stop within 5 s");
  }

  long ticks() {
    return ticks;
  }

  long droppedTicks() {
    return droppedTicks;
  }

  private void loop() {
    long start = System.nanoTime();
    long done = 0;
    while (running) {
      long due = (System.nanoTime() - start) / TICK_NANOS + 1;
      if (due - done > MAX_CATCH_UP_TICKS) {
        droppedTicks += due - done - 1;
        done = due - 1;
      }
      while (done < due && running) {
        tick();
        done++;
      }
      long wait = start + done * TICK_NANOS - System.nanoTime();
      if (wait > 0) LockSupport.parkNanos(wait);
    }
  }

  private void tick() {
    ticks++;
    try {
      guard.run();
    } catch (Throwable t) {
      log.warn("audio guard failed", t);
    }
    for (Feed feed : feeds) {
      try {
        feed.pushFrame();
      } catch (Throwable t) {
        log.warn("audio feed failed; removing it", t);
        feeds.remove(feed);
      }
    }
  }
}
