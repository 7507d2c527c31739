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
  /** How long the waits without a duration argument wait for an event: 10 s. */
  public static final Duration WAIT = Duration.ofSeconds(10);

  /**
   * One callback. {@code text} for messages, {@code error} for reconnecting and failure.
   *
   * @param kind {@code open}, {@code message}, {@code reconnecting}, {@code closed} or {@code failure}
   * @param text the envelope's JSON text of a {@code message}, else {@code null}
   * @param error the cause of {@code reconnecting} (may be {@code null}) or the {@link TransportException}
   *     of {@code failure}, else {@code null}
   */
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

  /**
   * A listener with no events yet.
   *
   * @param name names this listener (usually the peer id) in assertion messages
   */
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

  /**
   * The next event, waiting up to {@code wait}; fails the test when none comes.
   *
   * @param wait how long to wait, in whole milliseconds
   * @return the event, taken from the queue
   * @throws AssertionError when none comes in time, or the thread is interrupted (its interrupt status
   *     is then set again)
   */
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

  /**
   * The next event if one comes within {@code wait}, else {@code null}.
   *
   * @param wait how long to wait, in whole milliseconds; zero takes only an event already there
   * @return the event, taken from the queue, or {@code null}
   * @throws AssertionError when the thread is interrupted (its interrupt status is then set again)
   */
  public Event poll(Duration wait) {
    try {
      return events.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new AssertionError(ex);
    }
  }

  /**
   * The next event, within {@link #WAIT}, must be of {@code kind}.
   *
   * @param kind {@code open}, {@code message}, {@code reconnecting}, {@code closed} or {@code failure}
   * @return the event
   * @throws AssertionError when none comes in time or it is of another kind
   */
  public Event expect(String kind) {
    return expect(kind, WAIT);
  }

  /**
   * The next event, within {@code wait}, must be of {@code kind}.
   *
   * @param kind {@code open}, {@code message}, {@code reconnecting}, {@code closed} or {@code failure}
   * @param wait how long to wait for it
   * @return the event
   * @throws AssertionError when none comes in time or it is of another kind
   */
  public Event expect(String kind, Duration wait) {
    Event e = next(wait);
    assertEquals(kind, e.kind, name + ": expected " + kind + " but got " + e);
    return e;
  }

  /**
   * The next event, within {@link #WAIT}, must be {@code onOpen}.
   *
   * @throws AssertionError when it is not
   */
  public void expectOpen() {
    expect("open");
  }

  /**
   * The next event, within {@link #WAIT}, must be {@code onClosed}.
   *
   * @throws AssertionError when it is not
   */
  public void expectClosed() {
    expect("closed");
  }

  /**
   * The next event, within {@link #WAIT}, must be {@code onReconnecting} with a cause.
   *
   * @return the cause
   * @throws AssertionError when it is not, or its cause is {@code null}
   */
  public Throwable expectReconnecting() {
    Throwable cause = expect("reconnecting").error;
    assertNotNull(cause, name + ": onReconnecting without a cause");
    return cause;
  }

  /**
   * The next event, within {@code wait}, must be {@code onFailure}.
   *
   * @param wait how long to wait for it
   * @return the failure's exception
   * @throws AssertionError when it is not
   */
  public TransportException expectFailure(Duration wait) {
    return (TransportException) expect("failure", wait).error;
  }

  /**
   * The next event must be a message; returns its text.
   *
   * @return the envelope's JSON text
   * @throws AssertionError when no event comes within {@link #WAIT} or it is not a message
   */
  public String expectMessage() {
    return expect("message").text;
  }

  /**
   * The next event must be a message decoding to {@code type}.
   *
   * @param <T> the envelope type
   * @param type the envelope record expected, for example {@code Envelope.Welcome.class}
   * @return the decoded envelope
   * @throws AssertionError when no event comes within {@link #WAIT}, it is not a message, the text does
   *     not decode or decodes to another type
   */
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

  /**
   * No event arrives within {@code wait}, and the threading contract held throughout.
   *
   * @param wait how long to listen; zero checks only the events already recorded
   * @throws AssertionError when an event arrives or the contract was broken
   */
  public void assertNoMoreEvents(Duration wait) {
    assertNull(poll(wait), name + ": unexpected event");
    assertThreadingHeld();
  }

  /**
   * No two callbacks ran at once, and none came after a terminal one, so far.
   *
   * @throws AssertionError naming the last violation seen
   */
  public void assertThreadingHeld() {
    assertNull(violation, name + ": " + violation);
  }

  /**
   * Whether a terminal callback ({@code onClosed} or {@code onFailure}) has been recorded.
   *
   * @return {@code true} after one, whether or not its event was read yet
   */
  public boolean isTerminated() {
    return terminal.get();
  }

  /**
   * Asserts that a transport refuses to send.
   *
   * @param t the transport; it is handed a {@code leave} envelope, which it must refuse
   * @throws AssertionError when {@code send} returns {@code true}
   */
  public static void assertSendRefused(SignalingTransport t) {
    assertFalse(t.send("{\"v\":1,\"type\":\"leave\",\"id\":\"x\",\"room\":\"r\"}"), "send after the end returned true");
  }
}
