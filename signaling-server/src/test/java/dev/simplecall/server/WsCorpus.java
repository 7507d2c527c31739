package dev.simplecall.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.protocol.EnvelopeException;
import dev.simplecall.protocol.ErrorCode;
import dev.simplecall.protocol.corpus.HostileEnvelopes;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Sends the hostile corpus to {@code /v1/ws}: envelope cases on one joined connection (mallory in room
 * {@code hostile}, where victim listens), each waiting for its documented answer, and every eighth case
 * a frame-level attack on a fresh connection that must end with its documented close code.
 */
final class WsCorpus implements AutoCloseable {
  static final String ROOM = "hostile";

  private final int port;
  private final long seed;
  private final Random random;
  private final HostileEnvelopes envelopes;
  private final HostileFrames mallory;
  private final WsTestClient victim;
  private final FrameAttacks frames;
  /** Answers seen, by error code, relay or close code. */
  final Map<String, Integer> answers = new TreeMap<>();
  int sent;
  int connections;

  WsCorpus(int port, long seed) throws Exception {
    this.port = port;
    this.seed = seed;
    this.random = new Random(seed);
    this.envelopes = new HostileEnvelopes(seed);
    this.frames = new FrameAttacks(port, random);
    victim = new WsTestClient(TestHttp.CLIENT, port);
    victim.join(ROOM, HostileEnvelopes.TARGET, null);
    mallory = new HostileFrames(port, null);
    mallory.sendText(EnvelopeCodec.encode(new Envelope.Join("mj", ROOM, "mallory", null)));
    assertTrue(EnvelopeCodec.decode(mallory.readText()) instanceof Envelope.Welcome, "mallory's welcome");
    assertTrue(victim.next() instanceof Envelope.PeerJoined, "victim hears mallory");
  }

  /** Sends case number {@code i}; returns after its answer was checked. */
  void send(int i) throws Exception {
    sent++;
    if (i % 8 == 7) {
      connections++;
      String where = "seed " + seed + " ws case " + i + ": ";
      answers.merge(frames.next(where), 1, Integer::sum);
      return;
    }
    HostileEnvelopes.Case c;
    Object expected;
    do {
      c = envelopes.next();
      expected = expect(new String(c.text().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8), ROOM);
    } while (expected == null);
    String where = "seed " + seed + " ws case " + i + ": " + c;
    if (random.nextInt(8) == 0) {
      mallory.sendFragmented(c.text(), 2 + random.nextInt(4));
    } else {
      mallory.sendText(c.text());
    }
    if (expected instanceof Envelope.Error want) {
      Envelope got = EnvelopeCodec.decode(mallory.readText());
      assertTrue(got instanceof Envelope.Error, where + " answered " + EnvelopeCodec.encode(got));
      Envelope.Error error = (Envelope.Error) got;
      assertEquals(want.code(), error.code(), where + " answered " + EnvelopeCodec.encode(got));
      assertEquals(want.ref(), error.ref(), where);
      answers.merge(error.code(), 1, Integer::sum);
    } else {
      assertEquals(expected, relayed(victim, where), where);
      answers.merge("relayed", 1, Integer::sum);
    }
  }

  /**
   * The documented answer to {@code text} from a joined peer: an error (code and ref), or the envelope
   * the victim receives (sent in {@code room}); {@code null} for a text that would join or leave (not sent).
   */
  static Object expect(String text, String room) {
    Envelope e;
    try {
      e = EnvelopeCodec.decode(text);
    } catch (EnvelopeException ex) {
      return new Envelope.Error("", null, null, ex.code().wire(), null, ex.ref());
    }
    if (e instanceof Envelope.Join || e instanceof Envelope.Leave) return null;
    if (!(e instanceof Envelope.Routed routed)) return new Envelope.Error("", null, null, ErrorCode.UNKNOWN_TYPE.wire(), null, e.id());
    if (routed.to().equals("mallory")) return null;
    if (!routed.to().equals(HostileEnvelopes.TARGET)) {
      return new Envelope.Error("", null, null, ErrorCode.NO_SUCH_PEER.wire(), null, e.id());
    }
    return routed.withSender(room, "mallory");
  }

  /** The next message the victim receives, decoded; fails naming {@code where} when none comes. */
  static Envelope relayed(WsTestClient victim, String where) throws Exception {
    String text = victim.received.poll(WsTestClient.WAIT_SECONDS, TimeUnit.SECONDS);
    assertNotNull(text, where + ": nothing reached the victim within " + WsTestClient.WAIT_SECONDS + " s");
    return EnvelopeCodec.decode(text);
  }

  /** Mallory's connection and the victim are both still up and answering. */
  void assertStillServed() throws Exception {
    mallory.sendText("{}");
    Envelope.Error e = (Envelope.Error) EnvelopeCodec.decode(mallory.readText());
    assertEquals(ErrorCode.BAD_JSON.wire(), e.code());
    victim.assertNothingQueued();
  }

  @Override
  public void close() throws Exception {
    mallory.close();
    victim.close();
  }
}
