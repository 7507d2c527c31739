package dev.simplecall.samples.bench;

import dev.simplecall.AudioSource;
import dev.simplecall.CallClient;
import dev.simplecall.CallException;
import dev.simplecall.CallSession;
import dev.simplecall.CallState;
import dev.simplecall.EndReason;
import dev.simplecall.InMemorySignaling;
import dev.simplecall.MediaOptions;
import dev.simplecall.SessionOptions;
import dev.simplecall.VideoSource;
import dev.simplecall.server.SignalingServer;
import dev.simplecall.server.mqtt.EmbeddedBroker;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Call-setup benchmark: for each transport, N calls between two fresh sessions of one client on
 * loopback; prints join time, call() to CONNECTED at the caller, and call() to the first remote
 * video frame, as median and p95.
 *
 * <pre>{@code
 * ./simplecall bench --calls 30 --transports memory,websocket,http-poll,mqtt [--mqtt mqtt://127.0.0.1:1883]
 * }</pre>
 * or from code: <pre>{@code
 * System.out.println(CallSetupBenchmark.run("websocket", 30, null));
 * }</pre>
 * Without {@code --mqtt} the MQTT row uses an embedded Moquette broker.
 */
public final class CallSetupBenchmark {
  /** One transport's figures, in milliseconds. */
  public record Row(String transport, int calls, int failed, double joinMedian, double connectMedian,
      double connectP95, double firstFrameMedian, double firstFrameP95) {
    @Override
    public String toString() {
      return String.format("%-10s calls=%d failed=%d join_median_ms=%.1f connect_median_ms=%.1f connect_p95_ms=%.1f "
          + "first_frame_median_ms=%.1f first_frame_p95_ms=%.1f", transport, calls, failed, joinMedian,
          connectMedian, connectP95, firstFrameMedian, firstFrameP95);
    }
  }

  private CallSetupBenchmark() {}

  /** Runs {@code calls} calls over {@code transport} and returns the figures. */
  public static Row run(String transport, int calls, URI mqttBroker) throws Exception {
    InMemorySignaling hub = new InMemorySignaling();
    SignalingServer server = null;
    EmbeddedBroker embedded = null;
    URI uri;
    switch (transport) {
      case "memory" -> uri = URI.create("memory://bench");
      case "websocket", "http-poll" -> {
        server = SignalingServer.builder().bind("127.0.0.1").port(0).build().start();
        uri = URI.create(transport.equals("websocket")
            ? "ws://127.0.0.1:" + server.port() + "/v1/ws" : "http://127.0.0.1:" + server.port());
      }
      case "mqtt" -> {
        if (mqttBroker == null) embedded = EmbeddedBroker.start("127.0.0.1", 0);
        uri = mqttBroker != null ? mqttBroker : embedded.uri();
      }
      default -> throw new IllegalArgumentException("unknown transport " + transport);
    }
    CallClient client = CallClient.builder().addTransportFactory(hub.transportFactory())
        .media(MediaOptions.builder().video(VideoSource.testPattern(640, 480, 30)).audio(AudioSource.tone(440)).build())
        .build();
    // nanoseconds, 4 significant digits: within 0.01 %, finer than the 0.1 ms printed
    Histogram join = new Histogram(4);
    Histogram connect = new Histogram(4);
    Histogram firstFrame = new Histogram(4);
    int failed = 0;
    try {
      for (int i = 0; i < calls + 2; i++) { // two warm-up calls are not counted
        long[] r = oneCall(client, uri, "bench" + i);
        if (i < 2) continue;
        if (r == null) {
          failed++;
        } else {
          join.recordValue(r[0]);
          connect.recordValue(r[1]);
          firstFrame.recordValue(r[2]);
        }
      }
    } finally {
      client.close();
      if (server != null) server.close();
      if (embedded != null) embedded.close();
    }
    return new Row(transport, calls, failed, pct(join, 50), pct(connect, 50), pct(connect, 95),
        pct(firstFrame, 50), pct(firstFrame, 95));
  }

  /** Returns {join, connect, first frame} in nanoseconds, or null when the call did not connect in time. */
  private static long[] oneCall(CallClient client, URI uri, String room) throws InterruptedException {
    Probe a = new Probe();
    Probe b = new Probe();
    CallSession alice = client.newSession(SessionOptions.builder().signaling(uri).room(room).peerId("alice").build(), a);
    CallSession bob = client.newSession(SessionOptions.builder().signaling(uri).room(room).peerId("bob").build(), b);
    try {
      long t0 = System.nanoTime();
      bob.start();
      alice.start();
      if (!a.joined.await(10, TimeUnit.SECONDS) || !b.joined.await(10, TimeUnit.SECONDS)) return null;
      long t1 = System.nanoTime();
      alice.call("bob");
      if (!a.connected.await(20, TimeUnit.SECONDS)) return null;
      long t2 = System.nanoTime();
      if (!a.firstFrame.await(20, TimeUnit.SECONDS)) return null;
      long t3 = System.nanoTime();
      return new long[] {t1 - t0, t2 - t1, t3 - t1};
    } finally {
      alice.close();
      bob.close();
      a.ended.await(10, TimeUnit.SECONDS);
      b.ended.await(10, TimeUnit.SECONDS);
    }
  }

  /** The {@code p}th percentile in milliseconds, NaN when no call connected. */
  private static double pct(Histogram nanos, int p) {
    return nanos.getTotalCount() == 0 ? Double.NaN : nanos.getValueAtPercentile(p) / 1e6;
  }

  private static final class Probe extends CallSession.Listener {
    final CountDownLatch joined = new CountDownLatch(1);
    final CountDownLatch connected = new CountDownLatch(1);
    final CountDownLatch firstFrame = new CountDownLatch(1);
    final CountDownLatch ended = new CountDownLatch(1);

    @Override
    public void onJoined(CallSession s, Set<String> peers) {
      joined.countDown();
    }

    @Override
    public void onStateChanged(CallSession s, CallState state) {
      if (state == CallState.CONNECTED) connected.countDown();
    }

    @Override
    public void onFirstRemoteFrame(CallSession s) {
      firstFrame.countDown();
    }

    @Override
    public void onEnded(CallSession s, EndReason reason, CallException error) {
      ended.countDown();
    }
  }
}
