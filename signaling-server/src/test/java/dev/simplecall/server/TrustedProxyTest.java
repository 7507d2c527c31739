package dev.simplecall.server;

import static dev.simplecall.server.PollTestClient.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.ErrorCode;
import dev.simplecall.protocol.Ids;
import dev.simplecall.testing.TestPorts;
import java.util.ArrayList;
import java.util.List;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real haproxy ({@code option forwardfor}) in front of a server that trusts it: the per-address
 * limits count each client by the address haproxy names, not by the proxy's own address and not by
 * what the client wrote into {@code X-Forwarded-For}; a client that reaches the server directly is
 * counted by its socket, whatever header it sends. Clients use distinct loopback source addresses; the
 * proxy connects from 127.0.0.9, the only trusted address. Full tier: it starts haproxy.
 */
class TrustedProxyTest {
  private static final String PROXY = "127.0.0.9";
  private final List<WsTestClient> clients = new ArrayList<>();
  private SignalingServer server;
  private HaproxyProcess haproxy;
  private int front;

  @BeforeEach
  void start() throws Exception {
    server = SignalingServer.builder().port(0).maxSessionsPerIp(1).maxConnectionsPerIp(2)
        .trustedProxies(List.of(PROXY + "/32")).build().start();
    front = TestPorts.restartable();
    haproxy = HaproxyProcess.start(String.join("\n",
        "defaults",
        "    mode http",
        "    timeout connect 5s",
        "    timeout client 60s",
        "    timeout server 60s",
        "    timeout tunnel 1h",
        "frontend signaling",
        "    bind 127.0.0.1:" + front,
        "    option forwardfor",
        "    default_backend node",
        "backend node",
        "    server node1 127.0.0.1:" + server.port() + " source " + PROXY,
        ""), front);
  }

  @AfterEach
  void stop() throws Exception {
    clients.forEach(WsTestClient::close);
    if (haproxy != null) haproxy.close();
    if (server != null) server.close();
  }

  @Test
  void throughTheProxyEachClientCountsByTheAddressItNamesAndAForgedHeaderChangesNothing() throws Exception {
    // 127.0.0.5 claims to be 203.0.113.1; haproxy appends 127.0.0.5, which is what counts.
    WsTestClient first = ws(front, "127.0.0.5", "203.0.113.1");
    assertEquals(List.of(), first.join("r1", "a", null).peers());
    WsTestClient second = ws(front, "127.0.0.5", "203.0.113.2");
    second.send(new Envelope.Join(Ids.newId(), "r1", "b", null));
    assertTrue(second.expectError(ErrorCode.SERVER_BUSY).message().contains("max-sessions-per-ip 1"));

    // Another client behind the same proxy is its own address: not refused for 127.0.0.5's session,
    // and its long-poll session counts as that same address.
    WsTestClient other = ws(front, "127.0.0.6", null);
    assertEquals(List.of("a"), other.join("r1", "c", null).peers());
    PollTestClient poll = new PollTestClient(TestHttp.from("127.0.0.6"), front);
    assertError(poll.create(new Envelope.Join(Ids.newId(), "r1", "d", null)), 503, "server-busy");
    PollTestClient poll7 = new PollTestClient(TestHttp.from("127.0.0.7"), front);
    assertEquals(201, poll7.create(new Envelope.Join(Ids.newId(), "r1", "e", null)).status());
  }

  @Test
  void aClientReachingTheServerDirectlyCountsByItsSocketWhateverItsHeaderSays() throws Exception {
    // Two connections from 127.0.0.8 (its connection cap): one naming another address, one naming the proxy.
    WsTestClient direct = ws(server.port(), "127.0.0.8", "127.0.0.20");
    direct.join("r1", "a", null);
    WsTestClient proxyClaim = ws(server.port(), "127.0.0.8", PROXY);
    proxyClaim.send(new Envelope.Join(Ids.newId(), "r1", "b", null));
    assertTrue(proxyClaim.expectError(ErrorCode.SERVER_BUSY).message().contains("max-sessions-per-ip 1"));
  }

  @Test
  void theProxysOwnConnectionsAreNotCappedPerAddress() throws Exception {
    // max-connections-per-ip is 2, yet four clients arrive over four proxy connections from 127.0.0.9.
    for (int i = 0; i < 4; i++) {
      WsTestClient c = ws(front, "127.0.0." + (30 + i), null);
      assertEquals(i, c.join("r2", "p" + i, null).peers().size());
    }
    assertEquals(0, server.parts().connections().refusedOverLimit());
  }

  private WsTestClient ws(int port, String source, String forwardedFor) {
    OkHttpClient http = TestHttp.from(source);
    if (forwardedFor != null) {
      http = http.newBuilder().addInterceptor(chain -> chain.proceed(
          chain.request().newBuilder().header(TrustedProxies.HEADER, forwardedFor).build())).build();
    }
    WsTestClient c = new WsTestClient(http, port);
    clients.add(c);
    return c;
  }
}
