package dev.simplecall.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;

/**
 * The clock and timer of a session's call rules. The session's own runs tasks on the session thread;
 * tests use a virtual clock so the rules run in milliseconds.
 */
interface SessionTimers {
  /** Runs {@code task} on the session thread after {@code delay}. */
  ScheduledFuture<?> schedule(Duration delay, Runnable task);

  /** A monotonic time in nanoseconds, for durations. */
  long nanoTime();

  /** Wall-clock time, for expiry dates. */
  Instant now();
}
