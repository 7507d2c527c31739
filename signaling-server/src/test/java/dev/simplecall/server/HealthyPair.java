package dev.simplecall.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.protocol.Ids;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A well-behaved call running beside the hostile corpus: alice and bob on WebSockets and carol on
 * long-poll, all in room {@code call}. alice sends bob numbered offers one at a time (the next once the
 * last arrived); every tenth, bob also sends carol a numbered answer. Each must arrive in order and
 * unchanged; {@link #stop} throws the first that did not. Latencies are alice-to-bob, send to receipt.
 */
final class HealthyPair implements AutoCloseable {
  private final WsTestClient alice;
  private final WsTestClient bob;
  private final PollTestClient carol;
  private final String carolSession;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final List<Long> latencyNanos = new ArrayList<>();
  private final Thread sender;
  private int sent;
  private int toCarol;

  HealthyPair(int port) throws Exception {
    alice = new WsTestClient(TestHttp.CLIENT, port);
    bob = new WsTestClient(TestHttp.CLIENT, port);
    carol = new PollTestClient(TestHttp.CLIENT, port);
    alice.join("call", "alice", null);
    bob.join("call", "bob", null);
    alice.expect(Envelope.PeerJoined.class);
    PollTestClient.Reply joined = carol.create(new Envelope.Join(Ids.newId(), "call", "carol", null));
    assertEquals(201, joined.status(), joined.text());
    carolSession = joined.session();
    alice.expect(Envelope.PeerJoined.class);
    bob.expect(Envelope.PeerJoined.class);
    sender = new Thread(this::run, "healthy-pair");
    sender.start();
  }

  private void run() {
    try {
      while (running.get()) {
        int n = sent;
        Envelope.Offer offer = new Envelope.Offer("h" + n, "", null, "bob", "v=0 n=" + n);
        long t0 = System.nanoTime();
        alice.send(offer);
        String text = bob.received.poll(WsTestClient.WAIT_SECONDS, TimeUnit.SECONDS);
        long t1 = System.nanoTime();
        assertNotNull(text, "healthy message " + n + " lost");
        assertEquals(offer.withSender("call", "alice"), EnvelopeCodec.decode(text), "healthy message " + n);
        latencyNanos.add(t1 - t0);
        sent = n + 1;
        if (n % 10 == 0) bob.send(new Envelope.Answer("k" + toCarol, "", null, "carol", "v=0 k=" + toCarol++));
      }
    } catch (Throwable t) {
      failure.compareAndSet(null, t);
    }
  }

  /** Stops sending, checks that carol got every answer in order, and returns the figures. */
  Stats stop() throws Throwable {
    running.set(false);
    sender.join(TimeUnit.SECONDS.toMillis(2 * WsTestClient.WAIT_SECONDS));
    if (failure.get() != null) throw failure.get();
    long cursor = 1;
    int got = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WsTestClient.WAIT_SECONDS);
    while (got < toCarol && System.nanoTime() < deadline) {
      PollTestClient.Reply r = carol.poll(carolSession, cursor, 1000);
      assertEquals(200, r.status(), r.text());
      for (Envelope e : r.messages()) {
        assertEquals(new Envelope.Answer("k" + got, "call", "bob", "carol", "v=0 k=" + got), e, "carol's message " + got);
        got++;
      }
      cursor = r.cursor();
    }
    assertEquals(toCarol, got, "carol's messages");
    alice.assertNothingQueued();
    bob.assertNothingQueued();
    long[] sorted = latencyNanos.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(sorted);
    return new Stats(sent, toCarol, sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)],
        sorted.length == 0 ? 0 : sorted[sorted.length / 2]);
  }

  /** Messages relayed alice to bob and bob to carol; relay latency p99 and median, nanoseconds. */
  record Stats(int sent, int toCarol, long p99Nanos, long p50Nanos) {
    @Override
    public String toString() {
      return String.format("healthy %d ws + %d poll messages, all in order, relay p50 %.2f ms p99 %.2f ms",
          sent, toCarol, p50Nanos / 1e6, p99Nanos / 1e6);
    }
  }

  @Override
  public void close() {
    running.set(false);
    alice.close();
    bob.close();
  }
}
