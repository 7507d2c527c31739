package dev.simplecall.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.protocol.EnvelopeException;
import dev.simplecall.protocol.ErrorCode;
import dev.simplecall.protocol.Ids;
import dev.simplecall.protocol.corpus.HostileEnvelopes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Sends the hostile corpus to the long-poll endpoints: the envelope cases as bodies (alone, in a batch,
 * chunked, or as a session-creating join), plus bad session ids, cursors and waits, wrong content
 * types, huge and malformed chunked bodies ({@link PollRequests}). Every answer must be the documented
 * status and {@code error} code; per-item routing errors and relayed messages are checked in mallory's
 * poll stream and at the victim.
 */
final class PollCorpus implements AutoCloseable {
  static final String ROOM = "hostile-poll";

  private final long seed;
  private final Random random;
  private final HostileEnvelopes envelopes;
  private final PollRequests http;
  private final PollTestClient mallory;
  private final String session;
  private final WsTestClient victim;
  /** Errors routing must put in mallory's stream, in order: {code, ref}. */
  private final Deque<String[]> streamErrors = new ArrayDeque<>();
  private long cursor;
  final Map<String, Integer> answers = new TreeMap<>();
  int sent;

  PollCorpus(int port, long seed, Predicate<String> holding) throws Exception {
    this.seed = seed;
    this.random = new Random(seed);
    this.envelopes = new HostileEnvelopes(seed);
    this.http = new PollRequests(port, random, holding);
    victim = new WsTestClient(TestHttp.CLIENT, port);
    victim.join(ROOM, HostileEnvelopes.TARGET, null);
    mallory = new PollTestClient(TestHttp.CLIENT, port);
    PollTestClient.Reply joined = mallory.create(new Envelope.Join(Ids.newId(), ROOM, "mallory", null));
    assertEquals(201, joined.status(), joined.text());
    session = joined.session();
    cursor = joined.cursor();
    victim.expect(Envelope.PeerJoined.class);
  }

  void send(int i) throws Exception {
    String where = "seed " + seed + " poll case " + i + ": ";
    int kind = i % 10;
    if (kind >= 7) {
      sent++;
      drainStream(where); // nothing pending: a poll with a cursor is then held
      PollRequests.Answer a = http.attack(kind, session, cursor, where);
      answers.merge(a.status() + " " + a.code(), 1, Integer::sum);
      return;
    }
    HostileEnvelopes.Case c = envelopes.next();
    String text = new String(c.text().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    where += c;
    if (kind == 6) { // as the body that would create a session: the cases never join, so always refused
      ErrorCode code = ErrorCode.BAD_JSON; // decoded, but not a join
      try {
        if (EnvelopeCodec.decode(text) instanceof Envelope.Join) return;
      } catch (EnvelopeException e) {
        code = e.code();
      }
      sent++;
      record(http.create(text, random.nextInt(4) == 0), HttpApi.status(code), code.wire(), where);
      return;
    }
    String body = switch (kind % 3) {
      case 0 -> text;
      case 1 -> "[" + text + "]";
      default -> "[{\"v\":1,\"type\":\"candidate\",\"id\":\"ok" + i + "\",\"to\":\"nobody\",\"candidate\":null}, " + text + "]";
    };
    List<Object> expected = new ArrayList<>();
    ErrorCode refused = batchAnswer(body, expected);
    if (refused == null && expected.contains(null)) return; // would join or leave: not sent
    sent++;
    PollTestClient.Reply r = http.post(session, body, random.nextInt(4) == 0);
    if (refused != null) {
      record(r, HttpApi.status(refused), refused.wire(), where);
      return;
    }
    record(r, 202, "accepted", where);
    for (Object item : expected) {
      if (item instanceof Envelope.Error e) {
        streamErrors.add(new String[] {e.code(), e.ref()});
      } else {
        assertEquals(item, WsCorpus.relayed(victim, where), where);
      }
    }
    if (streamErrors.size() > 20) drainStream(where);
  }

  /**
   * What the server must refuse the whole body with, as it splits and decodes it before routing
   * anything; or {@code null}, with each item's answer ({@link WsCorpus#expect}) added to {@code items}.
   */
  private static ErrorCode batchAnswer(String body, List<Object> items) {
    try {
      List<String> texts = EnvelopeCodec.splitArray(body);
      if (texts.isEmpty()) return ErrorCode.BAD_JSON;
      for (String item : texts) EnvelopeCodec.decode(item);
      for (String item : texts) items.add(WsCorpus.expect(item, ROOM));
      return null;
    } catch (EnvelopeException e) {
      return e.code();
    }
  }

  private void record(PollTestClient.Reply r, int status, String code, String where) {
    assertEquals(status, r.status(), where + " answered " + r.text());
    if (status != 202) PollTestClient.assertError(r, status, code);
    answers.merge(status + " " + code, 1, Integer::sum);
  }

  /** Polls mallory's stream and checks it holds exactly the routing errors expected so far, in order. */
  void drainStream(String where) throws Exception {
    while (!streamErrors.isEmpty()) {
      PollTestClient.Reply r = mallory.poll(session, cursor, 5000);
      assertEquals(200, r.status(), where + r.text());
      List<Envelope> messages = r.messages();
      assertFalse(messages.isEmpty(), where + "expected errors missing from the stream: " + streamErrors.size());
      for (Envelope e : messages) {
        String[] want = streamErrors.poll();
        assertTrue(want != null && e instanceof Envelope.Error, where + "unexpected in the stream: " + EnvelopeCodec.encode(e));
        assertEquals(want[0], ((Envelope.Error) e).code(), where + EnvelopeCodec.encode(e));
        assertEquals(want[1], ((Envelope.Error) e).ref(), where + EnvelopeCodec.encode(e));
      }
      cursor = r.cursor();
    }
  }

  /** Mallory's session still answers, and nothing unexpected reached the victim. */
  void assertStillServed() throws Exception {
    drainStream("at the end: ");
    PollTestClient.Reply r = mallory.poll(session, cursor, 0);
    assertEquals(200, r.status(), r.text());
    assertEquals(0, r.messages().size(), r.text());
    victim.assertNothingQueued();
  }

  @Override
  public void close() {
    victim.close();
  }
}
