package dev.simplecall.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.Ids;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three signaling nodes in this JVM on one real redis-server, and 200 peers in 100 rooms of two, each
 * room split over two nodes, all joining at the same instant: every room forms with each peer hearing
 * of the other exactly once, and every message crosses between the nodes in order, once. Every room
 * uses the same peer ids and the same message ids ({@code o0}, {@code n0}, ...): the ids are each
 * sender's own, and messages of different senders that share one are all delivered. Full tier.
 */
class ClusterScaleTest {
  private static final int ROOMS = 100;
  private static final int MESSAGES = 20;

  private RedisProcess redis;
  private final List<SignalingServer> nodes = new ArrayList<>();
  private final List<WsTestClient> clients = new ArrayList<>();
  private final ExecutorService joiners = Executors.newFixedThreadPool(50);

  @AfterEach
  void stop() throws Exception {
    joiners.shutdownNow();
    clients.forEach(WsTestClient::close);
    nodes.forEach(SignalingServer::close);
    if (redis != null) redis.close();
  }

  /** One room: its two peers, on nodes {@code k % 3} and {@code (k + 1) % 3}. */
  private record Pair(String room, WsTestClient a, WsTestClient b) {}

  @Test
  void twoHundredPeersInAHundredRoomsOverThreeNodesJoinAtOnceAndLoseNothing() throws Exception {
    redis = RedisProcess.start();
    for (int i = 0; i < 3; i++) {
      nodes.add(SignalingServer.builder().port(0).roomSize(2).maxRoomsPerIp(1_000).maxSessionsPerIp(1_000)
          .maxConnectionsPerIp(1_000).rateLimit(10_000, 10_000).joinRateLimit(1_000_000, 1_000_000).cluster(redis.uri()).drainTimeout(Duration.ofMillis(300)).build().start());
    }
    List<Pair> pairs = new ArrayList<>();
    for (int k = 0; k < ROOMS; k++) {
      WsTestClient a = new WsTestClient(TestHttp.CLIENT, nodes.get(k % 3).port());
      WsTestClient b = new WsTestClient(TestHttp.CLIENT, nodes.get((k + 1) % 3).port());
      clients.add(a);
      clients.add(b);
      pairs.add(new Pair("scale-" + k + "-" + Ids.newId().substring(0, 6), a, b));
    }
    for (WsTestClient c : clients) c.opened.get(20, TimeUnit.SECONDS);

    // every join at once
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Envelope.Welcome>> welcomes = new ArrayList<>();
    for (Pair p : pairs) {
      welcomes.add(joiners.submit(joinAfter(go, p.a(), p.room(), "a")));
      welcomes.add(joiners.submit(joinAfter(go, p.b(), p.room(), "b")));
    }
    long t0 = System.nanoTime();
    go.countDown();
    for (int k = 0; k < ROOMS; k++) {
      Pair p = pairs.get(k);
      List<String> aSaw = welcomes.get(2 * k).get(30, TimeUnit.SECONDS).peers();
      List<String> bSaw = welcomes.get(2 * k + 1).get(30, TimeUnit.SECONDS).peers();
      // exactly one of them joined second and found the other in its welcome; the first hears peer-joined
      boolean aFirst = aSaw.isEmpty() && bSaw.equals(List.of("a"));
      boolean bFirst = bSaw.isEmpty() && aSaw.equals(List.of("b"));
      assertTrue(aFirst ^ bFirst, p.room() + ": welcomes " + aSaw + " / " + bSaw);
      WsTestClient first = aFirst ? p.a() : p.b();
      assertEquals(aFirst ? "b" : "a", first.expect(Envelope.PeerJoined.class).peer(), p.room());
    }
    long joinMs = (System.nanoTime() - t0) / 1_000_000;

    for (Pair p : pairs) {
      for (int i = 0; i < MESSAGES; i++) {
        p.a().send(new Envelope.Offer("o" + i, p.room(), "a", "b", "v=0 " + i));
        p.b().send(new Envelope.Answer("n" + i, p.room(), "b", "a", "v=0 " + i));
      }
    }
    for (Pair p : pairs) {
      for (int i = 0; i < MESSAGES; i++) {
        Envelope.Offer o = p.b().expect(Envelope.Offer.class);
        assertEquals("o" + i, o.id(), p.room() + ": in order, once each");
        assertEquals("a", o.from(), p.room());
        assertEquals("n" + i, p.a().expect(Envelope.Answer.class).id(), p.room());
      }
    }
    // a last round trip per room: nothing else (a duplicate, a stray presence) came before it
    for (Pair p : pairs) p.a().send(new Envelope.Offer("last", p.room(), "a", "b", "v=0"));
    for (Pair p : pairs) {
      assertEquals("last", p.b().expect(Envelope.Offer.class).id(), p.room() + ": a message before the last one");
      p.a().assertNothingQueued();
      p.b().assertNothingQueued();
    }
    int peers = nodes.stream().mapToInt(SignalingServer::peerCount).sum();
    assertEquals(2 * ROOMS, peers, "peers over the three nodes");
    System.out.printf("cluster scale: %d peers in %d rooms over 3 nodes joined in %d ms; %d messages relayed across nodes%n",
        2 * ROOMS, ROOMS, joinMs, ROOMS * (2 * MESSAGES + 1));
  }

  private static Callable<Envelope.Welcome> joinAfter(CountDownLatch go, WsTestClient c, String room, String peer) {
    return () -> {
      go.await();
      return c.join(room, peer, null);
    };
  }
}
