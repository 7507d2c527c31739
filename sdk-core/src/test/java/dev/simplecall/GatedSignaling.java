package dev.simplecall;

import dev.simplecall.spi.SignalingTransportFactory;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Wraps a transport factory so that a test can hold one peer's session thread: while the gate is
 * closed, that peer's next {@code send} (made on its session thread) waits until the gate opens. Or,
 * with {@link #holdCreate}, the transport's creation (the session's first task) waits.
 */
final class GatedSignaling extends OnePeerSignaling {
  private volatile CountDownLatch gate;
  private volatile boolean holdCreate;
  /** Counted down when a session thread starts waiting at the gate. */
  final CountDownLatch held = new CountDownLatch(1);

  GatedSignaling(SignalingTransportFactory delegate, String peer) {
    super(delegate, peer);
  }

  /** Closes the gate: the peer's next send waits at it. */
  GatedSignaling holdSends() {
    gate = new CountDownLatch(1);
    return this;
  }

  /** Closes the gate for transport creation: the session's connect waits at it. */
  GatedSignaling holdCreate() {
    gate = new CountDownLatch(1);
    holdCreate = true;
    return this;
  }

  void open() {
    CountDownLatch g = gate;
    if (g != null) g.countDown();
  }

  private void pass() {
    CountDownLatch g = gate;
    if (g == null) return;
    held.countDown();
    try {
      if (!g.await(20, TimeUnit.SECONDS)) throw new IllegalStateException("gate not opened in 20 s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  void beforeCreate() {
    if (holdCreate) pass();
  }

  @Override
  String outgoing(String text) {
    if (!holdCreate) pass();
    return text;
  }
}
