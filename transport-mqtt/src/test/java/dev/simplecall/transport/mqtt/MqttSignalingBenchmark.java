package dev.simplecall.transport.mqtt;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.protocol.EnvelopeException;
import dev.simplecall.protocol.Ids;
import dev.simplecall.spi.SignalingTransport;
import dev.simplecall.spi.TransportOptions;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Figures for BENCHMARKS.md: MQTT signaling over a real mosquitto on loopback. Prints the time from
 * creating a transport to its {@code welcome}, the offer/answer round trip between two transports,
 * and the time to be back (open + welcome) after mosquitto is killed and restarted.
 *
 * <pre>{@code
 * java -cp "$(cat cp.txt):transport-mqtt/target/classes:transport-mqtt/target/test-classes" \
 *     dev.simplecall.transport.mqtt.MqttSignalingBenchmark [rounds]
 * }</pre>
 */
public final class MqttSignalingBenchmark {
  private MqttSignalingBenchmark() {}

  /** Collects message texts and open events. */
  static final class Inbox implements SignalingTransport.Listener {
    final BlockingQueue<String> items = new LinkedBlockingQueue<>();

    @Override public void onOpen(SignalingTransport t) { items.add("open"); }
    @Override public void onMessage(SignalingTransport t, String text) { items.add(text); }

    Envelope take(Class<? extends Envelope> type) throws InterruptedException, EnvelopeException {
      while (true) {
        String s = items.poll(10, TimeUnit.SECONDS);
        if (s == null) throw new IllegalStateException("nothing within 10 s waiting for " + type.getSimpleName());
        if (s.equals("open")) continue;
        Envelope e = EnvelopeCodec.decode(s);
        if (type.isInstance(e)) return e;
      }
    }
  }

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    // persistence off: the tests' save-after-every-change config would measure disk writes
    try (MosquittoBroker broker = MosquittoBroker.builder().persistence(false).build().start()) {
      URI uri = broker.uri();
      MqttTransportFactory f = new MqttTransportFactory();
      TransportOptions.Builder base = TransportOptions.builder().room("bench")
          .initialBackoff(Duration.ofMillis(50)).maxBackoff(Duration.ofMillis(200));

      double[] joins = new double[20];
      for (int i = 0; i < joins.length; i++) {
        Inbox in = new Inbox();
        long t0 = System.nanoTime();
        SignalingTransport t = f.create(uri, base.peerId("joiner" + i).build(), in);
        in.take(Envelope.Welcome.class);
        joins[i] = (System.nanoTime() - t0) / 1e6;
        t.close();
      }

      Inbox aIn = new Inbox();
      Inbox bIn = new Inbox();
      SignalingTransport a = f.create(uri, base.peerId("alice").build(), aIn);
      aIn.take(Envelope.Welcome.class);
      SignalingTransport b = f.create(uri, base.peerId("bob").build(), bIn);
      bIn.take(Envelope.Welcome.class);
      aIn.take(Envelope.PeerJoined.class);
      String sdp = "v=0\r\n" + "a=x".repeat(1500); // about a real offer's size (~6 KB)
      double[] rtt = new double[rounds];
      for (int i = 0; i < rounds; i++) {
        long t0 = System.nanoTime();
        a.send(EnvelopeCodec.encode(new Envelope.Offer(Ids.newId(), "bench", "alice", "bob", sdp)));
        bIn.take(Envelope.Offer.class);
        b.send(EnvelopeCodec.encode(new Envelope.Answer(Ids.newId(), "bench", "bob", "alice", sdp)));
        aIn.take(Envelope.Answer.class);
        rtt[i] = (System.nanoTime() - t0) / 1e6;
      }

      broker.kill();
      long down = System.nanoTime();
      broker.start();
      aIn.take(Envelope.Welcome.class);
      double back = (System.nanoTime() - down) / 1e6;
      a.close();
      b.close();

      System.out.printf("mqtt join (create -> welcome), %d joins: %s%n", joins.length, stats(joins));
      System.out.printf("mqtt offer->answer round trip, ~6 KB each way, %d rounds: %s%n", rounds, stats(rtt));
      System.out.printf("mqtt back after mosquitto kill -9 + restart (restart -> welcome, backoff 50-200 ms): %.0f ms%n", back);
    }
  }

  /** Median, p90 and max of {@code millis}, recorded in nanoseconds at 4 significant digits (within 0.01 %). */
  public static String stats(double[] millis) {
    Histogram h = new Histogram(4);
    for (double ms : millis) h.recordValue(Math.round(ms * 1e6));
    return String.format("median %.2f ms, p90 %.2f ms, max %.2f ms", h.getValueAtPercentile(50) / 1e6,
        h.getValueAtPercentile(90) / 1e6, h.getMaxValue() / 1e6);
  }
}
