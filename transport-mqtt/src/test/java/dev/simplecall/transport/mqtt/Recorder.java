package dev.simplecall.transport.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.protocol.EnvelopeException;
import dev.simplecall.spi.SignalingTransport;
import dev.simplecall.spi.TransportException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Records transport callbacks in order; read with bounded waits. Also checks callbacks never overlap. */
final class Recorder implements SignalingTransport.Listener {
  record Event(String kind, String text, Throwable error) {
    @Override
    public String toString() {
      return kind + (text == null ? "" : " " + text) + (error == null ? "" : " " + error);
    }
  }

  final String name;
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final AtomicInteger inCallback = new AtomicInteger();
  private volatile boolean overlapped;

  Recorder(String name) {
    this.name = name;
  }

  private void add(Event e) {
    if (inCallback.incrementAndGet() != 1) overlapped = true;
    events.add(e);
    inCallback.decrementAndGet();
  }

  @Override public void onOpen(SignalingTransport t) { add(new Event("open", null, null)); }
  @Override public void onMessage(SignalingTransport t, String text) { add(new Event("message", text, null)); }
  @Override public void onReconnecting(SignalingTransport t, Throwable cause) { add(new Event("reconnecting", null, cause)); }
  @Override public void onClosed(SignalingTransport t) { add(new Event("closed", null, null)); }
  @Override public void onFailure(SignalingTransport t, TransportException e) { add(new Event("failure", e.kind().name(), e)); }

  Event next(long seconds) throws InterruptedException {
    Event e = events.poll(seconds, TimeUnit.SECONDS);
    assertNotNull(e, name + ": no event within " + seconds + " s");
    assertTrue(!overlapped, name + ": callbacks overlapped");
    return e;
  }

  Event next() throws InterruptedException {
    return next(10);
  }

  void expect(String kind) throws InterruptedException {
    Event e = next();
    assertEquals(kind, e.kind(), name + ": unexpected " + e);
  }

  /** The next event must be a message; returns it decoded. */
  Envelope message() throws InterruptedException {
    Event e = next();
    if (!e.kind().equals("message")) fail(name + ": expected a message, got " + e);
    try {
      return EnvelopeCodec.decode(e.text());
    } catch (EnvelopeException ex) {
      throw new AssertionError(name + ": undecodable " + e.text(), ex);
    }
  }

  @SuppressWarnings("unchecked")
  <T extends Envelope> T message(Class<T> type) throws InterruptedException {
    Envelope m = message();
    if (!type.isInstance(m)) fail(name + ": expected " + type.getSimpleName() + ", got " + EnvelopeCodec.encode(m));
    return (T) m;
  }

  /** The next message of {@code type}, skipping presence changes (whose timing is the broker's). */
  <T extends Envelope> T skipPresenceUntil(Class<T> type) throws InterruptedException {
    while (true) {
      Envelope m = message();
      if (type.isInstance(m)) return type.cast(m);
      if (!(m instanceof Envelope.PeerJoined) && !(m instanceof Envelope.PeerLeft)) {
        fail(name + ": expected " + type.getSimpleName() + ", got " + EnvelopeCodec.encode(m));
      }
    }
  }

  /** open then welcome; returns the welcome. */
  Envelope.Welcome joined() throws InterruptedException {
    expect("open");
    return message(Envelope.Welcome.class);
  }

  /**
   * As {@link #joined()}, allowing the one failed first attempt the transport contract allows: a
   * transport that first drops a stale broker session of its peer makes three broker round trips in
   * that attempt, which can outlast the 3 s connect timeout on a loaded machine.
   */
  Envelope.Welcome joinedPerhapsAfterARetry() throws InterruptedException {
    Event first = next();
    if (first.kind().equals("reconnecting")) expect("open");
    else assertEquals("open", first.kind(), name + ": unexpected " + first);
    return message(Envelope.Welcome.class);
  }

  /** The next event within {@code wait}, or {@code null}: for asserting that nothing happens. */
  Event poll(java.time.Duration wait) throws InterruptedException {
    return events.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  void assertQuiet() {
    Event e = events.poll();
    if (e != null) fail(name + ": unexpected extra event " + e);
  }
}
