package dev.simplecall.spi.support;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded memory of recently seen message ids, for dropping duplicates that at-least-once
 * transports (MQTT QoS 1, long-poll retries, reconnect replays) deliver. Thread-safe.
 */
public final class RecentIds {
  private final Map<String, Boolean> seen;

  /**
   * An empty memory that keeps the {@code capacity} ids recorded last, forgetting the oldest first.
   *
   * @param capacity how many ids it remembers, at least 1
   * @throws IllegalArgumentException when {@code capacity} is less than 1
   */
  public RecentIds(int capacity) {
    if (capacity < 1) throw new IllegalArgumentException("capacity < 1: " + capacity);
    this.seen = new LinkedHashMap<>(16, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
        return size() > capacity;
      }
    };
  }

  /**
   * Records {@code id}; returns {@code true} the first time, {@code false} for a duplicate.
   *
   * @param id a message id (any key that identifies a message)
   * @return {@code true} when {@code id} is not among the ids remembered; it is remembered from now on.
   *     A repeat does not make an id younger: it is forgotten in the order it was first recorded.
   */
  public synchronized boolean firstSeen(String id) {
    return seen.put(id, Boolean.TRUE) == null;
  }
}
