package dev.simplecall.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.squareup.moshi.JsonReader;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/turn-credentials} is rate-limited per client address (10 a minute, burst 20 by
 * default) on a fake monotonic clock, so refill and eviction are exact instead of waited for.
 */
@Tag("fast")
class TurnRateLimitTest {
  private static final String TURN_SECRET = "turn-shared-secret";
  private static final List<String> TURN_URIS = List.of("turn:127.0.0.1:3478?transport=udp");
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private SignalingServer server;

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  @Test
  void theTwentyFirstRequestInABurstIsRateLimitedWhileAnotherAddressStillGetsCredentials() throws Exception {
    server = SignalingServer.builder().port(0).turnSecret(TURN_SECRET).turnUris(TURN_URIS).nanoTime(nanos::get)
        .build().start();
    for (int i = 0; i < 20; i++) get(TestHttp.CLIENT, 200);
    Map<String, Object> refused = get(TestHttp.CLIENT, 429);
    assertEquals("rate-limited", refused.get("code"));
    assertEquals(1, server.parts().httpApi().turnRateLimitedCount());
    Map<String, Object> other = get(TestHttp.from("127.0.0.2"), 200);
    assertTrue(((List<?>) other.get("iceServers")).size() == 1, other.toString());

    nanos.addAndGet(Duration.ofSeconds(6).toNanos()); // 10 a minute: one token back
    get(TestHttp.CLIENT, 200);
    get(TestHttp.CLIENT, 429);
    assertEquals(2, server.parts().httpApi().turnRateLimitedCount());

    // Once every bucket has refilled, the sweep forgets the addresses: the map does not grow.
    assertEquals(2, server.parts().httpApi().turnRequests().size());
    nanos.addAndGet(Duration.ofMinutes(2).toNanos());
    server.parts().httpApi().turnRequests().evictIdle();
    assertEquals(0, server.parts().httpApi().turnRequests().size());
  }

  @Test
  void theRateIsConfigurable() throws Exception {
    server = SignalingServer.builder().port(0).turnSecret(TURN_SECRET).turnUris(TURN_URIS).turnRateLimit(60, 2)
        .nanoTime(nanos::get).build().start();
    get(TestHttp.CLIENT, 200);
    get(TestHttp.CLIENT, 200);
    get(TestHttp.CLIENT, 429);
    nanos.addAndGet(Duration.ofSeconds(1).toNanos());
    get(TestHttp.CLIENT, 200);
  }

  @Test
  void bucketsStayBoundedAndOnlyMidBurstAddressesAreKept() {
    AddressBuckets buckets = new AddressBuckets(1, 2, 2, nanos::get);
    assertTrue(buckets.tryTake("a"));
    assertTrue(buckets.tryTake("b"));
    assertFalse(buckets.tryTake("c"), "two addresses mid-burst fill a table of two");
    nanos.addAndGet(Duration.ofSeconds(1).toNanos()); // both full again: evicted to make room
    assertTrue(buckets.tryTake("c"));
    assertEquals(1, buckets.size());
  }

  @Test
  void allowOpenTurnLetsAPublicServerWithoutAuthBuild() {
    SignalingServer.builder().bind("0.0.0.0").insecure(true).allowOpenTurn(true).turnSecret(TURN_SECRET)
        .turnUris(TURN_URIS).build();
  }

  @Test
  void expiryIsTheEarlierOfNowPlusTtlAndTokenExpiryPlusTtl() {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    Duration ttl = Duration.ofHours(1);
    TurnCredentials turn = new TurnCredentials(TURN_SECRET, TURN_URIS, ttl, Clock.fixed(now, ZoneOffset.UTC));
    assertEquals(now.plus(ttl), turn.expiry(now, null));
    assertEquals(now.plus(ttl), turn.expiry(now, now.plusSeconds(5)));
    // A token just past its expiry (inside the verifier's leeway): credentials end ttl after the token.
    assertEquals(now.minusSeconds(1).plus(ttl), turn.expiry(now, now.minusSeconds(1)));
    assertEquals((now.getEpochSecond() + 3599) + ":alice", turn.forPeer("alice", now.minusSeconds(1)).username());
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> get(OkHttpClient http, int status) throws Exception {
    Request request = new Request.Builder().url("http://127.0.0.1:" + server.port() + "/v1/turn-credentials?peer=p").build();
    try (Response r = http.newCall(request).execute()) {
      String text = r.body().string();
      assertEquals(status, r.code(), text);
      return (Map<String, Object>) JsonReader.of(new Buffer().writeUtf8(text)).readJsonValue();
    }
  }
}
