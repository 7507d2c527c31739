package dev.simplecall.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.protocol.EnvelopeException;
import dev.simplecall.spi.SignalingTransport;
import dev.simplecall.spi.TransportException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A transport listener that records every callback in a queue, read with bounded waits. It also
 * checks the threading contract: two callbacks running at once, or any callback after a terminal one,
 * is recorded and reported by {@link #assertNoMoreEvents}.
 *
 * <pre>{@code
 * RecordingTransportListener events = new RecordingTransportListener("alice");
 * SignalingTransport t = factory.create(uri, options, events);
 * events.expectOpen();
 * Envelope.Welcome w = events.expectEnvelope(Envelope.Welcome.class);
 * }</pre>
 */
public final class RecordingTransportListener implements SignalingTransport.Listener {
  public static final Duration WAIT = Duration.ofSeconds(10);

  /** One callback. {@code text} for messages, {@code error} for reconnecting and failure. */
  public record Event(String kind, String text, Throwable error) {
    @Override
    public String toString() {
      return kind + (text != null ? " " + text : "") + (error != null ? " " + error : "");
    }
  }

  private final String name;
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicBoolean terminal = new AtomicBoolean();
  private volatile String violation;

  public RecordingTransportListener(String name) {
    this.name = name;
  }

  private void record(Event e) {
    if (running.incrementAndGet() != 1) violation = "two callbacks at once, the second was " + e;
    try {
      if (terminal.get()) violation = "callback after the terminal one: " + e;
      if (e.kind.equals("closed") || e.kind.equals("failure")) terminal.set(true);
      events.add(e);
    } finally {
      running.decrementAndGet();
    }
  }

  @Override
  public void onOpen(SignalingTransport transport) {
    record(new Event("open", null, null));
  }

  @Override
  public void onMessage(SignalingTransport transport, String text) {
    record(new Event("message", text, null));
  }

  @Override
  public void onReconnecting(SignalingTransport transport, Throwable cause) {
    record(new Event("reconnecting", null, cause));
  }

  @Override
  public void onClosed(SignalingTransport transport) {
    record(new Event("closed", null, null));
  }

  @Override
  public void onFailure(SignalingTransport transport, TransportException error) {
    record(new Event("failure", null, error));
  }

  /** The next event, waiting up to {@code wait}; fails the test when none comes. */
  public Event next(Duration wait) {
    try {
      Event e = events.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
      if (e == null) fail(name + ": no event within " + wait);
      return e;
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new AssertionError(ex);
    }
  }

  /** The next event if one comes within {@code wait}, else {@code null}. */
  public Event poll(Duration wait) {
    try {
      return events.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new AssertionError(ex);
    }
  }

  public Event expect(String kind) {
    return expect(kind, WAIT);
  }

  public Event expect(String kind, Duration wait) {
    Event e = next(wait);
    assertEquals(kind, e.kind, name + ": expected " + kind + " but got " + e);
    return e;
  }

  public void expectOpen() {
    expect("open");
  }

  public void expectClosed() {
    expect("closed");
  }

  public Throwable expectReconnecting() {
    Throwable cause = expect("reconnecting").error;
    assertNotNull(cause, name + ": onReconnecting without a cause");
    return cause;
  }

  public TransportException expectFailure(Duration wait) {
    return (TransportException) expect("failure", wait).error;
  }

  /** The next event must be a message; returns its text. */
  public String expectMessage() {
    return expect("message").text;
  }

  /** The next event must be a message decoding to {@code type}. */
  public <T extends Envelope> T expectEnvelope(Class<T> type) {
    String text = expectMessage();
    Envelope e;
    try {
      e = EnvelopeCodec.decode(text);
    } catch (EnvelopeException ex) {
      throw new AssertionError(name + ": undecodable message " + text, ex);
    }
    if (!type.isInstance(e)) fail(name + ": expected " + type.getSimpleName() + " but got " + text);
    return type.cast(e);
  }

  /** No event arrives within {@code wait}, and the threading contract held throughout. */
  public void assertNoMoreEvents(Duration wait) {
    assertNull(poll(wait), name + ": unexpected event");
    assertThreadingHeld();
  }

  public void assertThreadingHeld() {
    assertNull(violation, name + ": " + violation);
  }

  public boolean isTerminated() {
    return terminal.get();
  }

  /** Asserts that a transport refuses to send. */
  public static void assertSendRefused(SignalingTransport t) {
    assertFalse(t.send("{\"v\":1,\"type\":\"leave\",\"id\":\"x\",\"room\":\"r\"}"), "send after the end returned true");
  }
}
