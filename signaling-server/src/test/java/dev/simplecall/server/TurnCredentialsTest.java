package dev.simplecall.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.squareup.moshi.JsonReader;
import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.IceServerInfo;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import okhttp3.Request;
import okhttp3.Response;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class TurnCredentialsTest {
  private static final String TURN_SECRET = "turn-shared-secret";
  private static final String TURN_URI = "turn:127.0.0.1:3478?transport=udp";
  private SignalingServer server;

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  /** Recomputes the coturn REST password independently of the server's code. */
  private static String expectedPassword(String username) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA1");
    mac.init(new SecretKeySpec(TURN_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
    return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
  }

  private static void assertValid(String username, String credential, String peer, Duration ttl) throws Exception {
    String[] parts = username.split(":", 2);
    assertEquals(peer, parts[1]);
    long expiry = Long.parseLong(parts[0]);
    long expected = Instant.now().plus(ttl).getEpochSecond();
    assertTrue(Math.abs(expiry - expected) < 30, "expiry " + expiry + " vs " + expected);
    assertEquals(expectedPassword(username), credential);
  }

  @Test
  void welcomeCarriesStaticServersAndTimeLimitedTurnCredentials() throws Exception {
    server = SignalingServer.builder().port(0)
        .iceServers(List.of(IceServerInfo.of("stun:127.0.0.1:3478")))
        .turnSecret(TURN_SECRET).turnUris(List.of(TURN_URI)).turnTtl(Duration.ofHours(1))
        .build().start();
    try (WsTestClient alice = new WsTestClient(TestHttp.CLIENT, server.port())) {
      Envelope.Welcome w = alice.join("r1", "alice", null);
      assertEquals(2, w.iceServers().size());
      assertEquals(List.of("stun:127.0.0.1:3478"), w.iceServers().get(0).urls());
      IceServerInfo turn = w.iceServers().get(1);
      assertEquals(List.of(TURN_URI), turn.urls());
      assertValid(turn.username(), turn.credential(), "alice", Duration.ofHours(1));
    }
  }

  @Test
  void httpEndpointWithoutAuthUsesThePeerParameter() throws Exception {
    server = SignalingServer.builder().port(0).turnSecret(TURN_SECRET).turnUris(List.of(TURN_URI)).build().start();
    Map<String, Object> body = get("/v1/turn-credentials?peer=bob", null, 200);
    assertEquals(3600.0, body.get("ttl")); // the default TTL, 1 h
    Map<?, ?> entry = (Map<?, ?>) ((List<?>) body.get("iceServers")).get(0);
    assertEquals(List.of(TURN_URI), entry.get("urls"));
    assertValid((String) entry.get("username"), (String) entry.get("credential"), "bob", Duration.ofHours(1));
  }

  @Test
  void httpEndpointWithAuthNeedsABearerTokenAndUsesItsSubject() throws Exception {
    server = SignalingServer.builder().port(0).authSecret("auth").turnSecret(TURN_SECRET)
        .turnUris(List.of(TURN_URI)).build().start();
    Map<String, Object> refused = get("/v1/turn-credentials?peer=bob", null, 401);
    assertEquals("error", refused.get("type"));
    assertEquals("unauthorized", refused.get("code"));
    String token = new TokenIssuer("auth").issue("carol", "r9", Duration.ofMinutes(1));
    Map<String, Object> body = get("/v1/turn-credentials?peer=bob", token, 200);
    Map<?, ?> entry = (Map<?, ?>) ((List<?>) body.get("iceServers")).get(0);
    assertValid((String) entry.get("username"), (String) entry.get("credential"), "carol", Duration.ofHours(1));
  }

  @Test
  void healthzAnswersWithCounts() throws Exception {
    server = SignalingServer.builder().port(0).build().start();
    try (WsTestClient alice = new WsTestClient(TestHttp.CLIENT, server.port())) {
      alice.join("r1", "alice", null);
      Map<String, Object> body = get("/healthz", null, 200);
      assertEquals("ok", body.get("status"));
      assertEquals(1.0, body.get("rooms"));
      assertEquals(1.0, body.get("peers"));
    }
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> get(String path, String bearer, int status) throws Exception {
    Request.Builder rb = new Request.Builder().url("http://127.0.0.1:" + server.port() + path);
    if (bearer != null) rb.header("Authorization", "Bearer " + bearer);
    try (Response r = TestHttp.CLIENT.newCall(rb.build()).execute()) {
      String text = r.body().string();
      assertEquals(status, r.code(), text);
      return (Map<String, Object>) JsonReader.of(new Buffer().writeUtf8(text)).readJsonValue();
    }
  }
}
