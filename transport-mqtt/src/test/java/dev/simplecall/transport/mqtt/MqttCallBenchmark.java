package dev.simplecall.transport.mqtt;

import dev.simplecall.AudioSource;
import dev.simplecall.CallClient;
import dev.simplecall.CallSession;
import dev.simplecall.CallState;
import dev.simplecall.MediaOptions;
import dev.simplecall.SessionOptions;
import dev.simplecall.VideoSource;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Call-setup time over MQTT for BENCHMARKS.md: two webrtc-java peers in one JVM, signaling through a
 * real mosquitto on loopback (persistence off). For each call: join both (create -> welcome), then
 * {@code call()} until both sides are CONNECTED.
 *
 * <pre>{@code
 * java -cp "<test classpath>" dev.simplecall.transport.mqtt.MqttCallBenchmark [calls]
 * }</pre>
 */
public final class MqttCallBenchmark {
  private MqttCallBenchmark() {}

  public static void main(String[] args) throws Exception {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    MediaOptions media = MediaOptions.builder().video(VideoSource.testPattern(320, 240, 30)).audio(AudioSource.tone(440)).build();
    double[] join = new double[calls];
    double[] setup = new double[calls];
    try (MosquittoBroker broker = MosquittoBroker.builder().persistence(false).build().start();
        CallClient client = CallClient.builder().addTransportFactory(new MqttTransportFactory()).media(media).build()) {
      for (int i = 0; i < calls; i++) {
        CountDownLatch joined = new CountDownLatch(2);
        CountDownLatch connected = new CountDownLatch(2);
        CallSession.Listener l = new CallSession.Listener() {
          @Override public void onJoined(CallSession s, Set<String> peers) { joined.countDown(); }
          @Override public void onStateChanged(CallSession s, CallState st) { if (st == CallState.CONNECTED) connected.countDown(); }
        };
        SessionOptions.Builder o = SessionOptions.builder().signaling(broker.uri()).room("bench" + i);
        long t0 = System.nanoTime();
        CallSession alice = client.newSession(o.peerId("alice").build(), l);
        CallSession bob = client.newSession(o.peerId("bob").build(), l);
        alice.start();
        bob.start();
        if (!joined.await(20, TimeUnit.SECONDS)) throw new IllegalStateException("join timed out in call " + i);
        long t1 = System.nanoTime();
        alice.call("bob");
        if (!connected.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("call " + i + " did not connect");
        long t2 = System.nanoTime();
        join[i] = (t1 - t0) / 1e6;
        setup[i] = (t2 - t1) / 1e6;
        alice.close();
        bob.close();
      }
    }
    System.out.printf("mqtt (mosquitto) join both peers, %d runs: %s%n", calls, MqttSignalingBenchmark.stats(join));
    System.out.printf("mqtt (mosquitto) call() -> both CONNECTED, %d calls: %s%n", calls, MqttSignalingBenchmark.stats(setup));
  }
}
