package dev.simplecall.server;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Counts refusals of one kind (a per-address limit hit) and logs them at most once per interval, so a
 * hostile client cannot flood the log: the first refusal after a quiet interval is logged at once,
 * later ones are summed into the next line. Thread-safe.
 *
 * <pre>{@code
 * RefusalLog busy = new RefusalLog(log, "join over a per-address limit", Duration.ofSeconds(10).toNanos(), System::nanoTime);
 * busy.record("127.0.0.2: max-sessions-per-ip 100");
 * long total = busy.count(); // for tests and a future /metrics
 * }</pre>
 */
final class RefusalLog {
  private final Logger log;
  private final String what;
  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private final AtomicLong total = new AtomicLong();
  private long unlogged; // guarded by this
  private long lastLogNanos; // guarded by this
  private boolean loggedOnce; // guarded by this

  RefusalLog(Logger log, String what, long intervalNanos, LongSupplier nanoTime) {
    this.log = log;
    this.what = what;
    this.intervalNanos = intervalNanos;
    this.nanoTime = nanoTime;
  }

  /** Counts one refusal; returns true when this call wrote the log line. */
  boolean record(String detail) {
    total.incrementAndGet();
    long n;
    synchronized (this) {
      unlogged++;
      long now = nanoTime.getAsLong();
      if (loggedOnce && now - lastLogNanos < intervalNanos) return false;
      loggedOnce = true;
      lastLogNanos = now;
      n = unlogged;
      unlogged = 0;
    }
    log.warn("refused {} {} since the last report (latest: {}); {} in all", n, what, detail, total.get());
    return true;
  }

  /** Refusals since the server started. */
  long count() {
    return total.get();
  }
}
