package dev.simplecall.server;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.event.Level;

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
 *
 * <p>Not API: public for the MQTT bridge's package.
 */
public final class RefusalLog {
  private final Logger log;
  private final Level level;
  private final String what;
  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private final AtomicLong total = new AtomicLong();
  private long unlogged; // guarded by this
  private long lastLogNanos; // guarded by this
  private boolean loggedOnce; // guarded by this

  /**
   * Logs at WARN.
   *
   * @param log where the lines go
   * @param what what is counted, as the lines name it
   * @param intervalNanos least time between two lines
   * @param nanoTime the clock
   */
  public RefusalLog(Logger log, String what, long intervalNanos, LongSupplier nanoTime) {
    this(log, Level.WARN, what, intervalNanos, nanoTime);
  }

  /**
   * @param log where the lines go
   * @param level their level
   * @param what what is counted, as the lines name it
   * @param intervalNanos least time between two lines
   * @param nanoTime the clock
   */
  public RefusalLog(Logger log, Level level, String what, long intervalNanos, LongSupplier nanoTime) {
    this.log = log;
    this.level = level;
    this.what = what;
    this.intervalNanos = intervalNanos;
    this.nanoTime = nanoTime;
  }

  /**
   * Counts one refusal.
   *
   * @param detail what this one was, for the line when it is written
   * @return whether this call wrote the log line
   */
  public boolean record(String detail) {
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
    log.atLevel(level).log("refused {} {} since the last report (latest: {}); {} in all", n, what, detail, total.get());
    return true;
  }

  /**
   * Refusals since the server started.
   *
   * @return the count
   */
  public long count() {
    return total.get();
  }
}
