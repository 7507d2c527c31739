package dev.simplecall.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import dev.simplecall.protocol.CloseCodes;
import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.ErrorCode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class AuthTest {
  private static final String SECRET = "test-secret-0123456789";
  private final TokenIssuer issuer = new TokenIssuer(SECRET);
  private SignalingServer server;

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  private WsTestClient client() {
    return new WsTestClient(TestHttp.CLIENT, server.port());
  }

  private String token(String peer, String room) {
    return issuer.issue(peer, room, Duration.ofMinutes(5));
  }

  @Test
  void everyJoinNeedsATokenForThatPeerAndRoom() throws Exception {
    server = SignalingServer.builder().port(0).authSecret(SECRET).build().start();
    try (WsTestClient alice = client()) {
      alice.send(new Envelope.Join("j1", "r1", "alice", null));
      assertEquals("j1", alice.expectError(ErrorCode.UNAUTHORIZED).ref());
      alice.send(new Envelope.Join("j2", "r1", "alice", token("bob", "r1")));
      assertTrue(alice.expectError(ErrorCode.UNAUTHORIZED).message().contains("bob"));
      alice.send(new Envelope.Join("j3", "r1", "alice", token("alice", "r2")));
      assertTrue(alice.expectError(ErrorCode.UNAUTHORIZED).message().contains("r2"));
      alice.send(new Envelope.Join("j4", "r1", "alice", issuer.issue("alice", "r1", Instant.now().minusSeconds(60))));
      assertTrue(alice.expectError(ErrorCode.UNAUTHORIZED).message().contains("expired"));
      String forged = new TokenIssuer("some-other-secret").issue("alice", "r1", Duration.ofMinutes(5));
      alice.send(new Envelope.Join("j5", "r1", "alice", forged));
      alice.expectError(ErrorCode.UNAUTHORIZED);
      alice.send(new Envelope.Join("j6", "r1", "alice", "not.a.jwt"));
      alice.expectError(ErrorCode.UNAUTHORIZED);
      assertEquals(0, server.peerCount(), "no refused join got in");
      // The same connection may still join properly.
      assertEquals(List.of(), alice.join("r1", "alice", token("alice", "r1")).peers());
    }
  }

  @Test
  void aValidTokenReplacesTheOldConnectionSilently() throws Exception {
    server = SignalingServer.builder().port(0).authSecret(SECRET).build().start();
    try (WsTestClient alice1 = client(); WsTestClient bob = client(); WsTestClient alice2 = client()) {
      alice1.join("r1", "alice", token("alice", "r1"));
      bob.join("r1", "bob", token("bob", "r1"));
      alice1.expect(Envelope.PeerJoined.class);

      assertEquals(List.of("bob"), alice2.join("r1", "alice", token("alice", "r1")).peers());
      assertEquals(CloseCodes.REPLACED + " replaced by a newer connection with the same identity",
          alice1.awaitClose());
      // Bob hears neither peer-left nor peer-joined: the next thing he gets is the new alice's offer.
      alice2.send(new Envelope.Offer("o1", "r1", "alice", "bob", "v=0"));
      Envelope.Offer offer = bob.expect(Envelope.Offer.class);
      assertEquals("alice", offer.from());
      bob.send(new Envelope.Answer("a1", "r1", "bob", "alice", "v=0"));
      assertEquals("a1", alice2.expect(Envelope.Answer.class).id());
      bob.assertNothingQueued();
      assertEquals(2, server.peerCount());
    }
  }

  @Test
  void aTokenForAnotherIdentityCannotTakeOverAPeerId() throws Exception {
    server = SignalingServer.builder().port(0).authSecret(SECRET).build().start();
    try (WsTestClient alice = client(); WsTestClient bob = client(); WsTestClient mallory = client()) {
      alice.join("r1", "alice", token("alice", "r1"));
      bob.join("r1", "bob", token("bob", "r1"));
      alice.expect(Envelope.PeerJoined.class);
      mallory.send(new Envelope.Join("m1", "r1", "alice", token("mallory", "r1")));
      assertEquals("m1", mallory.expectError(ErrorCode.UNAUTHORIZED).ref());
      // The real alice is untouched.
      bob.send(new Envelope.Offer("o1", "r1", "bob", "alice", "v=0"));
      assertEquals("o1", alice.expect(Envelope.Offer.class).id());
      assertTrue(!alice.closed.isDone(), "alice must stay connected");
    }
  }

  @Test
  void withoutAuthADuplicateIdReplacesTooSoReconnectsWork() throws Exception {
    server = SignalingServer.builder().port(0).build().start();
    try (WsTestClient alice1 = client(); WsTestClient bob = client(); WsTestClient alice2 = client()) {
      alice1.join("r1", "alice", null);
      bob.join("r1", "bob", null);
      alice1.expect(Envelope.PeerJoined.class);
      assertEquals(List.of("bob"), alice2.join("r1", "alice", null).peers());
      assertTrue(alice1.awaitClose().startsWith(String.valueOf(CloseCodes.REPLACED)));
      bob.send(new Envelope.Offer("o1", "r1", "bob", "alice", "v=0"));
      assertEquals("o1", alice2.expect(Envelope.Offer.class).id());
    }
  }

  @Test
  void forgedAndMalformedTokensAreAllRefused() throws Exception {
    server = SignalingServer.builder().port(0).authSecret(SECRET).build().start();
    Instant exp = Instant.now().plusSeconds(300);
    List<String> forged = List.of(
        JWT.create().withSubject("alice").withClaim("room", "r1").withExpiresAt(exp).sign(Algorithm.none()),
        JWT.create().withSubject("alice").withClaim("room", "r1").withExpiresAt(exp).sign(Algorithm.HMAC512(SECRET)),
        JWT.create().withSubject("alice").withClaim("room", "r1").withExpiresAt(exp).sign(Algorithm.HMAC256("wrong")),
        JWT.create().withSubject("alice").withClaim("room", "r1").sign(Algorithm.HMAC256(SECRET)), // no exp
        JWT.create().withSubject("alice").withClaim("room", "r1").withExpiresAt(exp)
            .withNotBefore(Instant.now().plusSeconds(120)).sign(Algorithm.HMAC256(SECRET)),
        JWT.create().withSubject("alice").withClaim("room", 1).withExpiresAt(exp).sign(Algorithm.HMAC256(SECRET)),
        JWT.create().withClaim("sub", 7).withClaim("room", "r1").withExpiresAt(exp).sign(Algorithm.HMAC256(SECRET)),
        "", "a.b.c");
    try (WsTestClient alice = client()) {
      int n = 0;
      for (String t : forged) {
        alice.send(new Envelope.Join("f" + n, "r1", "alice", t));
        assertEquals("f" + n, alice.expectError(ErrorCode.UNAUTHORIZED).ref(), "token " + n + " was accepted: " + t);
        n++;
      }
      assertEquals(0, server.peerCount());
      assertEquals(List.of(), alice.join("r1", "alice", token("alice", "r1")).peers(), "a real token still works");
    }
  }

  @Test
  void duringASecretRotationTokensSignedWithThePreviousSecretStillJoinUntilTheWindowEnds() throws Exception {
    String next = "test-secret-after-rotation";
    server = SignalingServer.builder().port(0).authSecret(next).previousAuthSecret(SECRET, Instant.now().plusSeconds(300))
        .build().start();
    try (WsTestClient alice = client(); WsTestClient bob = client()) {
      assertEquals(List.of(), alice.join("r1", "alice", token("alice", "r1")).peers(), "a token minted before the rotation");
      assertEquals(List.of("alice"), bob.join("r1", "bob", new TokenIssuer(next).issue("bob", "r1", Duration.ofMinutes(5))).peers());
      String forged = new TokenIssuer("neither-secret-0123456789").issue("carol", "r1", Duration.ofMinutes(5));
      bob.send(new Envelope.Join("c1", "r1", "carol", forged));
      assertEquals("c1", bob.expectError(ErrorCode.UNAUTHORIZED).ref());
    }
  }

  @Test
  void afterTheRotationWindowOnlyTheCurrentSecretIsAccepted() {
    Instant now = Instant.now(); // the token library checks exp against the system clock
    Instant windowEnd = now.plusSeconds(60);
    String next = "test-secret-after-rotation";
    String old = issuer.issue("alice", "r1", now.plusSeconds(3600));
    TokenVerifier during = new TokenVerifier(next, SECRET, windowEnd, java.time.Clock.fixed(now, java.time.ZoneOffset.UTC));
    TokenVerifier after = new TokenVerifier(next, SECRET, windowEnd, java.time.Clock.fixed(windowEnd, java.time.ZoneOffset.UTC));
    assertEquals("alice", during.verify(old).identity().peer());
    assertTrue(after.verify(old).problem().contains("invalid token"), after.verify(old).problem());
    String expiredOld = issuer.issue("alice", "r1", Instant.now().minusSeconds(60));
    assertEquals("token expired", during.verify(expiredOld).problem(), "the previous secret does not lift the expiry");
    assertThrows(IllegalStateException.class, () -> SignalingServer.builder().previousAuthSecret(SECRET, windowEnd).build(),
        "a previous secret without a current one");
    assertThrows(IllegalStateException.class,
        () -> SignalingServer.builder().authSecret(SECRET).previousAuthSecret(SECRET, windowEnd).build(), "the same secret twice");
  }

  @Test
  void publicBindWithoutSecretIsRefusedUnlessInsecure() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> SignalingServer.builder().bind("0.0.0.0").build());
    assertTrue(e.getMessage().contains("auth secret"), e.getMessage());
    // Built, not started: these tests never listen beyond loopback.
    SignalingServer.builder().bind("0.0.0.0").authSecret(SECRET).build();
    SignalingServer.builder().bind("0.0.0.0").insecure(true).build();
    SignalingServer.builder().bind("localhost").build();
    assertThrows(IllegalStateException.class,
        () -> SignalingServer.builder().turnSecret("x").build(), "TURN secret without URIs");
  }
}
