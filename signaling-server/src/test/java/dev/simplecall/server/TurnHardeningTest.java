package dev.simplecall.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.auth0.jwt.JWT;
import com.squareup.moshi.JsonReader;
import dev.simplecall.protocol.IceServerInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import okhttp3.Request;
import okhttp3.Response;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * TURN credentials are no longer a free-for-all: 1 h by default, never more than the TTL past the
 * join token's expiry, only for valid peer names, and a public server without auth refuses to start
 * handing them out.
 */
@Tag("fast")
class TurnHardeningTest {
  private static final String TURN_SECRET = "turn-shared-secret";
  private static final List<String> TURN_URIS = List.of("turn:127.0.0.1:3478?transport=udp");
  private static final long DEFAULT_TTL_SECONDS = 3600;
  private SignalingServer server;

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  private static long expiryOf(String username) {
    return Long.parseLong(username.substring(0, username.indexOf(':')));
  }

  @Test
  void credentialsLastOneHourByDefault() throws Exception {
    server = SignalingServer.builder().port(0).turnSecret(TURN_SECRET).turnUris(TURN_URIS).build().start();
    long before = Instant.now().getEpochSecond();
    Map<String, Object> body = get("/v1/turn-credentials?peer=bob", null, 200);
    long after = Instant.now().getEpochSecond();
    assertEquals((double) DEFAULT_TTL_SECONDS, body.get("ttl"));
    long expiry = expiryOf((String) entry(body).get("username"));
    assertTrue(expiry >= before + DEFAULT_TTL_SECONDS && expiry <= after + DEFAULT_TTL_SECONDS, "expiry " + expiry);
  }

  @Test
  void aTokenExpiringInFiveSecondsGetsCredentialsEndingWithinTheTtlOfTheToken() throws Exception {
    server = SignalingServer.builder().port(0).authSecret("auth").turnSecret(TURN_SECRET).turnUris(TURN_URIS)
        .build().start();
    String token = new TokenIssuer("auth").issue("carol", "r9", Duration.ofSeconds(5));
    long tokenExpiry = JWT.decode(token).getExpiresAtAsInstant().getEpochSecond();

    Map<String, Object> body = get("/v1/turn-credentials", token, 200);
    String username = (String) entry(body).get("username");
    assertEquals("carol", username.substring(username.indexOf(':') + 1), "bound to the token's subject");
    assertTrue(expiryOf(username) <= tokenExpiry + DEFAULT_TTL_SECONDS,
        "credentials expire at " + expiryOf(username) + ", token at " + tokenExpiry);

    // The welcome's credentials go through the same path, with the join token's expiry.
    try (WsTestClient carol = new WsTestClient(TestHttp.CLIENT, server.port())) {
      IceServerInfo turn = carol.join("r9", "carol", token).iceServers().get(0);
      assertEquals("carol", turn.username().substring(turn.username().indexOf(':') + 1));
      assertTrue(expiryOf(turn.username()) <= tokenExpiry + DEFAULT_TTL_SECONDS,
          "welcome credentials expire at " + expiryOf(turn.username()) + ", token at " + tokenExpiry);
    }
  }

  @Test
  void aPeerThatIsNotAValidNameIsRefusedWithBadName() throws Exception {
    server = SignalingServer.builder().port(0).turnSecret(TURN_SECRET).turnUris(TURN_URIS).build().start();
    for (String bad : List.of("bob%0Aevil", "%0A", "a:b", "x".repeat(65), "%2F..%2Fetc", "caf%C3%A9")) {
      Map<String, Object> body = get("/v1/turn-credentials?peer=" + bad, null, 400);
      assertEquals("error", body.get("type"), bad);
      assertEquals("bad-name", body.get("code"), bad);
    }
    assertEquals("anonymous", ((String) entry(get("/v1/turn-credentials", null, 200)).get("username")).split(":")[1]);
    assertEquals("a.B-9_z", ((String) entry(get("/v1/turn-credentials?peer=a.B-9_z", null, 200)).get("username"))
        .split(":")[1]);
  }

  @Test
  void aPublicServerHandingTurnCredentialsToAnyoneRefusesToBuild() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> SignalingServer.builder()
        .bind("0.0.0.0").insecure(true).turnSecret(TURN_SECRET).turnUris(TURN_URIS).build());
    assertTrue(e.getMessage().contains("--allow-open-turn"), e.getMessage());
    assertTrue(e.getMessage().contains("open relay"), e.getMessage());
    // With auth, or on loopback, TURN credentials are fine.
    SignalingServer.builder().bind("0.0.0.0").authSecret("auth").turnSecret(TURN_SECRET).turnUris(TURN_URIS).build();
    SignalingServer.builder().bind("127.0.0.1").turnSecret(TURN_SECRET).turnUris(TURN_URIS).build();
  }

  private static Map<?, ?> entry(Map<String, Object> body) {
    return (Map<?, ?>) ((List<?>) body.get("iceServers")).get(0);
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> get(String path, String bearer, int status) throws Exception {
    Request.Builder rb = new Request.Builder().url("http://127.0.0.1:" + server.port() + path);
    if (bearer != null) rb.header("Authorization", "Bearer " + bearer);
    try (Response r = TestHttp.CLIENT.newCall(rb.build()).execute()) {
      String text = r.body().string();
      assertEquals(status, r.code(), path + ": " + text);
      return (Map<String, Object>) JsonReader.of(new Buffer().writeUtf8(text)).readJsonValue();
    }
  }
}
