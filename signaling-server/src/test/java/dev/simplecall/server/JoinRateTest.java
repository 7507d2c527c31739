package dev.simplecall.server;

import static dev.simplecall.server.PollTestClient.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.protocol.ErrorCode;
import dev.simplecall.protocol.Ids;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Joins per client address are rate-limited ({@link SignalingServer.Builder#joinRateLimit}): a burst,
 * then the refill rate; every attempt counts, refused ones (a bad token) included, over WebSocket and
 * long-poll alike; the refusal is {@code rate-limited} naming the limit, with {@code Retry-After} on
 * long-poll, and counted in {@code /metrics}; another address keeps its own bucket; members already in
 * rooms are untouched. Time is a fake clock, so nothing here waits for a refill.
 */
@Tag("fast")
class JoinRateTest {
  private static final String SECRET = "join-rate-test-secret-of-at-least-32-bytes";
  private final AtomicLong now = new AtomicLong();
  private SignalingServer server;

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  private static Envelope.Join join(String room, String peer, String token) {
    return new Envelope.Join(Ids.newId(), room, peer, token);
  }

  @Test
  void anAddressGetsItsBurstThenTheRefillRateOverEitherTransport() throws Exception {
    server = SignalingServer.builder().port(0).joinRateLimit(6, 3).nanoTime(now::get)
        .metricsFrom(List.of("127.0.0.1/32")).build().start();
    PollTestClient poll = new PollTestClient(TestHttp.from("127.0.0.5"), server.port());
    List<WsTestClient> open = new ArrayList<>();
    try {
      assertEquals(201, poll.create(join("r", "a", null)).status());
      WsTestClient b = new WsTestClient(TestHttp.from("127.0.0.5"), server.port());
      open.add(b);
      assertEquals(List.of("a"), b.join("r", "b", null).peers());
      assertEquals(201, poll.create(join("r", "c", null)).status());

      // The fourth join within the burst: refused before anything else is looked at.
      WsTestClient d = new WsTestClient(TestHttp.from("127.0.0.5"), server.port());
      open.add(d);
      d.send(join("r", "d", null));
      Envelope.Error e = d.expectError(ErrorCode.RATE_LIMITED);
      assertEquals("too many joins from address 127.0.0.5 (joins-per-minute-per-ip 6, join-burst-per-ip 3); try again in 10 s",
          e.message());
      try (Response r = TestHttp.from("127.0.0.5").newCall(new Request.Builder()
          .url("http://127.0.0.1:" + server.port() + "/v1/poll/sessions")
          .post(RequestBody.create(EnvelopeCodec.encode(join("r", "d", null)), MediaType.get("application/json"))).build()).execute()) {
        PollTestClient.Reply refused = PollTestClient.read(r);
        assertError(refused, 429, "rate-limited");
        assertEquals("10", r.header("Retry-After"));
      }
      // Another address has a bucket of its own; the members are untouched.
      WsTestClient other = new WsTestClient(TestHttp.from("127.0.0.6"), server.port());
      open.add(other);
      assertEquals(List.of("a", "b", "c"), other.join("r", "e", null).peers());

      // Ten seconds refill one join (6 a minute); the refused connection may try again on the same socket.
      now.addAndGet(TimeUnit.SECONDS.toNanos(10));
      assertEquals(List.of("a", "b", "c", "e"), d.join("r", "d", null).peers());
      now.addAndGet(TimeUnit.SECONDS.toNanos(9));
      assertEquals(429, poll.create(join("r", "g", null)).status(), "9 s refill less than one join");

      TestHttp.Got m = TestHttp.get(TestHttp.CLIENT, server.port(), "/metrics");
      assertEquals(3, MetricsTest.value(m.body(), "simplecall_refused_total{limit=\"joins-per-ip\"}"), m.body());
    } finally {
      for (WsTestClient c : open) c.close();
    }
  }

  @Test
  void refusedJoinsCountSoAnAddressCannotTryTokensFasterThanTheRate() throws Exception {
    server = SignalingServer.builder().port(0).authSecret(SECRET).joinRateLimit(60, 5).nanoTime(now::get).build().start();
    String good = new TokenIssuer(SECRET).issue("alice", "r", Duration.ofMinutes(5));
    String forged = new TokenIssuer("another-secret-of-at-least-32-bytes-long").issue("alice", "r", Duration.ofMinutes(5));
    try (WsTestClient guesser = new WsTestClient(TestHttp.from("127.0.0.7"), server.port())) {
      for (int i = 0; i < 5; i++) {
        guesser.send(join("r", "alice", forged));
        guesser.expectError(ErrorCode.UNAUTHORIZED);
      }
      // The right token now comes too late: the address has used its burst on wrong ones.
      guesser.send(join("r", "alice", good));
      assertTrue(guesser.expectError(ErrorCode.RATE_LIMITED).message().contains("joins-per-minute-per-ip 60"));
      now.addAndGet(TimeUnit.SECONDS.toNanos(1));
      assertEquals(List.of(), guesser.join("r", "alice", good).peers());
    }
  }

  @Test
  void aRateThatIsNotPositiveOrABurstBelowOneIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> SignalingServer.builder().joinRateLimit(0, 10));
    assertThrows(IllegalArgumentException.class, () -> SignalingServer.builder().joinRateLimit(Double.NaN, 10));
    assertThrows(IllegalArgumentException.class, () -> SignalingServer.builder().joinRateLimit(60, 0));
  }
}
