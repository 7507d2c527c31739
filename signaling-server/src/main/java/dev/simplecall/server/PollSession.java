package dev.simplecall.server;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One long-poll peer: a numbered queue of outgoing envelopes (at-least-once: an item stays until a poll
 * with a higher {@code after} acknowledges it) and at most one held {@code GET}. All fields are guarded
 * by this object's lock; held polls are completed on {@code replyExecutor}, never under that lock's
 * caller (the hub's lock may be held while {@link #deliver} runs).
 */
final class PollSession implements PeerConnection {
  /** Unacknowledged text beyond this (in chars) means the client stopped polling properly: the session is dropped. */
  static final long MAX_PENDING_CHARS = 4L * 1024 * 1024;

  private record Item(long seq, String json) {}

  private record Waiter(long after, CompletableFuture<String> future) {}

  private final String id;
  private final TokenBucket bucket;
  private final Executor replyExecutor;
  private volatile Member member;
  private final ArrayDeque<Item> pending = new ArrayDeque<>();
  private long lastSeq;
  private long pendingChars;
  private Waiter waiter;
  private long lastSeenNanos = System.nanoTime();
  private boolean overflowed;
  private boolean ended;

  PollSession(String id, TokenBucket bucket, Executor replyExecutor) {
    this.id = id;
    this.bucket = bucket;
    this.replyExecutor = replyExecutor;
  }

  String id() {
    return id;
  }

  TokenBucket bucket() {
    return bucket;
  }

  Member member() {
    return member;
  }

  void attach(Member member) {
    this.member = member;
  }

  @Override
  public synchronized void deliver(Envelope envelope) {
    if (ended) return;
    String json = EnvelopeCodec.encode(envelope);
    if (pendingChars + json.length() > MAX_PENDING_CHARS) {
      overflowed = true; // the sweeper drops it; leaving from here could re-enter the hub mid-broadcast
      return;
    }
    pendingChars += json.length();
    pending.add(new Item(++lastSeq, json));
    if (waiter != null) release(waiter.after());
  }

  @Override
  public void replaced() {
    member = null;
    end();
  }

  /** Ends the session: a held poll is answered (empty) and later requests find nothing. */
  synchronized void end() {
    ended = true;
    if (waiter != null) release(waiter.after());
  }

  synchronized boolean ended() {
    return ended;
  }

  /**
   * Acknowledges everything up to {@code after} and answers with what is left, at once when there is
   * something, else when a message arrives or {@code waitMillis} passes. A new poll answers a held one
   * (empty). Returns {@code null} when {@code after} is beyond anything this session ever sent.
   */
  synchronized CompletableFuture<String> poll(long after, long waitMillis, ScheduledExecutorService timer) {
    if (after > lastSeq) return null;
    lastSeenNanos = System.nanoTime();
    while (!pending.isEmpty() && pending.peekFirst().seq() <= after) {
      pendingChars -= pending.removeFirst().json().length();
    }
    if (waiter != null) release(waiter.after());
    if (!pending.isEmpty() || waitMillis == 0 || ended) return CompletableFuture.completedFuture(body(after));
    Waiter w = new Waiter(after, new CompletableFuture<>());
    waiter = w;
    timer.schedule(() -> timeout(w), waitMillis, TimeUnit.MILLISECONDS);
    return w.future();
  }

  private synchronized void timeout(Waiter w) {
    if (waiter == w) release(w.after());
  }

  // Caller holds the lock.
  private void release(long after) {
    Waiter w = waiter;
    waiter = null;
    lastSeenNanos = System.nanoTime();
    String body = body(after);
    w.future().completeAsync(() -> body, replyExecutor);
  }

  /** {@code {"cursor":M,"messages":[...]}}: everything queued after {@code after}. */
  synchronized String body(long after) {
    StringBuilder sb = new StringBuilder(64);
    long cursor = after;
    sb.append("\"messages\":[");
    boolean first = true;
    for (Item i : pending) {
      if (i.seq() <= after) continue;
      if (!first) sb.append(',');
      sb.append(i.json());
      first = false;
      cursor = i.seq();
    }
    sb.append("]}");
    return "{\"cursor\":" + cursor + "," + sb;
  }

  /** True while a poll is held open waiting for a message. */
  synchronized boolean holding() {
    return waiter != null;
  }

  /** True when the client stopped polling for longer than {@code timeoutNanos}, or fell too far behind. */
  synchronized boolean expired(long now, long timeoutNanos) {
    return overflowed || (waiter == null && now - lastSeenNanos > timeoutNanos);
  }
}
