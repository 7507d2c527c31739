package dev.simplecall.server;

/**
 * A token bucket: {@code burst} messages at once, refilled at {@code perSecond}. One per connection;
 * thread-safe (a long-poll session can be posted to by several requests at once).
 */
final class TokenBucket {
  private final double perNano;
  private final double burst;
  private double tokens;
  private long last;

  TokenBucket(double perSecond, int burst) {
    this.perNano = perSecond / 1e9;
    this.burst = burst;
    this.tokens = burst;
    this.last = System.nanoTime();
  }

  /** Takes {@code n} tokens if all are there; takes none otherwise. */
  synchronized boolean tryTake(int n) {
    long now = System.nanoTime();
    tokens = Math.min(burst, tokens + (now - last) * perNano);
    last = now;
    if (tokens < n) return false;
    tokens -= n;
    return true;
  }
}
