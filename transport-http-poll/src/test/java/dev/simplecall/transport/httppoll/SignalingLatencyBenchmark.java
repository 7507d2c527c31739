package dev.simplecall.transport.httppoll;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.protocol.EnvelopeException;
import dev.simplecall.protocol.Ids;
import dev.simplecall.server.SignalingServer;
import dev.simplecall.spi.SignalingTransport;
import dev.simplecall.spi.SignalingTransportFactory;
import dev.simplecall.spi.TransportOptions;
import dev.simplecall.transport.websocket.WebSocketTransportFactory;
import java.net.URI;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * One-way signaling latency through the real signaling server on loopback, WebSocket against HTTP
 * long-poll (and the two mixed). Sender and receiver are in this JVM, so a message carries its send
 * time ({@link System#nanoTime()}) and the receiver's callback measures its age. Messages go one at a
 * time (the next once the last arrived) for latency, then in a burst for throughput.
 *
 * <pre>
 * scripts/bench-signaling [messages]       # default 300 per pair, after 50 of warm-up
 * </pre>
 */
public final class SignalingLatencyBenchmark {
  private static final int WARMUP = 50;
  private static final int BURST = 1000;

  private record Side(String name, SignalingTransportFactory factory, URI uri) {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    try (SignalingServer server = SignalingServer.builder().port(0).rateLimit(100_000, 100_000).build().start()) {
      Side ws = new Side("websocket", new WebSocketTransportFactory(), URI.create("ws://127.0.0.1:" + server.port() + "/v1/ws"));
      Side poll = new Side("http-poll", new HttpPollTransportFactory(), URI.create("http://127.0.0.1:" + server.port()));
      System.out.printf("one-way signaling latency, loopback, %d messages one at a time after %d warm-up; burst of %d%n",
          n, WARMUP, BURST);
      System.out.printf("%-26s %8s %8s %8s %8s %8s %14s%n", "sender -> receiver", "median", "p95", "p99", "max", "mean", "burst msg/s");
      int room = 0;
      for (Side[] pair : new Side[][] {{ws, ws}, {poll, poll}, {ws, poll}, {poll, ws}}) {
        measure(pair[0], pair[1], "bench" + room++, n);
      }
    }
  }

  private static void measure(Side from, Side to, String room, int n) throws Exception {
    BlockingQueue<Long> ages = new LinkedBlockingQueue<>();
    CountDownLatch receiverOpen = new CountDownLatch(1);
    CountDownLatch senderSeesReceiver = new CountDownLatch(1);
    SignalingTransport receiver = to.factory.create(to.uri, options(room, "rx"), new SignalingTransport.Listener() {
      @Override
      public void onOpen(SignalingTransport t) {
        receiverOpen.countDown();
      }

      @Override
      public void onMessage(SignalingTransport t, String text) {
        long now = System.nanoTime();
        try {
          if (EnvelopeCodec.decode(text) instanceof Envelope.Offer o) ages.add(now - Long.parseLong(o.sdp()));
        } catch (EnvelopeException | NumberFormatException e) {
          throw new IllegalStateException(text, e);
        }
      }
    });
    await(receiverOpen, "receiver open");
    SignalingTransport sender = from.factory.create(from.uri, options(room, "tx"), new SignalingTransport.Listener() {
      @Override
      public void onMessage(SignalingTransport t, String text) {
        if (text.contains("\"welcome\"") && text.contains("\"rx\"")) senderSeesReceiver.countDown();
      }
    });
    await(senderSeesReceiver, "sender joined");
    try {
      Histogram samples = new Histogram(4); // nanoseconds; within 0.01 %, finer than the figures printed
      for (int i = 0; i < WARMUP + n; i++) {
        sender.send(offer(room));
        Long age = ages.poll(30, TimeUnit.SECONDS);
        if (age == null) throw new IllegalStateException("message " + i + " lost");
        if (i >= WARMUP) samples.recordValue(age);
      }
      long start = System.nanoTime();
      for (int i = 0; i < BURST; i++) sender.send(offer(room));
      for (int i = 0; i < BURST; i++) {
        if (ages.poll(60, TimeUnit.SECONDS) == null) throw new IllegalStateException("burst message " + i + " lost");
      }
      double burstPerSecond = BURST / ((System.nanoTime() - start) / 1e9);
      System.out.printf("%-26s %8.2f %8.2f %8.2f %8.2f %8.2f %14.0f   (ms)%n", from.name + " -> " + to.name,
          ms(samples.getValueAtPercentile(50)), ms(samples.getValueAtPercentile(95)), ms(samples.getValueAtPercentile(99)),
          ms(samples.getMaxValue()), samples.getMean() / 1e6, burstPerSecond);
    } finally {
      sender.close();
      receiver.close();
    }
  }

  private static String offer(String room) {
    return EnvelopeCodec.encode(new Envelope.Offer(Ids.newId(), room, "tx", "rx", Long.toString(System.nanoTime())));
  }

  private static TransportOptions options(String room, String peer) {
    return TransportOptions.builder().room(room).peerId(peer).build();
  }

  private static void await(CountDownLatch latch, String what) throws InterruptedException {
    if (!latch.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("timed out: " + what);
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }
}
