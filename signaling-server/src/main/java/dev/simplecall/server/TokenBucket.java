package dev.simplecall.server;

import java.util.function.LongSupplier;

/**
 * A token bucket: {@code burst} messages at once, refilled at {@code perSecond}. One per connection (or
 * per client address for {@link AddressBuckets}); thread-safe (a long-poll session can be posted to by
 * several requests at once).
 */
final class TokenBucket {
  private final double perNano;
  private final double burst;
  private final LongSupplier nanoTime;
  private double tokens; // guarded by this
  private long last; // guarded by this

  TokenBucket(double perSecond, int burst) {
    this(perSecond, burst, System::nanoTime);
  }

  /** {@code nanoTime} is the time source ({@code System::nanoTime}, or a test's fake). */
  TokenBucket(double perSecond, int burst, LongSupplier nanoTime) {
    this.perNano = perSecond / 1e9;
    this.burst = burst;
    this.nanoTime = nanoTime;
    this.tokens = burst;
    this.last = nanoTime.getAsLong();
  }

  /** Takes {@code n} tokens if all are there; takes none otherwise. */
  synchronized boolean tryTake(int n) {
    refill();
    if (tokens < n) return false;
    tokens -= n;
    return true;
  }

  /** True when the bucket is full again: it then holds no more state than a fresh one. */
  synchronized boolean full() {
    refill();
    return tokens >= burst;
  }

  private void refill() {
    long now = nanoTime.getAsLong();
    tokens = Math.min(burst, tokens + (now - last) * perNano);
    last = now;
  }
}
