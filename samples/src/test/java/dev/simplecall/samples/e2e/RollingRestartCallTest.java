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
import dev.simplecall.server.HaproxyProcess;
import dev.simplecall.server.RedisProcess;
import dev.simplecall.server.SignalingServer;
import dev.simplecall.testing.TestPorts;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A rolling restart under a call: two cluster nodes on a real redis-server behind a real haproxy running
 * the shipped config, alice and bob (real sessions, test pattern and tone) in a call through it; each
 * node in turn is stopped (its peers get close code 1012 and reconnect at once through haproxy to the
 * other node) and started again. The call never ends, its media keeps flowing, neither side hears the
 * other leave the room, each node stops as soon as its peers have moved (not at its drain timeout),
 * and at the end a hang-up still travels by signaling. Full tier.
 */
class RollingRestartCallTest {
  private static final Duration DRAIN = Duration.ofSeconds(15);

  private RedisProcess redis;
  private HaproxyProcess haproxy;
  private final SignalingServer[] nodes = new SignalingServer[2];
  private final int[] ports = {TestPorts.restartable(), TestPorts.restartable()};
  private CallClient client;
  private final OkHttpClient http = new OkHttpClient();

  @AfterEach
  void stop() throws Exception {
    if (client != null) client.close();
    for (SignalingServer n : nodes) if (n != null) n.close();
    if (haproxy != null) haproxy.close();
    if (redis != null) redis.close();
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  private SignalingServer node(int i) {
    return SignalingServer.builder().port(ports[i]).cluster(redis.uri()).drainTimeout(DRAIN).build().start();
  }

  @Test
  void aCallGoesOnWhileEveryNodeIsRestartedInTurn() throws Exception {
    redis = RedisProcess.start();
    nodes[0] = node(0);
    nodes[1] = node(1);
    int front = TestPorts.restartable();
    haproxy = HaproxyProcess.startShipped(front, ports[0], ports[1]);
    client = CallClient.builder()
        .media(MediaOptions.builder().video(VideoSource.testPattern(160, 120, 15)).audio(AudioSource.tone(440)).build())
        .build();
    URI signaling = URI.create("ws://127.0.0.1:" + front + "/v1/ws");
    CallProbe al = new CallProbe("alice");
    CallProbe bl = new CallProbe("bob");
    CallSession alice = session(signaling, "alice", al);
    CallSession bob = session(signaling, "bob", bl);
    CallProbe.connect(alice, al, bob, bl);
    long frames = bl.awaitCounterAbove(5, 15);

    List<String> stops = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      int peersThere = nodes[i].peerCount();
      long t0 = System.nanoTime();
      nodes[i].close(); // returns once its peers joined the other node, or at the drain timeout
      long ms = (System.nanoTime() - t0) / 1_000_000;
      stops.add("node " + (i + 1) + " (" + peersThere + " peer(s)) stopped in " + ms + " ms");
      assertTrue(ms < DRAIN.toMillis(), "node " + (i + 1) + " waited for its drain timeout: its peers did not move");
      assertEquals(2, nodes[1 - i].peerCount(), "both peers on the other node");
      frames = bl.awaitCounterAbove(frames + 15, 15); // media is peer to peer: it never stopped
      nodes[i] = node(i);
      awaitServedThroughHaproxy(front, nodes[i]);
    }

    assertEquals(CallState.CONNECTED, alice.state());
    assertEquals(CallState.CONNECTED, bob.state());
    assertTrue(al.ended.isEmpty() && bl.ended.isEmpty(), "the call ended during the restarts");
    for (CallProbe p : List.of(al, bl)) {
      assertTrue(p.progress.stream().noneMatch(s -> s.contains("left signaling")), p + " heard the other leave: " + p.progress);
    }
    al.awaitCounterAbove(al.maxCounter.get() + 15, 15);
    alice.hangUp(); // travels by signaling through the restarted cluster
    al.assertEndedOnce(EndReason.HANGUP);
    bl.assertEndedOnce(EndReason.REMOTE_HANGUP);
    System.out.println("rolling restart: " + String.join("; ", stops));
  }

  private CallSession session(URI signaling, String id, CallProbe probe) {
    CallSession s = client.newSession(SessionOptions.builder().signaling(signaling).room("rolling").peerId(id).build(), probe);
    s.addRemoteVideoSink(probe);
    return s;
  }

  /** Joins a probe peer through haproxy until one lands on {@code node}: haproxy sends it peers again. */
  private void awaitServedThroughHaproxy(int front, SignalingServer node) {
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).alias("haproxy serves the restarted node")
        .until(() -> probeLandsOn(front, node));
  }

  private boolean probeLandsOn(int front, SignalingServer node) throws Exception {
    CompletableFuture<Boolean> landed = new CompletableFuture<>();
    WebSocket ws = http.newWebSocket(new Request.Builder().url("ws://127.0.0.1:" + front + "/v1/ws").build(),
        new WebSocketListener() {
          @Override
          public void onOpen(WebSocket w, Response r) {
            w.send("{\"v\":1,\"type\":\"join\",\"id\":\"p1\",\"room\":\"probe\",\"from\":\"probe\"}");
          }

          @Override
          public void onMessage(WebSocket w, String text) {
            landed.complete(text.contains("\"welcome\"") && node.peerCount() > 0);
          }

          @Override
          public void onFailure(WebSocket w, Throwable t, Response r) {
            landed.complete(false);
          }
        });
    try {
      return landed.get(5, TimeUnit.SECONDS);
    } finally {
      ws.close(1000, null);
      await().atMost(Duration.ofSeconds(5)).until(() -> node.peerCount() == 0 || !landed.getNow(false));
    }
  }
}
