package dev.simplecall.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.Ids;
import dev.simplecall.server.PollTestClient.Reply;
import dev.simplecall.testing.TestPorts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * config/haproxy/simplecall.cfg, run by a real haproxy in front of two cluster nodes: WebSocket peers
 * land on both nodes and talk; a long-poll session's requests all reach the node that created it. Full
 * tier: it starts redis-server and haproxy.
 */
class HaproxyClusterTest {

  private RedisProcess redis;
  private final List<SignalingServer> nodes = new ArrayList<>();
  private final List<WsTestClient> clients = new ArrayList<>();
  private HaproxyProcess haproxy;

  @AfterEach
  void stop() throws Exception {
    clients.forEach(WsTestClient::close);
    if (haproxy != null) haproxy.close();
    nodes.forEach(SignalingServer::close);
    if (redis != null) redis.close();
  }

  @Test
  void peersThroughHaproxyLandOnBothNodesAndPollSessionsStick() throws Exception {
    redis = RedisProcess.start();
    int front = TestPorts.restartable();
    int port1 = TestPorts.restartable();
    int port2 = TestPorts.restartable();
    for (int port : new int[] {port1, port2}) {
      nodes.add(SignalingServer.builder().port(port).cluster(redis.uri()).drainTimeout(Duration.ofMillis(300)).build().start());
    }
    haproxy = HaproxyProcess.startShipped(front, port1, port2);

    WsTestClient alice = ws(front);
    alice.join("r1", "alice", null);
    WsTestClient bob = ws(front);
    assertEquals(List.of("alice"), bob.join("r1", "bob", null).peers());
    assertEquals("bob", alice.expect(Envelope.PeerJoined.class).peer());
    assertEquals(1, nodes.get(0).peerCount(), "round-robin put one peer on each node");
    assertEquals(1, nodes.get(1).peerCount());
    bob.send(new Envelope.Offer("o1", "r1", "bob", "alice", "v=0"));
    assertEquals("bob", alice.expect(Envelope.Offer.class).from());

    PollTestClient poll = new PollTestClient(TestHttp.CLIENT, front);
    Reply created = poll.create(new Envelope.Join(Ids.newId(), "r1", "carol", null));
    assertEquals(201, created.status(), created.text());
    assertEquals("carol", alice.expect(Envelope.PeerJoined.class).peer());
    assertEquals("carol", bob.expect(Envelope.PeerJoined.class).peer());
    long cursor = created.cursor();
    for (int i = 0; i < 6; i++) { // round-robin alone would send every other request to the wrong node
      Reply sent = poll.post(created.session(), new Envelope.Offer("c" + i, "r1", "carol", i % 2 == 0 ? "alice" : "bob", "v=0"));
      assertEquals(202, sent.status(), sent.text());
      Reply polled = poll.poll(created.session(), cursor, 0);
      assertEquals(200, polled.status(), polled.text());
      cursor = polled.cursor();
    }
    for (int i = 0; i < 6; i += 2) assertEquals("c" + i, alice.expect(Envelope.Offer.class).id());
    for (int i = 1; i < 6; i += 2) assertEquals("c" + i, bob.expect(Envelope.Offer.class).id());
    assertEquals(204, poll.delete(created.session()).status());
    assertEquals("carol", alice.expect(Envelope.PeerLeft.class).peer());
  }

  private WsTestClient ws(int port) {
    WsTestClient c = new WsTestClient(TestHttp.CLIENT, port);
    clients.add(c);
    return c;
  }
}
