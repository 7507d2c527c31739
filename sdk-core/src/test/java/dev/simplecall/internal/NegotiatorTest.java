package dev.simplecall.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.internal.PeerLink.SdpType;
import dev.simplecall.internal.PeerLink.SignalingState;
import dev.simplecall.protocol.Envelope;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Perfect negotiation against a fake peer connection: glare, buffering, stale answers, failures. */
@Tag("fast")
class NegotiatorTest {
  private final ExecutorService execA = Executors.newSingleThreadExecutor();
  private final ExecutorService execB = Executors.newSingleThreadExecutor();

  @AfterEach
  void stop() {
    execA.shutdownNow();
    execB.shutdownNow();
  }

  /** One side: a fake link, a negotiator, and what it sent. */
  final class Side implements Negotiator.Sink {
    final FakePeerLink link;
    final ExecutorService exec;
    final BlockingQueue<String> sent = new LinkedBlockingQueue<>();
    final BlockingQueue<Throwable> failures = new LinkedBlockingQueue<>();
    final BlockingQueue<String> renegotiationFailures = new LinkedBlockingQueue<>();
    Negotiator negotiator;
    volatile Side other;

    Side(String name, boolean polite, ExecutorService exec) {
      this(name, polite, exec, Negotiator.ANSWER_WAIT);
    }

    Side(String name, boolean polite, ExecutorService exec, Duration answerWait) {
      this.link = new FakePeerLink(name);
      this.exec = exec;
      this.negotiator = new Negotiator(link, polite, exec, this, answerWait);
    }

    @Override
    public void sendOffer(String sdp) {
      sent.add("offer " + sdp);
      if (other != null) other.exec.execute(() -> other.negotiator.onRemoteDescription(SdpType.OFFER, sdp));
    }

    @Override
    public void sendAnswer(String sdp) {
      sent.add("answer " + sdp);
      if (other != null) other.exec.execute(() -> other.negotiator.onRemoteDescription(SdpType.ANSWER, sdp));
    }

    @Override
    public void failed(String what, Throwable cause) {
      failures.add(cause);
    }

    @Override
    public void renegotiationFailed(String what, Throwable cause) {
      renegotiationFailures.add(what);
    }

    void on(Runnable r) {
      exec.execute(r);
    }

    /** Waits until every queued operation of this side has run. */
    void settle() throws InterruptedException {
      for (int i = 0; i < 20; i++) {
        CountDownLatch l = new CountDownLatch(1);
        exec.execute(l::countDown);
        assertTrue(l.await(5, TimeUnit.SECONDS));
        CountDownLatch n = new CountDownLatch(1);
        FakePeerLink.NATIVE.execute(n::countDown);
        assertTrue(n.await(5, TimeUnit.SECONDS));
      }
    }
  }

  private void wire(Side a, Side b) {
    a.other = b;
    b.other = a;
  }

  @Test
  void glareResolvesToExactlyOneExchange() throws Exception {
    Side alice = new Side("alice", false, execA); // impolite
    Side bob = new Side("bob", true, execB);      // polite
    wire(alice, bob);
    // both need to negotiate before either offer can arrive: hold both executors at a gate, queue
    // negotiationNeeded behind it on each, then open the gate (a true glare, deterministically)
    CountDownLatch gate = new CountDownLatch(1);
    Runnable hold = () -> {
      try {
        gate.await(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
    alice.on(hold);
    bob.on(hold);
    alice.on(alice.negotiator::negotiationNeeded);
    bob.on(bob.negotiator::negotiationNeeded);
    gate.countDown();
    assertEquals("offer offer-alice-1", alice.sent.poll(5, TimeUnit.SECONDS));
    assertEquals("offer offer-bob-1", bob.sent.poll(5, TimeUnit.SECONDS));
    assertEquals("answer answer-bob-to-offer-alice-1", bob.sent.poll(5, TimeUnit.SECONDS));
    for (int i = 0; i < 3; i++) {
      alice.settle();
      bob.settle();
    }
    assertEquals(SignalingState.STABLE, alice.link.signalingState());
    assertEquals(SignalingState.STABLE, bob.link.signalingState());
    assertEquals("answer-bob-to-offer-alice-1", alice.link.remoteSdp());
    assertEquals("offer-alice-1", bob.link.remoteSdp());
    assertEquals(1, bob.negotiator.rollbacks());
    assertEquals(0, alice.negotiator.rollbacks());
    assertEquals(0, alice.negotiator.answersSent(), "the impolite side ignores the colliding offer");
    assertTrue(alice.sent.isEmpty() && bob.sent.isEmpty(), "extra messages: " + alice.sent + bob.sent);
    assertTrue(alice.failures.isEmpty() && bob.failures.isEmpty(), "failures: " + alice.failures + bob.failures);
  }

  @Test
  void candidatesOfAnIgnoredOfferAreDroppedAndLaterOnesAdded() throws Exception {
    Side alice = new Side("alice", false, execA); // impolite, not wired: we play bob by hand
    alice.on(alice.negotiator::negotiationNeeded);
    assertEquals("offer offer-alice-1", alice.sent.poll(5, TimeUnit.SECONDS));
    alice.settle();
    Envelope.IceCandidate stale = new Envelope.IceCandidate("candidate:1 1 udp 1 10.0.0.1 5000 typ host", "0", 0);
    Envelope.IceCandidate fresh = new Envelope.IceCandidate("candidate:2 1 udp 1 10.0.0.2 5000 typ host", "0", 0);
    alice.on(() -> {
      alice.negotiator.onRemoteDescription(SdpType.OFFER, "offer-bob-1"); // glare: ignored
      alice.negotiator.onRemoteCandidate(stale);                          // belongs to the ignored offer
      alice.negotiator.onRemoteDescription(SdpType.ANSWER, "answer-bob-to-offer-alice-1");
      alice.negotiator.onRemoteCandidate(fresh);
    });
    alice.settle();
    assertEquals(SignalingState.STABLE, alice.link.signalingState());
    assertEquals(0, alice.negotiator.answersSent());
    assertEquals(List.of(fresh), alice.link.added, "only the candidate sent after the answer is added");
    assertEquals(0, alice.negotiator.bufferedCandidates());
  }

  @Test
  void candidatesWaitForTheRemoteDescription() throws Exception {
    Side bob = new Side("bob", true, execB);
    Envelope.IceCandidate c1 = new Envelope.IceCandidate("candidate:1 1 udp 1 10.0.0.1 5000 typ host", "0", 0);
    Envelope.IceCandidate c2 = new Envelope.IceCandidate("candidate:2 1 udp 1 10.0.0.2 5000 typ host", "0", 0);
    bob.on(() -> {
      bob.negotiator.onRemoteCandidate(c1);
      bob.negotiator.onRemoteCandidate(c2);
    });
    bob.settle();
    assertTrue(bob.link.added.isEmpty(), "added before the remote description");
    assertEquals(2, bob.negotiator.bufferedCandidates());
    bob.on(() -> bob.negotiator.onRemoteDescription(SdpType.OFFER, "offer-x-1"));
    assertNotNull(bob.sent.poll(5, TimeUnit.SECONDS));
    bob.settle();
    assertEquals(List.of(c1, c2), bob.link.added);
    assertEquals(0, bob.negotiator.bufferedCandidates());
    Envelope.IceCandidate c3 = new Envelope.IceCandidate("candidate:3 1 udp 1 10.0.0.3 5000 typ host", "0", 0);
    bob.on(() -> bob.negotiator.onRemoteCandidate(c3));
    bob.settle();
    assertEquals(List.of(c1, c2, c3), bob.link.added);
  }

  @Test
  void answerInTheWrongStateIsIgnored() throws Exception {
    Side alice = new Side("alice", false, execA);
    alice.on(() -> alice.negotiator.onRemoteDescription(SdpType.ANSWER, "stale"));
    alice.settle();
    assertEquals(SignalingState.STABLE, alice.link.signalingState());
    assertTrue(alice.link.log.isEmpty(), "applied: " + alice.link.log);
    assertTrue(alice.failures.isEmpty());
  }

  @Test
  void negotiationNeededDuringAnExchangeOffersOnceStableAndConnected() throws Exception {
    Side alice = new Side("alice", false, execA);
    alice.on(() -> {
      alice.negotiator.onRemoteDescription(SdpType.OFFER, "offer-bob-1");
      alice.negotiator.negotiationNeeded();
    });
    assertEquals("answer answer-alice-to-offer-bob-1", alice.sent.poll(5, TimeUnit.SECONDS));
    alice.settle();
    assertEquals(null, alice.sent.poll(), "a change offered before the first connection");
    alice.on(alice.negotiator::connected);
    assertEquals("offer offer-alice-1", alice.sent.poll(5, TimeUnit.SECONDS));
    alice.settle();
    assertEquals(SignalingState.HAVE_LOCAL_OFFER, alice.link.signalingState());
  }

  @Test
  void repeatedNegotiationNeededIsCoalesced() throws Exception {
    Side alice = new Side("alice", false, execA);
    alice.on(() -> {
      alice.negotiator.negotiationNeeded();
      alice.negotiator.negotiationNeeded();
      alice.negotiator.negotiationNeeded();
    });
    assertEquals("offer offer-alice-1", alice.sent.poll(5, TimeUnit.SECONDS));
    alice.settle();
    assertTrue(alice.sent.isEmpty(), "extra offers: " + alice.sent);
  }

  @Test
  void iceRestartOffersWithRestart() throws Exception {
    Side alice = new Side("alice", false, execA);
    Side bob = new Side("bob", true, execB);
    wire(alice, bob);
    alice.on(alice.negotiator::negotiationNeeded);
    assertNotNull(bob.sent.poll(5, TimeUnit.SECONDS));
    alice.settle();
    alice.on(alice.negotiator::restartIce);
    assertNotNull(alice.sent.poll(5, TimeUnit.SECONDS)); // first offer
    assertEquals("offer offer-alice-2-restart", alice.sent.poll(5, TimeUnit.SECONDS));
    assertEquals("answer answer-bob-to-offer-alice-2-restart", bob.sent.poll(5, TimeUnit.SECONDS));
  }

  @Test
  void aFailedStepIsReportedAndLaterStepsStillRun() throws Exception {
    Side bob = new Side("bob", true, execB);
    bob.link.failNextSetRemote = true;
    bob.on(() -> bob.negotiator.onRemoteDescription(SdpType.OFFER, "offer-x-1"));
    Throwable t = bob.failures.poll(5, TimeUnit.SECONDS);
    assertNotNull(t);
    assertEquals("bad sdp", t.getMessage());
    bob.on(() -> bob.negotiator.onRemoteDescription(SdpType.OFFER, "offer-x-2"));
    assertEquals("answer answer-bob-to-offer-x-2", bob.sent.poll(5, TimeUnit.SECONDS));
  }

  /** alice offered, bob answered, both connected: a session is agreed. */
  private static void agree(Side alice, Side bob) throws Exception {
    alice.other = bob;
    bob.other = alice;
    alice.on(alice.negotiator::negotiationNeeded);
    assertEquals("offer offer-alice-1", alice.sent.poll(5, TimeUnit.SECONDS));
    assertEquals("answer answer-bob-to-offer-alice-1", bob.sent.poll(5, TimeUnit.SECONDS));
    alice.settle();
    alice.on(alice.negotiator::connected);
    bob.on(bob.negotiator::connected);
    alice.settle();
  }

  @Test
  void anAnswerThatLeavesTheLinkRefusingEverythingFreezesNegotiationAndKeepsTheCall() throws Exception {
    Side alice = new Side("alice", false, execA);
    Side bob = new Side("bob", true, execB);
    agree(alice, bob);
    alice.link.failuresAreSessionErrors = true;
    alice.link.failNextSetRemote = true;
    alice.on(alice.negotiator::negotiationNeeded);
    assertEquals("offer offer-alice-2", alice.sent.poll(5, TimeUnit.SECONDS));
    String what = alice.renegotiationFailures.poll(5, TimeUnit.SECONDS);
    assertEquals("their answer could not be applied and this connection accepts no further changes;"
        + " the call goes on as agreed before", what);
    alice.settle();
    assertTrue(alice.failures.isEmpty(), "the call failed: " + alice.failures);
    alice.on(alice.negotiator::negotiationNeeded);
    alice.on(alice.negotiator::restartIce);
    alice.settle();
    assertEquals(null, alice.sent.poll(), "offered after the link refuses everything");
  }

  @Test
  void aChangeWithNoAnswerIsRolledBackAfterTheWaitAndTheNextChangeIsOffered() throws Exception {
    Side alice = new Side("alice", false, execA, Duration.ofMillis(200));
    Side bob = new Side("bob", true, execB);
    agree(alice, bob);
    alice.other = null; // bob never hears of the next offer
    alice.on(alice.negotiator::negotiationNeeded);
    assertEquals("offer offer-alice-2", alice.sent.poll(5, TimeUnit.SECONDS));
    assertEquals("our offer got no answer; the call goes on as agreed before",
        alice.renegotiationFailures.poll(5, TimeUnit.SECONDS));
    alice.settle();
    assertEquals(SignalingState.STABLE, alice.link.signalingState());
    assertTrue(alice.failures.isEmpty(), "the call failed: " + alice.failures);
    alice.other = bob;
    alice.on(alice.negotiator::negotiationNeeded);
    assertEquals("offer offer-alice-3", alice.sent.poll(5, TimeUnit.SECONDS));
    assertEquals("answer answer-bob-to-offer-alice-3", bob.sent.poll(5, TimeUnit.SECONDS));
    alice.settle();
    assertEquals(null, alice.renegotiationFailures.poll(400, TimeUnit.MILLISECONDS), "an answered offer timed out");
  }
}
