package dev.simplecall.samples.bench;

import dev.simplecall.AudioSource;
import dev.simplecall.CallClient;
import dev.simplecall.CallSession;
import dev.simplecall.CallState;
import dev.simplecall.MediaOptions;
import dev.simplecall.SessionOptions;
import dev.simplecall.VideoSource;
import dev.simplecall.transport.mqtt.MosquittoBroker;
import dev.simplecall.transport.mqtt.MqttSignalingBenchmark;
import dev.simplecall.transport.mqtt.MqttTransportFactory;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Call-setup time over MQTT for BENCHMARKS.md: two webrtc-java peers in one JVM, signaling through a
 * real mosquitto on loopback (persistence off). For each call: join both (create -> welcome), then
 * {@code call()} until both sides are CONNECTED.
 *
 * <pre>{@code
 * java -cp "<test classpath>" dev.simplecall.samples.bench.MqttCallBenchmark [calls]
 * }</pre>
 */
public final class MqttCallBenchmark {
  private MqttCallBenchmark() {}

  public static void main(String[] args) throws Exception {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    MediaOptions media = MediaOptions.builder().video(VideoSource.testPattern(320, 240, 30)).audio(AudioSource.tone(440)).build();
    double[] join = new double[calls];
    double[] setup = new double[calls];
    int done = 0;
    int failed = 0;
    try (MosquittoBroker broker = MosquittoBroker.builder().persistence(false).build().start()) {
      for (int i = 0; i < calls; i++) {
        // one client per call: sequential calls on one client hung in peer-connection teardown (core)
        CallClient client = CallClient.builder().addTransportFactory(new MqttTransportFactory()).media(media).build();
        CountDownLatch joined = new CountDownLatch(2);
        CountDownLatch connected = new CountDownLatch(2);
        CountDownLatch ended = new CountDownLatch(2);
        CallSession.Listener l = new CallSession.Listener() {
          @Override public void onJoined(CallSession s, Set<String> peers) { joined.countDown(); }
          @Override public void onStateChanged(CallSession s, CallState st) { if (st == CallState.CONNECTED) connected.countDown(); }
          @Override public void onEnded(CallSession s, dev.simplecall.EndReason r, dev.simplecall.CallException e) { ended.countDown(); }
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
        boolean ok = connected.await(30, TimeUnit.SECONDS);
        long t2 = System.nanoTime();
        if (ok) {
          join[done] = (t1 - t0) / 1e6;
          setup[done] = (t2 - t1) / 1e6;
          System.out.printf("call %d: join %.0f ms, setup %.0f ms%n", i, join[done], setup[done]);
          done++;
          alice.hangUp(); // bob ends on the bye, as in a real hang-up
        } else {
          failed++;
          System.out.printf("call %d: did not connect within 30 s%n", i);
          alice.cancel();
          bob.cancel();
        }
        if (!ended.await(20, TimeUnit.SECONDS)) {
          System.out.printf("call %d: sessions did not end within 20 s; stopping%n", i);
          break;
        }
        client.close();
      }
    }
    if (done == 0) throw new IllegalStateException("no call connected (" + failed + " failed)");
    join = java.util.Arrays.copyOf(join, done);
    setup = java.util.Arrays.copyOf(setup, done);
    System.out.printf("mqtt (mosquitto) join both peers, %d runs: %s%n", done, MqttSignalingBenchmark.stats(join));
    System.out.printf("mqtt (mosquitto) call() -> both CONNECTED, %d calls (%d did not connect): %s%n", done, failed,
        MqttSignalingBenchmark.stats(setup));
    System.exit(0); // a hung native teardown (README, "Known limits") must not keep the JVM
  }
}
