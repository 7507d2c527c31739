package dev.simplecall.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.protocol.ErrorCode;
import dev.simplecall.protocol.Ids;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Signaling nodes on a real Redis Cluster (three masters, three replicas, {@link RedisClusterProcess}):
 * they find the cluster from a seed list or from one node's URI, route and share presence through it,
 * and go on after the master that holds their keys is killed and its replica takes over. Full tier:
 * it starts six redis-servers.
 */
class RedisClusterTest {
  /** A killed master's replica takes over within about 3 s (node timeout 1 s); signaling must be back well within this. */
  private static final long RESUME_BOUND_SECONDS = 15;

  private RedisClusterProcess redis;
  private final List<SignalingServer> nodes = new ArrayList<>();
  private final List<WsTestClient> clients = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    clients.forEach(WsTestClient::close);
    nodes.forEach(SignalingServer::close);
    if (redis != null) redis.close();
  }

  private SignalingServer node(List<URI> seeds) {
    SignalingServer s = SignalingServer.builder().port(0).roomSize(8).cluster(seeds.toArray(URI[]::new))
        .drainTimeout(Duration.ofMillis(300)).build().start();
    nodes.add(s);
    return s;
  }

  private WsTestClient ws(SignalingServer node) {
    WsTestClient c = new WsTestClient(TestHttp.CLIENT, node.port());
    clients.add(c);
    return c;
  }

  @Test
  void nodesOnARedisClusterShareRoomsAndSurviveAFailoverOfTheirMaster() throws Exception {
    redis = RedisClusterProcess.start();
    List<Integer> ports = redis.ports();
    SignalingServer a = node(redis.uris(ports.get(0), ports.get(1))); // a seed list
    SignalingServer b = node(redis.uris(ports.get(5))); // one node's URI: found to be a cluster
    String r = "r" + Ids.newId().substring(0, 8);
    WsTestClient alice = ws(a);
    WsTestClient bob = ws(b);
    assertEquals(List.of(), alice.join(r, "alice", null).peers());
    assertEquals(List.of("alice"), bob.join(r, "bob", null).peers(), "welcome lists the peer on the other node");
    assertEquals("bob", alice.expect(Envelope.PeerJoined.class).peer());
    for (int i = 0; i < 20; i++) alice.send(new Envelope.Offer("a" + i, r, "alice", "bob", "v=0 " + i));
    for (int i = 0; i < 20; i++) {
      Envelope.Offer o = bob.expect(Envelope.Offer.class);
      assertEquals("a" + i, o.id(), "in order, once each");
      assertEquals("alice", o.from());
    }
    bob.send(new Envelope.Answer("b0", r, "bob", "alice", "v=0"));
    assertEquals("b0", alice.expect(Envelope.Answer.class).id());

    int master = redis.masterOf(ClusterLink.PREFIX + "nodes", ports.get(0));
    int ask = ports.stream().filter(p -> p != master).findFirst().orElseThrow();
    long killed = System.nanoTime();
    redis.kill(master);

    // alice sends until one reaches bob; those refused meanwhile come back to her as errors
    long resumedNanos = -1;
    List<String> refused = new ArrayList<>();
    for (int i = 0; resumedNanos < 0; i++) {
      assertTrue(System.nanoTime() - killed < TimeUnit.SECONDS.toNanos(RESUME_BOUND_SECONDS),
          "signaling did not resume within " + RESUME_BOUND_SECONDS + " s of the kill; refused meanwhile: " + refused);
      alice.send(new Envelope.Offer("f" + i, r, "alice", "bob", "v=0 after"));
      String got = bob.received.poll(300, TimeUnit.MILLISECONDS);
      if (got != null) {
        Envelope e = EnvelopeCodec.decode(got);
        assertTrue(e instanceof Envelope.Offer o && o.from().equals("alice"), "bob got " + got);
        resumedNanos = System.nanoTime() - killed;
      }
      for (String s; (s = alice.received.poll()) != null; ) {
        Envelope e = EnvelopeCodec.decode(s);
        // server-busy, never no-such-peer: an SDK ends its call with a peer it is told is gone
        assertTrue(e instanceof Envelope.Error err && err.errorCode() == ErrorCode.SERVER_BUSY, "alice got " + s);
        refused.add(((Envelope.Error) e).ref());
      }
    }
    redis.awaitState(ask, "ok");
    // the rest of alice's tries (bob: offers; alice: refusals) until both are quiet; nobody left the room
    int late = drain(bob, Envelope.Offer.class);
    int lateRefusals = drain(alice, Envelope.Error.class);
    System.out.printf("redis cluster: master of the slot killed; signaling between nodes resumed after %d ms;"
        + " refused meanwhile (server-busy): %s, and %d more; %d later offer(s) arrived%n", TimeUnit.NANOSECONDS.toMillis(resumedNanos),
        refused, lateRefusals, late);

    WsTestClient carol = ws(b);
    assertEquals(List.of("alice", "bob"), carol.join(r, "carol", null).peers().stream().sorted().toList(),
        "a join after the failover sees the room as it was");
    assertEquals("carol", alice.expect(Envelope.PeerJoined.class).peer(), "alice heard no peer-left, only carol");
    assertEquals("carol", bob.expect(Envelope.PeerJoined.class).peer(), "bob heard no peer-left, only carol");
    carol.send(new Envelope.Offer("c0", r, "carol", "alice", "v=0"));
    assertEquals("c0", alice.expect(Envelope.Offer.class).id());
    alice.send(new Envelope.Offer("a-end", r, "alice", "bob", "v=0"));
    assertEquals("a-end", bob.expect(Envelope.Offer.class).id());
    assertEquals(200, TestHttp.get(TestHttp.CLIENT, a.port(), "/readyz").code());
    assertEquals(200, TestHttp.get(TestHttp.CLIENT, b.port(), "/readyz").code());
  }

  /** Takes envelopes of {@code type} until none came for a second; anything else fails. Returns how many. */
  private static int drain(WsTestClient peer, Class<? extends Envelope> type) throws Exception {
    int n = 0;
    for (String s; (s = peer.received.poll(1, TimeUnit.SECONDS)) != null; n++) {
      Envelope e = EnvelopeCodec.decode(s);
      assertTrue(type.isInstance(e) && !(e instanceof Envelope.Error err && err.errorCode() != ErrorCode.SERVER_BUSY),
          "expected only " + type.getSimpleName() + " (errors: server-busy), got " + s);
    }
    return n;
  }
}
