package dev.simplecall.samples.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.AudioSource;
import dev.simplecall.CallClient;
import dev.simplecall.CallSession;
import dev.simplecall.CallState;
import dev.simplecall.EndReason;
import dev.simplecall.MediaOptions;
import dev.simplecall.SessionOptions;
import dev.simplecall.VideoSource;
import dev.simplecall.server.RedisClusterProcess;
import dev.simplecall.server.SignalingServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A Redis failover under a call: two signaling nodes on a real Redis Cluster (three masters, three
 * replicas), alice on one and bob on the other (real sessions, test pattern and tone) in a call; the
 * master holding the nodes' keys is killed with SIGKILL. Media is peer to peer and keeps flowing, the call
 * never ends, neither side hears the other leave, and once a replica has taken over, a hang-up travels
 * from one node to the other. Full tier: it starts six redis-servers.
 */
class RedisFailoverCallTest {
  private RedisClusterProcess redis;
  private final SignalingServer[] nodes = new SignalingServer[2];
  private CallClient client;
  private final OkHttpClient http = new OkHttpClient();

  @AfterEach
  void stop() throws Exception {
    if (client != null) client.close();
    for (SignalingServer n : nodes) if (n != null) n.close();
    if (redis != null) redis.close();
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  @Test
  void aCallAcrossTwoNodesGoesOnWhileTheRedisMasterFailsOver() throws Exception {
    redis = RedisClusterProcess.start();
    List<Integer> ports = redis.ports();
    nodes[0] = SignalingServer.builder().port(0).cluster(redis.uris(ports.get(0), ports.get(1)).toArray(URI[]::new)).build().start();
    nodes[1] = SignalingServer.builder().port(0).cluster(redis.uris(ports.get(4)).toArray(URI[]::new)).build().start();
    client = CallClient.builder()
        .media(MediaOptions.builder().video(VideoSource.testPattern(160, 120, 15)).audio(AudioSource.tone(440)).build())
        .build();
    CallProbe al = new CallProbe("alice");
    CallProbe bl = new CallProbe("bob");
    CallSession alice = session(nodes[0], "alice", al);
    CallSession bob = session(nodes[1], "bob", bl);
    CallProbe.connect(alice, al, bob, bl);
    long frames = bl.awaitCounterAbove(5, 15);

    int master = redis.masterOf("{simplecall}", ports.get(0));
    int survivor = ports.stream().filter(p -> p != master).findFirst().orElseThrow();
    redis.kill(master);
    frames = bl.awaitCounterAbove(frames + 30, 15); // 2 s of video during the failover: media never depended on Redis
    redis.awaitState(survivor, "ok");
    long resumedMs = awaitSignalingBetweenNodes();

    assertEquals(CallState.CONNECTED, alice.state());
    assertEquals(CallState.CONNECTED, bob.state());
    assertTrue(al.ended.isEmpty() && bl.ended.isEmpty(), "the call ended during the failover");
    for (CallProbe p : List.of(al, bl)) {
      assertTrue(p.progress.stream().noneMatch(s -> s.contains("left signaling")), p + " heard the other leave: " + p.progress);
    }
    al.awaitCounterAbove(al.maxCounter.get() + 15, 15);
    alice.hangUp(); // travels from node 1 to node 2 through the new master
    al.assertEndedOnce(EndReason.HANGUP);
    bl.assertEndedOnce(EndReason.REMOTE_HANGUP);
    System.out.printf("redis failover under a call: signaling between the nodes back %d ms after the cluster was ok again;"
        + " bob received frame %d and more during it%n", resumedMs, frames);
  }

  private CallSession session(SignalingServer node, String id, CallProbe probe) {
    URI signaling = URI.create("ws://127.0.0.1:" + node.port() + "/v1/ws");
    CallSession s = client.newSession(SessionOptions.builder().signaling(signaling).room("failover").peerId(id).build(), probe);
    s.addRemoteVideoSink(probe);
    return s;
  }

  /**
   * Two raw peers, one on each node, in a room of their own: each joins (again, while its node refuses the
   * join server-busy because it has not caught up with the new master), then the first sends until a
   * message reaches the second. Returns the time that took.
   */
  private long awaitSignalingBetweenNodes() throws Exception {
    long t0 = System.nanoTime();
    BlockingQueue<String> toSecond = new LinkedBlockingQueue<>();
    WebSocket first = joined(nodes[0], "p1", new LinkedBlockingQueue<>());
    WebSocket second = joined(nodes[1], "p2", toSecond);
    try {
      await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).alias("a message from node 1 reaches node 2")
          .until(() -> {
            first.send("{\"v\":1,\"type\":\"offer\",\"id\":\"" + System.nanoTime() + "\",\"to\":\"p2\",\"sdp\":\"v=0\"}");
            String got;
            while ((got = toSecond.poll(150, TimeUnit.MILLISECONDS)) != null) {
              if (got.contains("\"offer\"")) return true;
            }
            return false;
          });
      return (System.nanoTime() - t0) / 1_000_000;
    } finally {
      first.close(1000, null);
      second.close(1000, null);
    }
  }

  /** A raw WebSocket peer welcomed into room {@code probe} on {@code node}, joining again for up to 15 s. */
  private WebSocket joined(SignalingServer node, String peer, BlockingQueue<String> received) {
    WebSocket[] ws = new WebSocket[1];
    await().atMost(Duration.ofSeconds(15)).alias(peer + " welcomed on its node").until(() -> {
      received.clear();
      ws[0] = http.newWebSocket(new Request.Builder().url("ws://127.0.0.1:" + node.port() + "/v1/ws").build(),
          new WebSocketListener() {
            @Override
            public void onMessage(WebSocket w, String text) {
              received.add(text);
            }
          });
      ws[0].send("{\"v\":1,\"type\":\"join\",\"id\":\"j-" + peer + "\",\"room\":\"probe\",\"from\":\"" + peer + "\"}");
      String answer = received.poll(5, TimeUnit.SECONDS);
      if (answer != null && answer.contains("\"welcome\"")) return true;
      ws[0].cancel();
      return false;
    });
    return ws[0];
  }
}
