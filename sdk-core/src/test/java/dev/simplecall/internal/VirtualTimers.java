package dev.simplecall.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A clock that moves only when told: {@link #advance} runs every task that falls due, in time order,
 * on the calling thread. Tasks scheduled by a task run when their time comes within the same advance.
 * Thread-safe: sessions on their own threads may schedule and read it while a test advances it.
 */
final class VirtualTimers implements SessionTimers {
  private final PriorityQueue<Task> queue = new PriorityQueue<>(Comparator.comparingLong((Task t) -> t.at).thenComparingLong(t -> t.seq));
  /** The wall-clock time at the start. */
  static final Instant EPOCH = Instant.parse("2026-12-06T12:00:00Z");
  private static final long START = 1_000_000_000L; // not zero: a zero time means "never" to some callers
  private long now = START;
  private long seq;

  @Override
  public synchronized ScheduledFuture<?> schedule(Duration delay, Runnable task) {
    Task t = new Task(now + delay.toNanos(), seq++, task);
    queue.add(t);
    return t;
  }

  @Override
  public synchronized long nanoTime() {
    return now;
  }

  /** Wall-clock time: {@link #EPOCH} plus the virtual time that has passed. */
  @Override
  public synchronized Instant now() {
    return EPOCH.plusNanos(now - START);
  }

  /** Moves the clock forward by {@code d}, running what falls due. */
  synchronized void advance(Duration d) {
    long until = now + d.toNanos();
    while (!queue.isEmpty() && queue.peek().at <= until) {
      Task t = queue.poll();
      now = t.at;
      if (!t.cancelled) t.task.run();
    }
    now = until;
  }

  /** Tasks scheduled and neither run nor cancelled. */
  synchronized long pending() {
    return queue.stream().filter(t -> !t.cancelled).count();
  }

  private final class Task implements ScheduledFuture<Void> {
    final long at;
    final long seq;
    final Runnable task;
    volatile boolean cancelled;

    Task(long at, long seq, Runnable task) {
      this.at = at;
      this.seq = seq;
      this.task = task;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(at - nanoTime(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed o) {
      return Long.compare(getDelay(TimeUnit.NANOSECONDS), o.getDelay(TimeUnit.NANOSECONDS));
    }

    @Override
    public boolean cancel(boolean mayInterrupt) {
      synchronized (VirtualTimers.this) {
        if (cancelled || !queue.contains(this)) return false;
        cancelled = true;
        return true;
      }
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }

    @Override
    public boolean isDone() {
      synchronized (VirtualTimers.this) {
        return cancelled || !queue.contains(this);
      }
    }

    @Override
    public Void get() {
      throw new UnsupportedOperationException("virtual timer task");
    }

    @Override
    public Void get(long timeout, TimeUnit unit) {
      throw new UnsupportedOperationException("virtual timer task");
    }
  }
}
