package dev.simplecall.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.protocol.ErrorCode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A member's join token bounds its stay: at {@code exp} (plus the 2 s leeway) the server sends {@code
 * error unauthorized}, takes it out of the room and closes (WebSocket 4003; long-poll session ended),
 * unless the member refreshed it by a repeated {@code join} with a fresh token on the same connection.
 */
class TokenExpiryTest {
  private static final String SECRET = "test-secret-0123456789";
  /** Long enough for the join to be accepted on a busy machine, short enough for a quick test. */
  private static final Duration SHORT = Duration.ofSeconds(3);
  private final TokenIssuer issuer = new TokenIssuer(SECRET);
  private SignalingServer server;

  @BeforeEach
  void start() {
    server = SignalingServer.builder().port(0).authSecret(SECRET).build().start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private String token(String peer, Duration ttl) {
    return issuer.issue(peer, "r1", ttl);
  }

  @Test
  void aWebSocketWhoseTokenExpiresIsToldAndClosedAndTheRoomHearsPeerLeft() throws Exception {
    try (WsTestClient alice = new WsTestClient(TestHttp.CLIENT, server.port());
         WsTestClient bob = new WsTestClient(TestHttp.CLIENT, server.port())) {
      bob.join("r1", "bob", token("bob", Duration.ofMinutes(5)));
      alice.join("r1", "alice", token("alice", SHORT));
      assertEquals("alice", bob.expect(Envelope.PeerJoined.class).peer());

      Envelope.Error e = alice.expectError(ErrorCode.UNAUTHORIZED);
      assertTrue(e.message().contains("expired"), e.message());
      assertTrue(alice.awaitClose().startsWith("4003 "), "close frame");
      assertEquals("alice", bob.expect(Envelope.PeerLeft.class).peer());
      assertEquals(1, server.peerCount());
    }
  }

  @Test
  void aRepeatedJoinWithAFreshTokenKeepsTheWebSocketPastTheFirstExpiry() throws Exception {
    try (WsTestClient alice = new WsTestClient(TestHttp.CLIENT, server.port());
         WsTestClient bob = new WsTestClient(TestHttp.CLIENT, server.port())) {
      bob.join("r1", "bob", token("bob", Duration.ofMinutes(5)));
      Instant firstExpiry = Instant.now().plus(SHORT);
      alice.join("r1", "alice", issuer.issue("alice", "r1", firstExpiry));
      bob.expect(Envelope.PeerJoined.class);
      assertEquals(List.of("bob"), alice.join("r1", "alice", token("alice", Duration.ofMinutes(5))).peers(),
          "the refresh answers a fresh welcome");

      // well past the first token's expiry and its leeway, nothing happens to alice. A deliberate
      // wait, not a marker: what is tested is time passing on the server's expiry timer, so the time
      // must pass; bob's offer after it is the marker that the link still works.
      long quietMillis = Duration.between(Instant.now(), firstExpiry).toMillis() + 2_000 + 2_000;
      assertNull(alice.received.poll(quietMillis, TimeUnit.MILLISECONDS), "alice was told something");
      assertTrue(!alice.closed.isDone(), "alice was closed");
      bob.send(new Envelope.Offer("o1", "r1", "bob", "alice", "v=0"));
      assertEquals("o1", alice.expect(Envelope.Offer.class).id());
      assertEquals(2, server.peerCount());
      bob.assertNothingQueued();
    }
  }

  @Test
  void aRefreshWithATokenForSomeoneElseIsRefusedAndChangesNothing() throws Exception {
    try (WsTestClient alice = new WsTestClient(TestHttp.CLIENT, server.port())) {
      alice.join("r1", "alice", token("alice", SHORT));
      alice.send(new Envelope.Join("j2", "r1", "alice", token("mallory", Duration.ofMinutes(5))));
      assertEquals("j2", alice.expectError(ErrorCode.UNAUTHORIZED).ref());
      assertTrue(alice.expectError(ErrorCode.UNAUTHORIZED).message().contains("expired"), "the first expiry holds");
      assertTrue(alice.awaitClose().startsWith("4003 "));
    }
  }

  @Test
  void aLongPollSessionWhoseTokenExpiresEndsAndARefreshedOneStays() throws Exception {
    PollTestClient poll = new PollTestClient(TestHttp.CLIENT, server.port());
    PollTestClient.Reply short1 = poll.create(
        EnvelopeCodec.encode(new Envelope.Join("j1", "r1", "alice", null)), token("alice", SHORT));
    assertEquals(201, short1.status(), short1.text());
    String aliceSid = (String) short1.body().get("session");
    PollTestClient.Reply bobReply = poll.create(
        EnvelopeCodec.encode(new Envelope.Join("j2", "r1", "bob", null)), token("bob", SHORT));
    String bobSid = (String) bobReply.body().get("session");
    // bob refreshes inside his session: a join with the same room and peer and a fresh token
    assertEquals(202, poll.post(bobSid, new Envelope.Join("j3", "r1", "bob", token("bob", Duration.ofMinutes(5)))).status());

    long cursor = 1;
    String expired = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (expired == null && System.nanoTime() < deadline) {
      PollTestClient.Reply r = poll.poll(aliceSid, cursor, 10_000);
      if (r.status() != 200) break;
      cursor = ((Number) r.body().get("cursor")).longValue();
      for (Object m : (List<?>) r.body().get("messages")) {
        Map<?, ?> env = (Map<?, ?>) m;
        if ("error".equals(env.get("type")) && "unauthorized".equals(env.get("code"))) expired = (String) env.get("message");
      }
    }
    assertTrue(expired != null && expired.contains("expired"), "alice heard her token expired: " + expired);
    PollTestClient.assertError(poll.poll(aliceSid, cursor, 0), 404, "not-joined");
    assertEquals(List.of("bob"), server.parts().hub().peersIn("r1"), "the refreshed session stays");
  }
}
