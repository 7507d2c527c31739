package dev.simplecall.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.ErrorCode;
import dev.simplecall.protocol.Ids;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /metrics}: Prometheus text from the addresses named with {@code metricsFrom}, 404 for
 * every other client and for everyone when none is named; the values follow what the server does.
 */
@Tag("fast")
class MetricsTest {
  private SignalingServer server;

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  @Test
  void countsWhatTheServerDoesForTheNamedAddressesOnly() throws Exception {
    server = SignalingServer.builder().port(0).maxSessionsPerIp(2).metricsFrom(List.of("127.0.0.1/32")).build().start();
    try (WsTestClient alice = new WsTestClient(TestHttp.CLIENT, server.port());
        WsTestClient bob = new WsTestClient(TestHttp.CLIENT, server.port());
        WsTestClient carol = new WsTestClient(TestHttp.CLIENT, server.port())) {
      alice.join("r1", "alice", null);
      bob.join("r1", "bob", null);
      carol.send(new Envelope.Join(Ids.newId(), "r1", "carol", null));
      carol.expectError(ErrorCode.SERVER_BUSY);
      for (int i = 0; i < 3; i++) alice.send(new Envelope.Offer("o" + i, "r1", "alice", "bob", "v=0"));
      for (int i = 0; i < 3; i++) bob.expect(Envelope.Offer.class);

      TestHttp.Got r = TestHttp.get(TestHttp.CLIENT, server.port(), "/metrics");
      String text = r.body();
      assertEquals(200, r.code(), text);
      assertTrue(r.contentType().startsWith("text/plain; version=0.0.4"), r.contentType());
      assertEquals(1, value(text, "simplecall_rooms"), text);
      assertEquals(2, value(text, "simplecall_peers"), text);
      assertEquals(3, value(text, "simplecall_messages_routed_total"), text);
      assertEquals(1, value(text, "simplecall_refused_total{limit=\"max-sessions-per-ip\"}"), text);
      assertEquals(0, value(text, "simplecall_refused_total{limit=\"join-timeout\"}"), text);
      assertTrue(value(text, "simplecall_connections") >= 3, text);
      assertTrue(text.contains("# TYPE simplecall_refused_total counter\n"), text);
      assertTrue(text.contains("# TYPE simplecall_peers gauge\n"), text);

      TestHttp.Got other = TestHttp.get(TestHttp.from("127.0.0.2"), server.port(), "/metrics");
      assertEquals(404, other.code());
      assertTrue(!other.body().contains("simplecall_"), "a 404 that leaks metrics");
    }
  }

  @Test
  void withoutNamedAddressesNoOneReadsMetrics() throws Exception {
    server = SignalingServer.builder().port(0).build().start();
    assertEquals(404, TestHttp.get(TestHttp.CLIENT, server.port(), "/metrics").code());
  }

  @Test
  void aBadRangeIsRefusedByName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SignalingServer.builder().metricsFrom(List.of("localhost")));
    assertEquals("metrics reader \"localhost\" is not an IP address or CIDR range", e.getMessage());
  }

  /** The value of {@code sample} (a family with its labels) in a Prometheus text page; fails when it is missing. */
  static long value(String text, String sample) {
    Matcher m = Pattern.compile("^" + Pattern.quote(sample) + " (\\d+)$", Pattern.MULTILINE).matcher(text);
    assertTrue(m.find(), "no sample " + sample + " in:\n" + text);
    return Long.parseLong(m.group(1));
  }
}
