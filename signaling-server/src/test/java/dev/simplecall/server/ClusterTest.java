package dev.simplecall.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.protocol.CloseCodes;
import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.protocol.ErrorCode;
import dev.simplecall.protocol.Ids;
import dev.simplecall.server.PollTestClient.Reply;
import dev.simplecall.testing.TestPorts;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two or three signaling nodes in this JVM sharing one real redis-server: peers on different nodes, over
 * WebSocket and long-poll, meet, exchange messages in order, see presence, room limits and
 * replacement hold across nodes, and a node that stops without a goodbye is dropped within a bound.
 * Full tier: it starts redis-server.
 */
class ClusterTest {
  /** Heartbeat TTL 5 s, checked every 1 s: a dead node's peers are gone within about 7 s. */
  private static final long DEAD_NODE_BOUND_SECONDS = 12;
  private static final Duration DRAIN = Duration.ofMillis(300);
  private static final Duration LONG_DRAIN = Duration.ofSeconds(20);

  private static RedisProcess redis;
  private final List<SignalingServer> nodes = new ArrayList<>();
  private final List<WsTestClient> clients = new ArrayList<>();

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisProcess.start();
  }

  @AfterAll
  static void stopRedis() throws Exception {
    if (redis != null) redis.close();
  }

  @AfterEach
  void stopNodes() {
    clients.forEach(WsTestClient::close);
    nodes.forEach(SignalingServer::close);
  }

  /** A node that, when closed, waits at most {@link #DRAIN} for its peers to move (the tests' clients do not). */
  private SignalingServer node(int roomSize) {
    return node(roomSize, DRAIN);
  }

  private SignalingServer node(int roomSize, Duration drain) {
    SignalingServer s = SignalingServer.builder().port(0).roomSize(roomSize).cluster(redis.uri()).drainTimeout(drain)
        .build().start();
    nodes.add(s);
    return s;
  }

  private WsTestClient ws(SignalingServer node) {
    WsTestClient c = new WsTestClient(TestHttp.CLIENT, node.port());
    clients.add(c);
    return c;
  }

  private static String room() {
    return "r" + Ids.newId().substring(0, 8);
  }

  @Test
  void peersOnTwoNodesMeetAndExchangeMessagesInOrderBothWays() throws Exception {
    SignalingServer a = node(4);
    SignalingServer b = node(4);
    String r = room();
    WsTestClient alice = ws(a);
    WsTestClient bob = ws(b);
    assertEquals(List.of(), alice.join(r, "alice", null).peers());
    assertEquals(List.of("alice"), bob.join(r, "bob", null).peers(), "welcome lists the peer on the other node");
    assertEquals("bob", alice.expect(Envelope.PeerJoined.class).peer());

    for (int i = 0; i < 50; i++) bob.send(new Envelope.Offer("b" + i, r, "mallory", "alice", "v=0 " + i));
    for (int i = 0; i < 50; i++) alice.send(new Envelope.Answer("a" + i, r, "alice", "bob", "v=0 " + i));
    for (int i = 0; i < 50; i++) {
      Envelope.Offer o = alice.expect(Envelope.Offer.class);
      assertEquals("b" + i, o.id(), "in order, once each");
      assertEquals("bob", o.from(), "from is stamped by the node that authenticated the sender");
      assertEquals(r, o.room());
    }
    for (int i = 0; i < 50; i++) assertEquals("a" + i, bob.expect(Envelope.Answer.class).id());

    bob.send(new Envelope.Leave(Ids.newId(), r, "bob"));
    assertEquals("bob", alice.expect(Envelope.PeerLeft.class).peer());
    alice.send(new Envelope.Offer("late", r, "alice", "bob", "v=0"));
    assertEquals("late", alice.expectError(ErrorCode.NO_SUCH_PEER).ref(), "a peer that left is no longer routable");
    alice.assertNothingQueued();
    bob.assertNothingQueued();
  }

  @Test
  void longPollPeerOnOneNodeAndWebSocketPeerOnAnotherTalk() throws Exception {
    SignalingServer a = node(4);
    SignalingServer b = node(4);
    String r = room();
    WsTestClient alice = ws(a);
    alice.join(r, "alice", null);
    PollTestClient poll = new PollTestClient(TestHttp.CLIENT, b.port());
    Reply created = poll.create(new Envelope.Join(Ids.newId(), r, "bob", null));
    assertEquals(201, created.status(), created.text());
    assertEquals(List.of("alice"), ((Envelope.Welcome) created.messages().get(0)).peers());
    assertEquals("bob", alice.expect(Envelope.PeerJoined.class).peer());

    assertEquals(202, poll.post(created.session(), new Envelope.Offer("o1", r, "bob", "alice", "v=0")).status());
    assertEquals("bob", alice.expect(Envelope.Offer.class).from());
    alice.send(new Envelope.Answer("a1", r, "alice", "bob", "v=0"));
    alice.send(new Envelope.Candidate("c1", r, "alice", "bob", null));
    List<Envelope> got = new ArrayList<>();
    long cursor = created.cursor();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (got.size() < 2 && System.nanoTime() < deadline) {
      Reply p = poll.poll(created.session(), cursor, 2_000);
      got.addAll(p.messages());
      cursor = p.cursor();
    }
    assertEquals(List.of("a1", "c1"), got.stream().map(Envelope::id).toList());
    assertEquals(Set.of("alice"), Set.copyOf(got.stream().map(Envelope::from).toList()));

    assertEquals(204, poll.delete(created.session()).status());
    assertEquals("bob", alice.expect(Envelope.PeerLeft.class).peer());
  }

  @Test
  void roomSizeHoldsAcrossNodes() throws Exception {
    SignalingServer a = node(2);
    SignalingServer b = node(2);
    String r = room();
    ws(a).join(r, "alice", null);
    ws(b).join(r, "bob", null);
    WsTestClient carol = ws(a);
    carol.send(new Envelope.Join("j-carol", r, "carol", null));
    assertEquals("j-carol", carol.expectError(ErrorCode.ROOM_FULL).ref());
    assertEquals(2, a.peerCount() + b.peerCount());
  }

  @Test
  void sameIdOnAnotherNodeReplacesTheOldSessionQuietly() throws Exception {
    SignalingServer a = node(4);
    SignalingServer b = node(4);
    String r = room();
    WsTestClient oldAlice = ws(a);
    oldAlice.join(r, "alice", null);
    WsTestClient bob = ws(b);
    bob.join(r, "bob", null);
    assertEquals("bob", oldAlice.expect(Envelope.PeerJoined.class).peer());

    WsTestClient newAlice = ws(b);
    assertEquals(List.of("bob"), newAlice.join(r, "alice", null).peers());
    assertTrue(oldAlice.awaitClose().startsWith(CloseCodes.REPLACED + " "), "the old node closed the old session");
    assertEquals(0, a.peerCount());

    bob.send(new Envelope.Offer("o1", r, "bob", "alice", "v=0"));
    assertEquals("o1", newAlice.expect(Envelope.Offer.class).id(), "the new session gets alice's messages");
    newAlice.send(new Envelope.Answer("a1", r, "alice", "bob", "v=0"));
    assertEquals("a1", bob.expect(Envelope.Answer.class).id(), "the room heard no peer-left or peer-joined for alice");
  }

  @Test
  void withAuthOnlyATokenForThatIdentityReplacesAcrossNodes() throws Exception {
    String secret = "cluster-test-secret-0123456789abcdef";
    TokenIssuer issuer = new TokenIssuer(secret);
    SignalingServer a = SignalingServer.builder().port(0).authSecret(secret).cluster(redis.uri()).build().start();
    nodes.add(a);
    SignalingServer b = SignalingServer.builder().port(0).authSecret(secret).cluster(redis.uri()).build().start();
    nodes.add(b);
    String r = room();
    WsTestClient alice = ws(a);
    alice.join(r, "alice", issuer.issue("alice", r, Duration.ofMinutes(5)));
    WsTestClient mallory = ws(b);
    mallory.send(new Envelope.Join("j-m", r, "alice", issuer.issue("mallory", r, Duration.ofMinutes(5))));
    assertEquals("j-m", mallory.expectError(ErrorCode.UNAUTHORIZED).ref());
    WsTestClient bob = ws(b);
    bob.join(r, "bob", issuer.issue("bob", r, Duration.ofMinutes(5)));
    assertEquals("bob", alice.expect(Envelope.PeerJoined.class).peer(), "alice is still there, on node A");

    WsTestClient alice2 = ws(b);
    assertEquals(List.of("bob"), alice2.join(r, "alice", issuer.issue("alice", r, Duration.ofMinutes(5))).peers());
    assertTrue(alice.awaitClose().startsWith(CloseCodes.REPLACED + " "));
  }

  @Test
  void aClosingNodesPeerThatJoinsAnotherNodeMovesQuietlyAndGetsWhatWasSentMeanwhile() throws Exception {
    SignalingServer a = node(4);
    SignalingServer b = node(4, LONG_DRAIN);
    String r = room();
    WsTestClient alice = ws(a);
    alice.join(r, "alice", null);
    WsTestClient bobOnB = ws(b);
    bobOnB.join(r, "bob", null);
    assertEquals("bob", alice.expect(Envelope.PeerJoined.class).peer());

    long t0 = System.nanoTime();
    CompletableFuture<Void> closing = CompletableFuture.runAsync(b::close); // waits for its peers to move
    assertEquals("server restarting", bobOnB.expectError(ErrorCode.SERVER_BUSY).message());
    assertEquals(CloseCodes.RESTARTING + " server restarting", bobOnB.awaitClose());
    alice.send(new Envelope.Offer("meanwhile", r, "alice", "bob", "v=0"));
    alice.send(new Envelope.Candidate("meanwhile-c", r, "alice", "bob", null));

    WsTestClient bobOnA = ws(a);
    assertEquals(List.of("alice"), bobOnA.join(r, "bob", null).peers());
    assertEquals("meanwhile", bobOnA.expect(Envelope.Offer.class).id(), "what was sent while bob moved");
    assertEquals("meanwhile-c", bobOnA.expect(Envelope.Candidate.class).id());
    closing.get(LONG_DRAIN.toSeconds() + 5, TimeUnit.SECONDS);
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertTrue(ms < LONG_DRAIN.toMillis(), "the node stopped once its peer had moved, not at the timeout: " + ms + " ms");

    bobOnA.send(new Envelope.Answer("after", r, "bob", "alice", "v=0"));
    assertEquals("after", alice.expect(Envelope.Answer.class).id(), "alice heard no leave and no join before it");
    alice.assertNothingQueued();
  }

  @Test
  void aClosingNodesPeerThatDoesNotComeBackLeavesAfterTheDrain() throws Exception {
    SignalingServer a = node(4);
    SignalingServer b = node(4, Duration.ofSeconds(2));
    String r = room();
    WsTestClient alice = ws(a);
    alice.join(r, "alice", null);
    ws(b).join(r, "bob", null);
    assertEquals("bob", alice.expect(Envelope.PeerJoined.class).peer());
    long t0 = System.nanoTime();
    b.close(); // returns once the drain is over
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertTrue(ms >= 1_900, "stopped before its 2 s drain was over: " + ms + " ms");
    assertEquals("bob", alice.expect(Envelope.PeerLeft.class).peer());
  }

  @Test
  void nodeThatDiesWithoutGoodbyeIsDroppedWithinBound() throws Exception {
    SignalingServer a = node(4);
    SignalingServer b = node(4);
    SignalingServer c = node(4);
    String r = room();
    WsTestClient alice = ws(a);
    alice.join(r, "alice", null);
    WsTestClient carol = ws(c);
    carol.join(r, "carol", null);
    assertEquals("carol", alice.expect(Envelope.PeerJoined.class).peer());
    ws(b).join(r, "bob", null);
    assertEquals("bob", alice.expect(Envelope.PeerJoined.class).peer());
    assertEquals("bob", carol.expect(Envelope.PeerJoined.class).peer());

    long t0 = System.nanoTime();
    b.parts().hub().cluster().halt(); // as kill -9 would: no goodbye, the heartbeat stops
    b.close(); // its sockets go too; with the link halted it tells Redis nothing
    for (WsTestClient survivor : List.of(alice, carol)) {
      String text = survivor.received.poll(DEAD_NODE_BOUND_SECONDS, TimeUnit.SECONDS);
      assertNotNull(text, "no peer-left within " + DEAD_NODE_BOUND_SECONDS + " s");
      Envelope left = EnvelopeCodec.decode(text);
      assertTrue(left instanceof Envelope.PeerLeft pl && pl.peer().equals("bob"), text);
    }
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertTrue(ms >= 3_000, "not before the heartbeat could expire: " + ms + " ms");

    WsTestClient dave = ws(c);
    assertEquals(Set.of("alice", "carol"), Set.copyOf(dave.join(r, "dave", null).peers()), "bob is gone from the room");
  }

  @Test
  void nodeKilledWithSigkillIsDroppedWithinBound() throws Exception {
    SignalingServer a = node(4);
    String r = room();
    WsTestClient alice = ws(a);
    alice.join(r, "alice", null);
    try (ClusterNodeProcess child = ClusterNodeProcess.start(redis.uri())) {
      WsTestClient bob = new WsTestClient(TestHttp.CLIENT, child.port());
      clients.add(bob);
      assertEquals(List.of("alice"), bob.join(r, "bob", null).peers());
      assertEquals("bob", alice.expect(Envelope.PeerJoined.class).peer());
      long t0 = System.nanoTime();
      child.kill();
      String text = alice.received.poll(DEAD_NODE_BOUND_SECONDS, TimeUnit.SECONDS);
      assertNotNull(text, "no peer-left within " + DEAD_NODE_BOUND_SECONDS + " s of the kill");
      Envelope left = EnvelopeCodec.decode(text);
      assertTrue(left instanceof Envelope.PeerLeft pl && pl.peer().equals("bob"), text);
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      assertTrue(ms >= 3_000, "not before the heartbeat could expire: " + ms + " ms");
    }
  }

  /** {@code /readyz} answers 503 while the node's Redis is down and 200 once it is back; {@code /healthz} stays 200. */
  @Test
  void aNodeIsNotReadyWhileItsRedisIsDown() throws Exception {
    SignalingServer a = node(4);
    TestHttp.Got ready = get(a, "/readyz");
    assertEquals(200, ready.code());
    assertEquals("{\"status\":\"ready\"}", ready.body());
    redis.close();
    await().atMost(10, TimeUnit.SECONDS).until(() -> get(a, "/readyz").code() == 503);
    TestHttp.Got notReady = get(a, "/readyz");
    assertEquals(503, notReady.code());
    assertEquals("{\"status\":\"not-ready\",\"reason\":\"no connection to Redis\"}", notReady.body());
    assertEquals(200, get(a, "/healthz").code());
    redis = redis.restart();
    await().atMost(20, TimeUnit.SECONDS).until(() -> get(a, "/readyz").code() == 200);
  }

  private static TestHttp.Got get(SignalingServer node, String path) throws IOException {
    return TestHttp.get(TestHttp.CLIENT, node.port(), path);
  }

  @Test
  void nodesRegisterTheirPeersAgainAfterRedisRestartsEmpty() throws Exception {
    SignalingServer a = node(4);
    SignalingServer b = node(4);
    String r = room();
    WsTestClient alice = ws(a);
    alice.join(r, "alice", null);
    WsTestClient bob = ws(b);
    bob.join(r, "bob", null);
    assertEquals("bob", alice.expect(Envelope.PeerJoined.class).peer());

    redis = redis.restart();
    await().atMost(15, TimeUnit.SECONDS).until(() -> Set.copyOf(b.parts().hub().cluster().peersIn(r)).equals(Set.of("alice", "bob")));
    bob.send(new Envelope.Offer("after-restart", r, "bob", "alice", "v=0"));
    Envelope e;
    do {
      e = alice.next(); // a peer-joined again for bob may come first: the nodes announce their peers anew
    } while (e instanceof Envelope.PeerJoined pj && pj.peer().equals("bob"));
    assertEquals("after-restart", e.id(), EnvelopeCodec.encode(e));
    assertEquals("bob", e.from());
  }

  @Test
  void nodesLogInWithThePasswordInTheRedisUri() throws Exception {
    try (RedisProcess locked = RedisProcess.startWithPassword("s3cret")) {
      URI withPassword = URI.create("redis://s3cret@127.0.0.1:" + locked.uri().getPort());
      for (int i = 0; i < 2; i++) nodes.add(SignalingServer.builder().port(0).cluster(withPassword).build().start());
      String r = room();
      WsTestClient alice = ws(nodes.get(0));
      alice.join(r, "alice", null);
      assertEquals(List.of("alice"), ws(nodes.get(1)).join(r, "bob", null).peers());
      SignalingServer refused = SignalingServer.builder().port(0).cluster(locked.uri()).build();
      IllegalStateException e = assertThrows(IllegalStateException.class, refused::start, "no password, no node");
      assertTrue(e.getMessage().contains("cannot reach Redis"), e.getMessage());
      refused.close();
      stopNodes();
      nodes.clear();
      clients.clear();
    }
  }

  @Test
  void startFailsWhenRedisCannotBeReached() {
    SignalingServer s = SignalingServer.builder().port(0)
        .cluster(URI.create("redis://127.0.0.1:" + TestPorts.restartable())).build();
    IllegalStateException e = assertThrows(IllegalStateException.class, s::start);
    assertTrue(e.getMessage().contains("cannot reach Redis"), e.getMessage());
    s.close();
  }

  @Test
  void sameIdAgainOnTheSameNodeStillReplacesQuietly() throws Exception {
    SignalingServer a = node(4);
    SignalingServer b = node(4);
    String r = room();
    WsTestClient bob = ws(b);
    bob.join(r, "bob", null);
    WsTestClient oldAlice = ws(a);
    oldAlice.join(r, "alice", null);
    assertEquals("alice", bob.expect(Envelope.PeerJoined.class).peer());
    WsTestClient newAlice = ws(a);
    assertEquals(List.of("bob"), newAlice.join(r, "alice", null).peers());
    assertTrue(oldAlice.awaitClose().startsWith(CloseCodes.REPLACED + " "));
    bob.send(new Envelope.Offer("o1", r, "bob", "alice", "v=0"));
    assertEquals("o1", newAlice.expect(Envelope.Offer.class).id());
    bob.assertNothingQueued();
  }

  @Test
  void streamEntryIdsCompareByTimeThenSequence() {
    assertTrue(ClusterLink.after("1700000000001-0", "1700000000000-5"));
    assertTrue(ClusterLink.after("1700000000000-10", "1700000000000-9"));
    assertTrue(!ClusterLink.after("1700000000000-9", "1700000000000-9"));
    assertTrue(ClusterLink.after("1-0", "0-0"));
  }

  @Test
  void aPeerJoiningWhileAnotherJoinsElsewhereHearsOfItOnce() throws Exception {
    SignalingServer a = node(32);
    SignalingServer b = node(32);
    String r = room();
    WsTestClient anchor = ws(a); // makes node A part of the room, so B's joins notify A's inbox
    anchor.join(r, "anchor", null);
    List<WsTestClient> onA = new ArrayList<>();
    List<WsTestClient> onB = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      onA.add(ws(a));
      onB.add(ws(b));
    }
    for (int i = 0; i < 12; i++) { // joins on both nodes at once, without waiting for the welcomes
      onB.get(i).send(new Envelope.Join(Ids.newId(), r, "b" + i, null));
      onA.get(i).send(new Envelope.Join(Ids.newId(), r, "a" + i, null));
    }
    List<List<String>> welcomed = new ArrayList<>();
    for (WsTestClient c : onA) welcomed.add(c.expect(Envelope.Welcome.class).peers());
    // Every peer-joined a member hears names a peer that was not in its welcome, and comes once.
    WsTestClient probe = ws(b);
    probe.join(r, "probe", null);
    for (int i = 0; i < onA.size(); i++) {
      WsTestClient c = onA.get(i);
      Set<String> known = new HashSet<>(welcomed.get(i));
      Envelope e;
      while (!((e = c.next()) instanceof Envelope.PeerJoined pj && pj.peer().equals("probe"))) {
        assertTrue(e instanceof Envelope.PeerJoined, EnvelopeCodec.encode(e));
        if (((Envelope.PeerJoined) e).peer().startsWith("a")) continue; // same node: told by the hub itself
        assertTrue(known.add(((Envelope.PeerJoined) e).peer()), "already known: " + EnvelopeCodec.encode(e));
      }
      c.assertNothingQueued();
    }
  }

  /** {@code /metrics} of a node counts what it handed to Redis for other nodes, and says Redis is up. */
  @Test
  void metricsCountMessagesForOtherNodes() throws Exception {
    SignalingServer a = SignalingServer.builder().port(0).cluster(redis.uri()).drainTimeout(DRAIN)
        .metricsFrom(List.of("127.0.0.1/32")).build().start();
    nodes.add(a);
    SignalingServer b = node(4);
    String r = room();
    WsTestClient alice = ws(a);
    WsTestClient bob = ws(b);
    alice.join(r, "alice", null);
    bob.join(r, "bob", null);
    assertEquals("bob", alice.expect(Envelope.PeerJoined.class).peer());
    for (int i = 0; i < 5; i++) alice.send(new Envelope.Offer("m" + i, r, "alice", "bob", "v=0"));
    for (int i = 0; i < 5; i++) assertEquals("m" + i, bob.expect(Envelope.Offer.class).id());
    alice.send(new Envelope.Offer("lost", r, "alice", "nobody", "v=0"));
    assertEquals("lost", alice.expectError(ErrorCode.NO_SUCH_PEER).ref());
    String text = get(a, "/metrics").body();
    assertEquals(1, MetricsTest.value(text, "simplecall_cluster_redis_up"));
    assertEquals(5, MetricsTest.value(text, "simplecall_cluster_messages_total{result=\"sent\"}"));
    assertEquals(1, MetricsTest.value(text, "simplecall_cluster_messages_total{result=\"no-such-peer\"}"));
    assertEquals(0, MetricsTest.value(text, "simplecall_cluster_messages_total{result=\"not-sent\"}"));
    assertTrue(MetricsTest.value(text, "simplecall_cluster_route_microseconds_total") > 0, text);
  }

  /** Several URIs are the seeds of a Redis Cluster ({@code RedisClusterTest}); each must be a Redis one. */
  @Test
  void clusterTakesRedisUrisOnly() {
    SignalingServer.Builder builder = SignalingServer.builder();
    assertThrows(IllegalArgumentException.class, () -> builder.cluster(URI.create("http://127.0.0.1:6379")));
    assertThrows(IllegalArgumentException.class,
        () -> builder.cluster(URI.create("redis://127.0.0.1:7000"), URI.create("tcp://127.0.0.1:7001")));
    assertThrows(IllegalArgumentException.class, () -> builder.cluster(URI.create("redis:///0")));
    assertDoesNotThrow(() -> builder.cluster(URI.create("redis://127.0.0.1:7000"), URI.create("rediss://127.0.0.1:7001")));
  }
}
