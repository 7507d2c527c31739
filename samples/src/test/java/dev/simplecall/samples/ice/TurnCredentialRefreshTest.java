package dev.simplecall.samples.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.simplecall.AudioSource;
import dev.simplecall.CallClient;
import dev.simplecall.CallException;
import dev.simplecall.CallSession;
import dev.simplecall.CallState;
import dev.simplecall.CallStats;
import dev.simplecall.EndReason;
import dev.simplecall.IceTransportPolicy;
import dev.simplecall.MediaOptions;
import dev.simplecall.SessionOptions;
import dev.simplecall.VideoSource;
import dev.simplecall.server.SignalingServer;
import dev.simplecall.server.TokenIssuer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A relayed call outlives its TURN credentials: a real coturn on loopback whose allocations must be
 * refreshed every few seconds (so expired credentials bite within the test, as they would after 12 h
 * in production), a real signaling server handing out 15 s TURN REST credentials, two real peers
 * with {@code relay} policy, a call of ~3x the credentials' lifetime, and coturn restarted at 26 s,
 * after the first credentials have expired. coturn keeps an existing allocation alive with its
 * original (expired) user name, so expiry alone does not hurt; what does is any new allocation, as an
 * ICE restart after a network change or this TURN restart needs. Without the SDK's refresh the
 * re-allocation is refused (401) and the call ends ICE_FAILED; with it, the call is CONNECTED again on
 * a relay with frames arriving at the end.
 */
class TurnCredentialRefreshTest {
  private static final Duration TTL = Duration.ofSeconds(15);
  private static final Duration CALL = TTL.multipliedBy(3);
  /** When coturn restarts: after the first credentials expired, 10 s before the third refresh. */
  private static final Duration BREAK_AT = Duration.ofSeconds(26);

  private LoopbackCoturn turn;
  private SignalingServer server;
  private CallClient client;

  @AfterEach
  void tearDown() {
    if (client != null) client.close();
    if (server != null) server.close();
    if (turn != null) turn.close();
  }

  @Test
  void relayedCallOutlivesItsTurnCredentials() throws Exception {
    turn = LoopbackCoturn.start();
    String authSecret = "ice-test-auth-secret";
    server = SignalingServer.builder().bind("127.0.0.1").port(0).authSecret(authSecret)
        .turnSecret(turn.secret()).turnUris(List.of(turn.url())).turnTtl(TTL).build().start();
    TokenIssuer tokens = new TokenIssuer(authSecret);
    URI ws = URI.create("ws://127.0.0.1:" + server.port() + "/v1/ws");
    client = CallClient.builder().iceTransportPolicy(IceTransportPolicy.RELAY)
        .media(MediaOptions.builder().video(VideoSource.testPattern(160, 120, 15)).audio(AudioSource.tone(440)).build())
        .build();
    Recorder alice = new Recorder("alice");
    Recorder bob = new Recorder("bob");
    CallSession b = client.newSession(options(ws, "bob", tokens), bob);
    b.addRemoteVideoSink(f -> bob.onFrame());
    b.start();
    bob.awaitJoined();
    CallSession a = client.newSession(options(ws, "alice", tokens), alice);
    a.addRemoteVideoSink(f -> alice.onFrame());
    a.start();
    alice.awaitJoined();
    long start = System.nanoTime();
    a.call("bob");
    alice.awaitState(CallState.CONNECTED, 20);
    bob.awaitState(CallState.CONNECTED, 20);

    // Long after the first credentials expired, the TURN server restarts: every allocation is gone
    // and both peers must allocate again, which coturn refuses with expired credentials.
    awaitNoEnd(alice, bob, BREAK_AT.toNanos() - (System.nanoTime() - start));
    turn = turn.restart();
    // The call goes on for 3x the credentials' lifetime; it must not end meanwhile.
    awaitNoEnd(alice, bob, CALL.toNanos() - (System.nanoTime() - start));

    for (Recorder r : List.of(alice, bob)) {
      CallSession s = r == alice ? a : b;
      assertEquals(CallState.CONNECTED, s.state(), r.report());
      r.frameTokens.drainPermits();
      assertTrue(r.frameTokens.tryAcquire(15, 5, TimeUnit.SECONDS), "no frames flowing at the end: " + r.report());
      CallStats st = s.stats().get(5, TimeUnit.SECONDS);
      assertEquals("relay", st.localCandidateType(), r.report());
      long refreshes = r.progress.stream().filter(p -> p.contains("TURN credentials refreshed")).count();
      assertTrue(refreshes >= 2, "credentials were refreshed " + refreshes + " times in " + CALL + ": " + r.report());
      System.out.println("[ice] " + r.report() + " stats: " + st);
    }
    // The side whose ICE notices the dead relay first restarts ICE; the other side takes that restart
    // as a renegotiation and may never see its own connection drop, so one "reconnected" is the proof.
    assertTrue(alice.reconnected() || bob.reconnected(), "the TURN restart did not break the call, so it proved nothing:\n"
        + alice.report() + "\n" + bob.report());
    a.hangUp();
    alice.awaitState(CallState.ENDED, 10);
    bob.awaitState(CallState.ENDED, 10);
  }

  private static void awaitNoEnd(Recorder alice, Recorder bob, long nanos) throws InterruptedException {
    Recorder.Ended early = alice.ended.poll(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    if (early != null || !bob.ended.isEmpty()) {
      fail("the call ended early: alice " + early + ", bob " + bob.ended.peek() + "\n" + alice.report() + "\n" + bob.report());
    }
  }

  private static SessionOptions options(URI ws, String peer, TokenIssuer tokens) {
    return SessionOptions.builder().signaling(ws).room("refresh").peerId(peer)
        .token(tokens.issue(peer, "refresh", Duration.ofMinutes(10)))
        .iceFailureTimeout(Duration.ofSeconds(10)).build();
  }

  /** Session events in queues, read with bounded waits. */
  private static final class Recorder extends CallSession.Listener {
    record Ended(EndReason reason, CallException error) {}

    final String name;
    final BlockingQueue<CallState> states = new LinkedBlockingQueue<>();
    final BlockingQueue<Ended> ended = new LinkedBlockingQueue<>();
    final List<String> progress = new CopyOnWriteArrayList<>();
    final CountDownLatch joined = new CountDownLatch(1);
    final long created = System.nanoTime();
    final AtomicLong frames = new AtomicLong();
    final Semaphore frameTokens = new Semaphore(0);

    Recorder(String name) {
      this.name = name;
    }

    @Override
    public void onStateChanged(CallSession s, CallState state) {
      states.add(state);
      note("state " + state);
    }

    @Override
    public void onJoined(CallSession s, java.util.Set<String> peers) {
      joined.countDown();
    }

    @Override
    public void onProgress(CallSession s, String step) {
      note(step);
    }

    private void note(String step) {
      progress.add(String.format("%.1fs %s", (System.nanoTime() - created) / 1e9, step));
    }

    @Override
    public void onEnded(CallSession s, EndReason reason, CallException error) {
      ended.add(new Ended(reason, error));
    }

    void onFrame() {
      frames.incrementAndGet();
      frameTokens.release();
    }

    void awaitJoined() throws InterruptedException {
      assertTrue(joined.await(15, TimeUnit.SECONDS), name + " did not join: " + report());
    }

    void awaitState(CallState want, long seconds) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      while (true) {
        CallState s = states.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (s == null) fail(name + ": no " + want + " within " + seconds + " s; " + report());
        if (s == want) return;
      }
    }

    boolean reconnected() {
      return progress.stream().anyMatch(p -> p.endsWith(" reconnected"));
    }

    String report() {
      return name + " frames=" + frames.get() + " progress=" + progress;
    }
  }
}
