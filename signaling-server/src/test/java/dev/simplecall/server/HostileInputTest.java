package dev.simplecall.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The hostile-input corpus against a real server on loopback: {@link WsCorpus} on {@code /v1/ws} and
 * {@link PollCorpus} on the long-poll endpoints at the same time, while {@link HealthyPair} keeps a
 * call's signaling going through the same server. Every case must get its documented answer, every
 * healthy message must arrive in order and unchanged, and the server must log no error.
 *
 * <p>{@code -Dcorpus.cases=N} cases per endpoint (default 1,500), {@code -Dcorpus.seed=N} to replay;
 * the seed is in every failure message. The summary line goes to stdout. Full tier: about 20 s at
 * the default size on 2 cores. The MQTT bridge has a corpus of its own:
 * {@link dev.simplecall.server.mqtt.HostileMqttInputTest}.
 */
class HostileInputTest {
  private static final long SEED = Long.getLong("corpus.seed", 20261207L);
  private static final int CASES = Integer.getInteger("corpus.cases", 1_500);

  private SignalingServer server;
  private final ExecutorService drivers = Executors.newFixedThreadPool(2);

  @AfterEach
  void stop() {
    drivers.shutdownNow();
    if (server != null) server.close();
  }

  @Test
  void everyHostileInputGetsItsDocumentedAnswerWhileACallGoesOn() throws Throwable {
    // The corpus is one client sending thousands of messages a second: the per-connection rate limit
    // (tested on its own elsewhere) would answer most of them rate-limited.
    server = SignalingServer.builder().port(0).rateLimit(1_000_000, 1_000_000)
        .pollSessionTimeout(Duration.ofMinutes(10)).build().start();
    ServerErrors errors = ServerErrors.attach();
    long heapBefore = JvmFigures.heapUsed();
    long rssBefore = JvmFigures.rssKib();
    long t0 = System.nanoTime();
    try (HealthyPair healthy = new HealthyPair(server.port());
        WsCorpus ws = new WsCorpus(server.port(), SEED);
        PollCorpus poll = new PollCorpus(server.port(), SEED + 1, sid -> server.parts().poll().holding(sid))) {
      // Each corpus checks its own connections right after its last case: one that finished first
      // would otherwise idle unread, miss the server's pings and be dropped, as it should be.
      CompletableFuture<Void> wsRun = CompletableFuture.runAsync(() -> run(ws::send, ws::assertStillServed), drivers);
      CompletableFuture<Void> pollRun = CompletableFuture.runAsync(() -> run(poll::send, poll::assertStillServed), drivers);
      CompletableFuture.allOf(wsRun, pollRun).exceptionally(t -> null).get(30, TimeUnit.MINUTES);
      wsRun.join();
      pollRun.join();
      HealthyPair.Stats stats = healthy.stop();
      double seconds = (System.nanoTime() - t0) / 1e9;
      System.gc();
      System.out.printf("hostile input: seed %d, %.1f s; ws %d cases (%d on fresh connections), poll %d cases; "
          + "crashes %d; ws answers %s; poll answers %s; %s; heap used %d -> %d MiB, VmRSS %d -> %d MiB%n",
          SEED, seconds, ws.sent, ws.connections, poll.sent, errors.count(), ws.answers, poll.answers, stats,
          heapBefore >> 20, JvmFigures.heapUsed() >> 20, rssBefore >> 10, JvmFigures.rssKib() >> 10);
      assertEquals(List.of(), errors.events(), "errors logged by the server");
    } finally {
      errors.detach();
    }
  }

  interface Case {
    void send(int i) throws Exception;
  }

  interface Check {
    void check() throws Exception;
  }

  private static void run(Case c, Check after) {
    try {
      for (int i = 0; i < CASES; i++) c.send(i);
      after.check();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
