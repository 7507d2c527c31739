package dev.simplecall.internal.media;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls a producer once per frame slot on its own named daemon thread. Slots are fixed on the
 * clock ({@code start + n * period}); when a frame overruns its slot the missed slots are skipped
 * and counted as dropped, never run back to back, so a slow capture lowers the frame rate instead
 * of building a queue in front of the encoder.
 *
 * <p>Threads: {@link #stop()} may be called from any thread and waits (bounded) for the producer
 * to return; everything else runs on the pump's thread.
 */
final class FramePump {
  private static final Logger log = LoggerFactory.getLogger(FramePump.class);

  /** One frame; returns false when there are no more frames (the pump then ends). */
  interface Producer {
    boolean frame(long index) throws Exception;
  }

  private final Thread thread;
  private final long periodNanos;
  private final Producer producer;
  private final AtomicLong produced = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private volatile boolean stopped;

  FramePump(String threadName, long periodNanos, Producer producer) {
    if (periodNanos <= 0) throw new IllegalArgumentException("period must be > 0: " + periodNanos);
    this.periodNanos = periodNanos;
    this.producer = producer;
    this.thread = new Thread(this::loop, threadName);
    thread.setDaemon(true);
  }

  FramePump start() {
    thread.start();
    return this;
  }

  long produced() {
    return produced.get();
  }

  long dropped() {
    return dropped.get();
  }

  private void loop() {
    long next = System.nanoTime();
    long index = 0;
    while (!stopped) {
      long wait = next - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
        continue; // re-check stopped and the clock (park may return early)
      }
      try {
        if (!producer.frame(index++)) return;
        produced.incrementAndGet();
      } catch (Throwable t) {
        if (!stopped) log.warn("{}: frame failed: {}", thread.getName(), t.toString());
      }
      next += periodNanos;
      long late = System.nanoTime() - next;
      if (late >= periodNanos) { // overran by a whole slot or more: skip those, run the current one now
        long skip = late / periodNanos;
        dropped.addAndGet(skip);
        next += skip * periodNanos;
      }
    }
  }

  /** Stops producing and waits up to 2 s for the frame in progress. Idempotent. */
  void stop() {
    stopped = true;
    LockSupport.unpark(thread);
    if (Thread.currentThread() == thread) return;
    try {
      thread.join(TimeUnit.SECONDS.toMillis(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (dropped.get() > 0) log.debug("{}: {} frames sent, {} slots dropped", thread.getName(), produced.get(), dropped.get());
  }
}
