package dev.simplecall.server;

import static dev.simplecall.server.PollTestClient.assertError;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.protocol.ErrorCode;
import dev.simplecall.server.PollTestClient.Reply;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class LongPollTest {
  private SignalingServer server;
  private PollTestClient poll;

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  private void start(SignalingServer.Builder b) {
    server = b.port(0).build().start();
    poll = new PollTestClient(TestHttp.CLIENT, server.port());
  }

  private WsTestClient ws() {
    return new WsTestClient(TestHttp.CLIENT, server.port());
  }

  /** A bounded wait for a server-side condition; fails the test when it does not hold within 10 s. */
  private static ConditionFactory awaitServer(String what) {
    return await(what).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5));
  }

  @Test
  void longPollPeerAndWebSocketPeerTalkThroughOneHub() throws Exception {
    start(SignalingServer.builder());
    try (WsTestClient bob = ws()) {
      bob.join("r1", "bob", null);
      Reply created = poll.create(new Envelope.Join("j1", "r1", "alice", null));
      assertEquals(201, created.status(), created.text());
      String sid = created.session();
      assertEquals("/v1/poll/sessions/" + sid, created.location());
      Envelope.Welcome welcome = (Envelope.Welcome) created.messages().get(0);
      assertEquals(List.of("bob"), welcome.peers());
      assertEquals(1, created.cursor());
      assertEquals("alice", bob.expect(Envelope.PeerJoined.class).peer());

      // Poll to WebSocket, one envelope then a batch; from is the session's peer whatever was sent.
      assertEquals(202, poll.post(sid, new Envelope.Offer("o1", "r1", "mallory", "bob", "v=0")).status());
      Envelope.Offer offer = bob.expect(Envelope.Offer.class);
      assertEquals("alice", offer.from());
      String batch = "[" + EnvelopeCodec.encode(new Envelope.Candidate("c1", "r1", "alice", "bob",
          new Envelope.IceCandidate("candidate:1 1 udp 1 127.0.0.1 9 typ host", "0", 0))) + ","
          + EnvelopeCodec.encode(new Envelope.Candidate("c2", "r1", "alice", "bob", null)) + "]";
      Reply accepted = poll.post(sid, batch);
      assertEquals(202, accepted.status(), accepted.text());
      assertEquals("c1", bob.expect(Envelope.Candidate.class).id());
      assertEquals("c2", bob.expect(Envelope.Candidate.class).id());

      // WebSocket to poll: a held poll wakes up when the message arrives.
      CompletableFuture<Reply> held = poll.pollAsync(sid, 1, 20_000);
      awaitServer("the poll is held").until(() -> server.parts().poll().holding(sid));
      assertFalse(held.isDone());
      bob.send(new Envelope.Answer("a1", "r1", "bob", "alice", "v=0 answer"));
      Reply woke = held.get(10, TimeUnit.SECONDS);
      assertEquals(200, woke.status());
      List<Envelope> got = woke.messages();
      assertEquals(1, got.size());
      Envelope.Answer answer = (Envelope.Answer) got.get(0);
      assertEquals("bob", answer.from());
      assertEquals(2, woke.cursor());

      assertEquals(204, poll.delete(sid).status());
      assertEquals("alice", bob.expect(Envelope.PeerLeft.class).peer());
      assertError(poll.poll(sid, 2, 0), 404, "not-joined");
    }
  }

  @Test
  void messagesStayUntilAcknowledgedByCursor() throws Exception {
    start(SignalingServer.builder());
    try (WsTestClient bob = ws()) {
      String sid = poll.create(new Envelope.Join("j1", "r1", "alice", null)).session();
      bob.join("r1", "bob", null);
      bob.send(new Envelope.Offer("o1", "r1", "bob", "alice", "v=0"));
      bob.send(new Envelope.Offer("o2", "r1", "bob", "alice", "v=0"));
      // peer-joined(bob), o1, o2 = seq 2..4 once all have arrived.
      awaitServer("all three are queued").until(() -> poll.poll(sid, 1, 0).messages().size() == 3);
      Reply first = poll.poll(sid, 1, 0);
      Reply again = poll.poll(sid, 1, 0); // not acknowledged: delivered again (at-least-once)
      assertEquals(first.text(), again.text());
      assertEquals(4, first.cursor());
      Reply partial = poll.poll(sid, 3, 0); // acknowledges up to o1
      assertEquals(1, partial.messages().size());
      assertEquals("o2", partial.messages().get(0).id());
      Reply none = poll.poll(sid, 4, 0);
      assertEquals(List.of(), none.messages());
      assertEquals(4, none.cursor());
      assertError(poll.poll(sid, 99, 0), 400, "bad-json"); // beyond anything sent
      // A hold with nothing to say ends empty after the wait.
      long t0 = System.nanoTime();
      Reply empty = poll.poll(sid, 4, 300);
      assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(250), "returned before the hold time");
      assertEquals(List.of(), empty.messages());
    }
  }

  @Test
  void aSessionNotPolledIsDroppedAndReportedAsPeerLeft() throws Exception {
    start(SignalingServer.builder().pollSessionTimeout(Duration.ofMillis(400)));
    try (WsTestClient bob = ws()) {
      bob.join("r1", "bob", null);
      String sid = poll.create(new Envelope.Join("j1", "r1", "alice", null)).session();
      assertEquals("alice", bob.expect(Envelope.PeerJoined.class).peer());
      assertEquals("alice", bob.expect(Envelope.PeerLeft.class).peer());
      assertError(poll.poll(sid, 1, 0), 404, "not-joined");
    }
  }

  @Test
  void badRequestsGetTheRightStatusAndAnErrorEnvelope() throws Exception {
    start(SignalingServer.builder().rateLimit(0.001, 3));
    assertError(poll.create("{nope", null), 400, "bad-json");
    assertError(poll.create(EnvelopeCodec.encode(new Envelope.Offer("o", "r1", "a", "b", "v=0")), null), 400, "bad-json");
    assertError(poll.create("{\"v\":1,\"type\":\"warp\",\"id\":\"w\"}", null), 400, "unknown-type");
    assertError(poll.create(EnvelopeCodec.encode(new Envelope.Join("j", "r1", "a" + "x".repeat(70_000), null)), null),
        413, "too-large");
    assertError(poll.poll("no-such-session", 0, 0), 404, "not-joined");
    assertError(poll.post("no-such-session", new Envelope.Bye("b", "r1", "a", "b", null)), 404, "not-joined");
    assertError(poll.delete("no-such-session"), 404, "not-joined");

    Reply created = poll.create(new Envelope.Join("j1", "r1", "alice", null)); // 1 token of 3
    String sid = created.session();
    assertError(poll.post(sid, "[]"), 400, "bad-json");
    assertError(poll.post(sid, "not json"), 400, "bad-json");
    assertError(poll.post(sid, new Envelope.Offer("big", "r1", "alice", "bob", "x".repeat(70_000))), 413, "too-large");
    // a join inside a session only refreshes the session's own identity (see TokenExpiryTest)
    assertError(poll.post(sid, new Envelope.Join("j2", "r1", "mallory", null)), 400, "bad-json");
    assertError(poll.post(sid, new Envelope.Join("j3", "r2", "alice", null)), 400, "bad-json");
    // Routing errors come back in the poll stream, as on a WebSocket.
    assertEquals(202, poll.post(sid, new Envelope.Offer("o1", "r1", "alice", "nobody", "v=0")).status());
    Envelope.Error noPeer = (Envelope.Error) poll.poll(sid, 1, 5_000).messages().get(0);
    assertEquals(ErrorCode.NO_SUCH_PEER, noPeer.errorCode());
    assertEquals("o1", noPeer.ref());
    // Two tokens used (join, o1); a batch of two needs more than the one left: refused whole.
    String two = "[" + EnvelopeCodec.encode(new Envelope.Bye("b1", "r1", "alice", "nobody", null)) + ","
        + EnvelopeCodec.encode(new Envelope.Bye("b2", "r1", "alice", "nobody", null)) + "]";
    assertError(poll.post(sid, two), 429, "rate-limited");
  }

  @Test
  void aBodyThatIsNotUtf8IsRefusedNotRelayedWithReplacementCharacters() throws Exception {
    start(SignalingServer.builder());
    WsTestClient bob = new WsTestClient(TestHttp.CLIENT, server.port());
    bob.join("r1", "bob", null);
    Reply created = poll.create(new Envelope.Join("j1", "r1", "alice", null));
    assertEquals("alice", bob.expect(Envelope.PeerJoined.class).peer());
    byte[] offer = EnvelopeCodec.encode(new Envelope.Offer("o1", "r1", "alice", "bob", "v=0 XX")).getBytes(StandardCharsets.UTF_8);
    int at = new String(offer, StandardCharsets.UTF_8).indexOf("XX");
    offer[at] = (byte) 0xC0; // an overlong encoding of '/': not UTF-8
    offer[at + 1] = (byte) 0xAF;
    Reply refused = poll.post(created.session(), offer);
    assertError(refused, 400, "bad-json");
    assertTrue(refused.text().contains("not UTF-8"), refused.text());
    assertEquals(202, poll.post(created.session(), new Envelope.Offer("o2", "r1", "alice", "bob", "v=0")).status());
    assertEquals("o2", bob.expect(Envelope.Offer.class).id(), "the refused offer never reached bob");
    bob.close();
  }

  @Test
  void withAuthTheBearerTokenProvesTheIdentity() throws Exception {
    start(SignalingServer.builder().authSecret("poll-secret"));
    String join = EnvelopeCodec.encode(new Envelope.Join("j1", "r1", "alice", null));
    assertError(poll.create(join, null), 401, "unauthorized");
    assertError(poll.create(join, new TokenIssuer("poll-secret").issue("bob", "r1", Duration.ofMinutes(1))),
        401, "unauthorized");
    Reply ok = poll.create(join, new TokenIssuer("poll-secret").issue("alice", "r1", Duration.ofMinutes(1)));
    assertEquals(201, ok.status(), ok.text());
  }

  @Test
  void roomFullIsA409() throws Exception {
    start(SignalingServer.builder().roomSize(1));
    assertEquals(201, poll.create(new Envelope.Join("j1", "r1", "alice", null)).status());
    assertError(poll.create(new Envelope.Join("j2", "r1", "bob", null)), 409, "room-full");
  }

  @Test
  void shutdownAnswersAHeldPollWithServerBusy() throws Exception {
    start(SignalingServer.builder());
    String sid = poll.create(new Envelope.Join("j1", "r1", "alice", null)).session();
    CompletableFuture<Reply> held = poll.pollAsync(sid, 1, 20_000);
    awaitServer("the poll is held").until(() -> server.parts().poll().holding(sid));
    server.close();
    Reply r = held.get(10, TimeUnit.SECONDS);
    Envelope.Error e = (Envelope.Error) r.messages().get(0);
    assertEquals(ErrorCode.SERVER_BUSY, e.errorCode());
    assertEquals("server shutting down", e.message());
  }
}
