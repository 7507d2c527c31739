package dev.simplecall.server;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * One-way signaling latency through a real server on loopback: WebSocket to WebSocket, WebSocket to
 * long-poll and long-poll to WebSocket. Each message carries its send time (same JVM, nanoTime); one
 * message in flight at a time. Prints median and p95. Not a test: run it by hand (see
 * BENCHMARKS.md, "Signaling latency").
 */
public final class SignalingLatencyBenchmark {
  private static final int WARMUP = 100;

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    try (SignalingServer server = SignalingServer.builder().port(0).rateLimit(1e6, 1_000_000).build().start()) {
      int port = server.port();
      WsTestClient alice = new WsTestClient(TestHttp.CLIENT, port);
      WsTestClient bob = new WsTestClient(TestHttp.CLIENT, port);
      alice.join("bench", "alice", null);
      bob.join("bench", "bob", null);
      alice.expect(Envelope.PeerJoined.class);

      Histogram wsToWs = nanos();
      for (int i = 0; i < WARMUP + n; i++) {
        alice.send(new Envelope.Offer("w" + i, "bench", "alice", "bob", Long.toString(System.nanoTime())));
        Envelope.Offer o = bob.expect(Envelope.Offer.class);
        if (i >= WARMUP) wsToWs.recordValue(nanosSince(o.sdp()));
      }

      PollTestClient poll = new PollTestClient(TestHttp.CLIENT, port);
      PollTestClient.Reply created = poll.create(new Envelope.Join("j", "bench", "carol", null));
      String sid = created.session();
      alice.expect(Envelope.PeerJoined.class);
      bob.expect(Envelope.PeerJoined.class);
      // A poll loop like a transport's: always one poll outstanding, acknowledging by cursor.
      BlockingQueue<Envelope.Offer> carolGot = new LinkedBlockingQueue<>();
      Thread poller = new Thread(() -> {
        long cursor = created.cursor();
        try {
          while (!Thread.currentThread().isInterrupted()) {
            PollTestClient.Reply r = poll.poll(sid, cursor, 25_000);
            if (r.status() != 200) return;
            cursor = r.cursor();
            for (Envelope e : r.messages()) if (e instanceof Envelope.Offer o) carolGot.add(o);
          }
        } catch (Exception e) {
          // benchmark over
        }
      }, "bench-poller");
      poller.setDaemon(true);
      poller.start();

      Histogram wsToPoll = nanos();
      for (int i = 0; i < WARMUP + n; i++) {
        alice.send(new Envelope.Offer("p" + i, "bench", "alice", "carol", Long.toString(System.nanoTime())));
        Envelope.Offer o = carolGot.poll(10, TimeUnit.SECONDS);
        if (o == null) throw new IllegalStateException("long-poll peer got nothing for 10 s");
        if (i >= WARMUP) wsToPoll.recordValue(nanosSince(o.sdp()));
      }

      Histogram pollToWs = nanos();
      for (int i = 0; i < WARMUP + n; i++) {
        String body = EnvelopeCodec.encode(new Envelope.Offer("q" + i, "bench", "carol", "bob", Long.toString(System.nanoTime())));
        poll.post(sid, body);
        Envelope.Offer o = bob.expect(Envelope.Offer.class);
        if (i >= WARMUP) pollToWs.recordValue(nanosSince(o.sdp()));
      }
      poller.interrupt();
      poll.delete(sid);
      alice.close();
      bob.close();

      System.out.printf(Locale.ROOT, "one-way signaling latency through the server on loopback, %d messages each%n", n);
      print("websocket -> websocket", wsToWs);
      print("websocket -> long-poll", wsToPoll);
      print("long-poll -> websocket", pollToWs);
    }
    System.exit(0);
  }

  /** Latencies in nanoseconds, 4 significant digits: within 0.01 %, finer than the figures printed. */
  private static Histogram nanos() {
    return new Histogram(4);
  }

  private static long nanosSince(String nanos) {
    return System.nanoTime() - Long.parseLong(nanos);
  }

  private static void print(String label, Histogram h) {
    System.out.printf(Locale.ROOT, "  %-24s median %.3f ms  p95 %.3f ms  max %.3f ms%n", label,
        h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(95) / 1e6, h.getMaxValue() / 1e6);
  }
}
