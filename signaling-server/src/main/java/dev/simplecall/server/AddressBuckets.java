package dev.simplecall.server;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One {@link TokenBucket} per client address (see {@link ClientAddress}), for endpoints that hand out
 * something on every request, such as TURN credentials. Thread-safe.
 *
 * <p>Bounded: {@link #evictIdle()} (run by the server's timer) forgets every bucket that has refilled
 * completely, which loses nothing because a full bucket is what a new address gets anyway. Between
 * sweeps, at most {@code maxTracked} addresses are held; when a new address would exceed that, full
 * buckets are evicted at once, and if every tracked address is still mid-burst the new address is
 * refused until one refills (an attacker would need that many distinct addresses, each busy).
 *
 * <pre>{@code
 * AddressBuckets perIp = new AddressBuckets(10.0 / 60, 20, 100_000, System::nanoTime);
 * if (!perIp.tryTake("203.0.113.7")) answer429();
 * }</pre>
 */
final class AddressBuckets {
  private final double perSecond;
  private final int burst;
  private final int maxTracked;
  private final LongSupplier nanoTime;
  private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

  AddressBuckets(double perSecond, int burst, int maxTracked, LongSupplier nanoTime) {
    this.perSecond = perSecond;
    this.burst = burst;
    this.maxTracked = maxTracked;
    this.nanoTime = nanoTime;
  }

  /** Takes one token from {@code address}'s bucket; false when it is empty. */
  boolean tryTake(String address) {
    if (!buckets.containsKey(address) && buckets.size() >= maxTracked) {
      evictIdle();
      if (buckets.size() >= maxTracked) return false;
    }
    boolean[] taken = new boolean[1];
    // compute(): taking a token and evicting the same key's bucket never interleave, so a token taken
    // from a bucket that is being forgotten cannot be lost.
    buckets.compute(address, (a, b) -> {
      TokenBucket bucket = b != null ? b : new TokenBucket(perSecond, burst, nanoTime);
      taken[0] = bucket.tryTake(1);
      return bucket;
    });
    return taken[0];
  }

  /** Forgets every address whose bucket is full again. */
  void evictIdle() {
    for (String address : buckets.keySet()) buckets.computeIfPresent(address, (a, b) -> b.full() ? null : b);
  }

  /** Addresses currently tracked. */
  int size() {
    return buckets.size();
  }
}
