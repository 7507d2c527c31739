package dev.simplecall.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.simplecall.AnswerMode;
import dev.simplecall.CallException;
import dev.simplecall.CallSession;
import dev.simplecall.CallState;
import dev.simplecall.EndReason;
import dev.simplecall.IceTransportPolicy;
import dev.simplecall.InMemorySignaling;
import dev.simplecall.IncomingCall;
import dev.simplecall.MediaOptions;
import dev.simplecall.SessionOptions;
import dev.simplecall.internal.webrtc.WebRtcPeer.IceState;
import dev.simplecall.protocol.Envelope;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The call rules of {@link CallController} (busy, decline, no answer, glare, hang-up, a remote peer
 * that vanishes) with real sessions on the in-memory hub and a fake peer connection
 * ({@link FakeCallMedia}): no libwebrtc, so they run in the fast tier. Rules that wait seconds run on a
 * virtual clock ({@link #elapse}), so they take milliseconds and their timings are exact.
 */
@Tag("fast")
class CallRulesTest {
  private static final long WAIT_S = 10;
  private final InMemorySignaling hub = new InMemorySignaling();
  private final List<ClientContext> contexts = new ArrayList<>();
  /** The clock of the parties joined with {@code onClock}: it moves only in {@link #elapse}. */
  private final VirtualTimers clock = new VirtualTimers();
  private final List<Party> onClock = new ArrayList<>();

  /** One peer: its session, what it heard, its fake media. */
  private static final class Party extends CallSession.Listener {
    final BlockingQueue<CallState> states = new LinkedBlockingQueue<>();
    final BlockingQueue<EndReason> ended = new LinkedBlockingQueue<>();
    final BlockingQueue<IncomingCall> incoming = new LinkedBlockingQueue<>();
    final BlockingQueue<Set<String>> joined = new LinkedBlockingQueue<>();
    final List<String> progress = new CopyOnWriteArrayList<>();
    final BlockingQueue<String> video = new LinkedBlockingQueue<>();
    FakeCallMedia media;
    SessionImpl session;
    ClientContext ctx;

    @Override
    public void onStateChanged(CallSession s, CallState state) {
      states.add(state);
    }

    @Override
    public void onJoined(CallSession s, Set<String> peers) {
      joined.add(peers);
    }

    @Override
    public void onIncomingCall(CallSession s, IncomingCall call) {
      incoming.add(call);
    }

    @Override
    public void onProgress(CallSession s, String step) {
      progress.add(step);
    }

    @Override
    public void onEnded(CallSession s, EndReason reason, CallException error) {
      ended.add(reason);
    }

    @Override
    public void onRemoteVideoStalled(CallSession s) {
      video.add("stalled");
    }

    @Override
    public void onRemoteVideoResumed(CallSession s, long stalledMs) {
      video.add("resumed " + stalledMs);
    }

    void awaitState(CallState want) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
      for (CallState s; (s = states.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) != want; ) {
        if (s == null) fail(session.peerId() + ": no " + want + "; progress: " + progress);
        if (s == CallState.ENDED) fail(session.peerId() + ": ended (" + ended.peek() + ") waiting for " + want + "; progress: " + progress);
      }
    }

    EndReason awaitEnded() throws InterruptedException {
      EndReason r = ended.poll(WAIT_S, TimeUnit.SECONDS);
      assertNotNull(r, session.peerId() + ": did not end; progress: " + progress);
      return r;
    }

    void awaitProgress(String fragment) {
      await().atMost(Duration.ofSeconds(WAIT_S)).pollInterval(Duration.ofMillis(5))
          .alias(session.peerId() + ": progress \"" + fragment + "\"")
          .until(() -> progress.stream().anyMatch(p -> p.contains(fragment)));
    }
  }

  private Party join(String id, AnswerMode mode, UnaryOperator<SessionOptions.Builder> tune) throws InterruptedException {
    return join(id, mode, tune, false);
  }

  private Party join(String id, AnswerMode mode) throws InterruptedException {
    return join(id, mode, b -> b, false);
  }

  /** A party whose call rules are timed by {@link #clock}. */
  private Party joinOnClock(String id) throws InterruptedException {
    return join(id, AnswerMode.AUTO, b -> b, true);
  }

  private Party join(String id, AnswerMode mode, UnaryOperator<SessionOptions.Builder> tune, boolean virtual)
      throws InterruptedException {
    Party p = new Party();
    p.media = new FakeCallMedia(id);
    p.ctx = new ClientContext(List.of(), IceTransportPolicy.ALL, MediaOptions.defaults(), null, null,
        (c, m) -> p.media, virtual ? clock : null);
    contexts.add(p.ctx);
    if (virtual) onClock.add(p);
    SessionOptions options = tune.apply(SessionOptions.builder().signaling(URI.create("memory://rules"))
        .room("rules").peerId(id).answerMode(mode)).build();
    p.session = SessionImpl.create(p.ctx, hub.transportFactory(), options, p);
    p.session.start();
    assertNotNull(p.joined.poll(WAIT_S, TimeUnit.SECONDS), id + " did not join");
    return p;
  }

  /**
   * Moves {@link #clock} forward in 10 ms steps until {@code done} holds or {@code limit} has passed;
   * after each step the parties on the clock have run what fell due (and what that posted) and told
   * their listeners. Returns the virtual milliseconds that passed.
   */
  private long elapse(Duration limit, BooleanSupplier done) throws InterruptedException {
    long ms = 0;
    while (ms < limit.toMillis() && !done.getAsBoolean()) {
      clock.advance(Duration.ofMillis(10));
      ms += 10;
      for (Party p : onClock) settle(p);
    }
    return ms;
  }

  /** Waits until {@code p}'s session thread, then its listener's executor, has nothing left to run. */
  private static void settle(Party p) throws InterruptedException {
    for (int i = 0; i < 3; i++) { // a task may post one more (a completed future's async stage)
      CountDownLatch l = new CountDownLatch(1);
      if (!p.session.core().run(l::countDown)) break; // the session is over
      assertTrue(l.await(WAIT_S, TimeUnit.SECONDS), p.session.peerId() + ": session thread busy");
    }
    CountDownLatch l = new CountDownLatch(1);
    p.ctx.appExecutor().execute(l::countDown);
    assertTrue(l.await(WAIT_S, TimeUnit.SECONDS), p.session.peerId() + ": listener thread busy");
  }

  /** {@code caller} calls {@code callee} (AUTO), and both are connected. */
  private static void connect(Party caller, Party callee) throws InterruptedException {
    caller.session.call(callee.session.peerId());
    caller.awaitState(CallState.CONNECTED);
    callee.awaitState(CallState.CONNECTED);
  }

  @AfterEach
  void closeAll() {
    for (ClientContext c : contexts) c.close();
  }

  @Test
  void aCallConnectsExchangesCandidatesAndAHangUpEndsBothSides() throws Exception {
    Party alice = join("alice", AnswerMode.AUTO);
    Party bob = join("bob", AnswerMode.AUTO);
    connect(alice, bob);
    assertEquals("bob", alice.session.remotePeerId());
    assertEquals("alice", bob.session.remotePeerId());
    assertEquals("offer-alice0-1", bob.media.peer().link.remoteSdp(), "bob answered alice's offer");
    awaitCandidate(bob.media.peer(), "alice0");
    awaitCandidate(alice.media.peer(), "bob0");

    alice.session.hangUp();
    assertEquals(EndReason.HANGUP, alice.awaitEnded());
    assertEquals(EndReason.REMOTE_HANGUP, bob.awaitEnded());
    for (Party p : List.of(alice, bob)) {
      assertTrue(p.media.peer().closed, p.session.peerId() + ": peer connection not closed");
      assertTrue(p.media.released, p.session.peerId() + ": media not released");
      // an ended session answers at once, never with a future that hangs
      assertTrue(p.session.awaitReleased(WAIT_S, TimeUnit.SECONDS));
      for (CompletableFuture<?> f : List.of(p.session.stats(), p.session.microphoneLevel())) {
        assertTrue(f.isCompletedExceptionally(), p.session.peerId() + ": " + f);
      }
    }
  }

  @Test
  void aThirdCallerHearsBusyAndTheCallInProgressGoesOn() throws Exception {
    Party alice = join("alice", AnswerMode.AUTO);
    Party bob = join("bob", AnswerMode.AUTO);
    connect(alice, bob);
    assertNotNull(bob.incoming.poll(WAIT_S, TimeUnit.SECONDS)); // alice's call

    Party carol = join("carol", AnswerMode.AUTO);
    carol.session.call("bob");
    assertEquals(EndReason.BUSY, carol.awaitEnded());

    assertEquals(CallState.CONNECTED, bob.session.state());
    assertEquals(CallState.CONNECTED, alice.session.state());
    assertEquals(1, bob.media.peers.size(), "bob made a peer connection for carol");
    assertTrue(bob.incoming.isEmpty(), "bob was offered carol's call while in a call");
    assertTrue(alice.ended.isEmpty() && bob.ended.isEmpty());
  }

  @Test
  void aDeclinedCallEndsDeclinedAndTheCalleeMakesNoPeerConnection() throws Exception {
    Party alice = join("alice", AnswerMode.AUTO);
    Party bob = join("bob", AnswerMode.ASK);

    alice.session.call("bob");
    IncomingCall call = bob.incoming.poll(WAIT_S, TimeUnit.SECONDS);
    assertNotNull(call, "bob was not asked");
    assertEquals("alice", call.from());
    call.decline();

    assertEquals(EndReason.DECLINED, alice.awaitEnded());
    assertTrue(bob.media.peers.isEmpty(), "bob made a peer connection for a call he declined");
    assertTrue(bob.ended.isEmpty(), "declining a call does not end bob's session");
  }

  @Test
  void anUnansweredCallEndsNoAnswerAndTheCalleeForgetsIt() throws Exception {
    Party alice = join("alice", AnswerMode.AUTO, b -> b.noAnswerTimeout(Duration.ofMillis(300)));
    Party bob = join("bob", AnswerMode.ASK);

    alice.session.call("bob");
    IncomingCall call = bob.incoming.poll(WAIT_S, TimeUnit.SECONDS);
    assertNotNull(call, "bob was not asked");
    assertEquals(EndReason.NO_ANSWER, alice.awaitEnded());
    bob.awaitProgress("caller alice gave up");

    call.accept(); // too late: the call it answers is gone
    bob.awaitProgress("gave up"); // (already there) and nothing else follows from the late accept:
    assertTrue(bob.media.peers.isEmpty(), "a late accept made a peer connection");
    assertTrue(bob.ended.isEmpty());
  }

  @Test
  void messagesOfTwoSendersThatShareAnIdAreBothHandled() throws Exception {
    Party alice = join("alice", AnswerMode.AUTO);
    join("bob", AnswerMode.AUTO);
    // ids are each sender's own: carol's bye and bob's offer both say "same"
    assertTrue(hub.inject("alice", "{\"v\":1,\"type\":\"bye\",\"id\":\"same\",\"room\":\"rules\",\"from\":\"carol\",\"to\":\"alice\"}"));
    assertTrue(hub.inject("alice", "{\"v\":1,\"type\":\"offer\",\"id\":\"same\",\"room\":\"rules\",\"from\":\"bob\",\"to\":\"alice\",\"sdp\":\"offer-bob\"}"));
    alice.awaitState(CallState.CONNECTING); // bob's offer was taken
    await().atMost(Duration.ofSeconds(WAIT_S)).alias("alice's peer connection").until(() -> !alice.media.peers.isEmpty());
    awaitLog(alice.media.peer().link, "remote OFFER offer-bob");
    // the same sender's same id again is a repeat, and dropped
    assertTrue(hub.inject("alice", "{\"v\":1,\"type\":\"bye\",\"id\":\"same\",\"room\":\"rules\",\"from\":\"bob\",\"to\":\"alice\"}"));
    assertTrue(hub.inject("alice", "{\"v\":1,\"type\":\"candidate\",\"id\":\"c1\",\"room\":\"rules\",\"from\":\"bob\","
        + "\"to\":\"alice\",\"candidate\":{\"candidate\":\"candidate:1 1 udp 1 10.0.0.2 9 typ host marker\",\"sdpMid\":\"0\"}}"));
    awaitCandidate(alice.media.peer(), "marker"); // a marker after the repeat
    assertTrue(alice.ended.isEmpty(), "bob's repeated id ended the call: " + alice.ended.peek());
  }

  @Test
  void twoPeersCallingEachOtherAtOnceEndUpInOneCall() throws Exception {
    Party alice = join("alice", AnswerMode.AUTO);
    Party bob = join("bob", AnswerMode.AUTO);

    alice.session.call("bob");
    bob.session.call("alice");
    alice.awaitState(CallState.CONNECTED);
    bob.awaitState(CallState.CONNECTED);

    assertEquals("bob", alice.session.remotePeerId());
    assertEquals("alice", bob.session.remotePeerId());
    assertEquals(1, alice.media.peers.size());
    assertEquals(1, bob.media.peers.size());
    // Which offer wins depends on timing (an offer that arrives before the other side made its own is
    // simply answered, and the other's queued offer follows as a renegotiation); either way both sides
    // settle with one offer and its answer, and the impolite alice never rolls back.
    FakePeerLink a = alice.media.peer().link;
    FakePeerLink b = bob.media.peer().link;
    await().atMost(Duration.ofSeconds(WAIT_S)).alias("both sides stable on the same descriptions").until(() ->
        a.signalingState() == PeerLink.SignalingState.STABLE && b.signalingState() == PeerLink.SignalingState.STABLE
            && java.util.Objects.equals(a.localSdp(), b.remoteSdp()) && java.util.Objects.equals(b.localSdp(), a.remoteSdp()));
    assertTrue(a.localSdp().startsWith("offer-") != b.localSdp().startsWith("offer-"), "not one offer and one answer: " + a.log + " / " + b.log);
    assertTrue(a.log.stream().noneMatch(l -> l.startsWith("local ROLLBACK")), "the impolite peer rolled back: " + a.log);
    assertTrue(alice.ended.isEmpty() && bob.ended.isEmpty());
  }

  @Test
  void aPeerThatVanishesEndsTheCallRemoteGoneWhenItsMediaStops() throws Exception {
    Party alice = join("alice", AnswerMode.AUTO);
    Party bob = join("bob", AnswerMode.AUTO);
    connect(alice, bob);

    hub.disconnect("bob"); // no bye: bob's process or network is gone
    alice.awaitProgress("bob left signaling; the call lasts while media flows");
    assertEquals(CallState.CONNECTED, alice.session.state());
    alice.media.peer().fire(e -> e.onConnectionState(IceState.DISCONNECTED));
    assertEquals(EndReason.REMOTE_GONE, alice.awaitEnded());
  }

  @Test
  void aPeerWhoseProcessDiedEndsTheCallRemoteGoneWithinTwoSecondsOfLeaving() throws Exception {
    Party alice = joinOnClock("alice");
    Party bob = join("bob", AnswerMode.AUTO);
    connect(alice, bob);

    alice.media.peer().mediaArrives = false; // nothing more from bob: his process is gone
    hub.disconnect("bob");
    alice.awaitProgress("bob left signaling; the call lasts while media flows");
    long ms = elapse(Duration.ofSeconds(5), () -> !alice.ended.isEmpty());
    assertEquals(EndReason.REMOTE_GONE, alice.awaitEnded()); // no ICE event needed
    assertTrue(ms < 2000, "ended " + ms + " ms after bob left");
    assertTrue(ms >= ActiveCall.MEDIA_GONE_AFTER.toMillis(), "ended before the media could be missed: " + ms + " ms");
  }

  @Test
  void theAppHearsWhenRemoteVideoStallsAndWhenItResumesWithTheGap() throws Exception {
    Party alice = joinOnClock("alice");
    Party bob = join("bob", AnswerMode.AUTO);
    connect(alice, bob);
    FakeCallMedia.Peer a = alice.media.peer();
    a.videoArrives = false;
    a.fire(e -> e.onFirstRemoteFrame()); // the first frame, and no more
    alice.awaitProgress("first remote frame");

    long stalledAfter = elapse(Duration.ofSeconds(5), () -> !alice.video.isEmpty());
    assertEquals("stalled", alice.video.poll());
    assertTrue(stalledAfter >= ActiveCall.STALL_AFTER.toMillis()
        && stalledAfter <= ActiveCall.STALL_AFTER.plus(ActiveCall.STALL_CHECK).toMillis(),
        "stalled after " + stalledAfter + " ms without frames");
    assertTrue(alice.progress.contains("remote video stalled"), alice.progress.toString());

    long moreMs = elapse(Duration.ofMillis(500), () -> false); // the gap goes on
    a.videoArrives = true;
    long resumedAfter = elapse(Duration.ofSeconds(5), () -> !alice.video.isEmpty());
    String resumed = alice.video.poll();
    assertNotNull(resumed, "no resume");
    long gap = Long.parseLong(resumed.substring("resumed ".length()));
    assertEquals(stalledAfter + moreMs + resumedAfter, gap, "the gap is the time from the last frame to the next");
    assertTrue(resumedAfter <= ActiveCall.STALL_CHECK.toMillis(), "resume seen " + resumedAfter + " ms after frames came back");
    assertEquals(CallState.CONNECTED, alice.session.state(), "a stall does not change the call's state");
  }

  @Test
  void aPeerThatOnlyLostItsSignalingStaysInTheCallWhileItsMediaFlows() throws Exception {
    Party alice = joinOnClock("alice");
    Party bob = join("bob", AnswerMode.AUTO);
    connect(alice, bob);

    hub.disconnect("bob"); // bob's media keeps arriving
    alice.awaitProgress("bob left signaling; the call lasts while media flows");
    FakeCallMedia.Peer a = alice.media.peer();
    // a second past the 1.5 s a dead peer gets
    elapse(ActiveCall.MEDIA_GONE_AFTER.plusSeconds(1), () -> false);
    assertTrue(a.bytesAsked.get() >= 5, "media checked " + a.bytesAsked.get() + " times in 2.5 s");
    assertEquals(CallState.CONNECTED, alice.session.state());
    assertTrue(alice.ended.isEmpty(), "ended while bob's media flowed: " + alice.ended.peek());
  }

  @Test
  void anAnswerThatCannotBeAppliedMidCallIsRolledBackOfferedAgainAndTheCallStays() throws Exception {
    Party alice = join("alice", AnswerMode.AUTO);
    Party bob = join("bob", AnswerMode.AUTO);
    connect(alice, bob);

    FakePeerLink a = alice.media.peer().link;
    a.failSetRemote = 1; // bob's answer to alice's next offer cannot be applied
    alice.media.peer().fire(e -> e.onNegotiationNeeded());
    alice.awaitProgress("their answer could not be applied; offering again");
    awaitLog(a, "remote ANSWER answer-bob0-to-offer-alice0-3"); // the offer made again, answered and applied
    assertTrue(a.log.contains("local ROLLBACK "), a.log.toString());
    assertEquals(CallState.CONNECTED, alice.session.state());
    assertEquals(CallState.CONNECTED, bob.session.state());

    a.failSetRemote = 2; // the second try fails too: the change is given up, the call is not
    alice.media.peer().fire(e -> e.onNegotiationNeeded());
    alice.awaitProgress("their answer could not be applied again; the call goes on as agreed before");
    assertEquals(CallState.CONNECTED, alice.session.state());
    assertEquals(PeerLink.SignalingState.STABLE, a.signalingState());
    assertTrue(alice.ended.isEmpty() && bob.ended.isEmpty(), "a failed renegotiation ended the call");
  }

  @Test
  void anOfferThatCannotBeAppliedMidCallIsRefusedAndTheCallStays() throws Exception {
    Party alice = join("alice", AnswerMode.AUTO);
    Party bob = join("bob", AnswerMode.AUTO);
    connect(alice, bob);

    alice.media.peer().link.failSetRemote = 1;
    bob.media.peer().fire(e -> e.onNegotiationNeeded()); // bob offers; alice cannot apply it
    alice.awaitProgress("their offer could not be applied; the call goes on as agreed before");
    assertEquals(CallState.CONNECTED, alice.session.state());
    // alice's next change still goes through: bob (polite) drops his unanswered offer and answers hers
    alice.media.peer().fire(e -> e.onNegotiationNeeded());
    awaitLog(alice.media.peer().link, "remote ANSWER answer-bob0-to-offer-alice0-2");
    assertEquals(PeerLink.SignalingState.STABLE, bob.media.peer().link.signalingState());
    assertTrue(alice.ended.isEmpty() && bob.ended.isEmpty(), "a refused offer ended the call");
  }

  /** A remote stack that answers the first offer wrongly (as GStreamer's webrtcbin does after glare). */
  @Test
  void aFirstAnswerThatCannotBeAppliedIsOfferedAgainAndTheCallConnects() throws Exception {
    Party alice = join("alice", AnswerMode.AUTO);
    Party bob = join("bob", AnswerMode.AUTO);
    alice.media.failFirstSetRemote = 1;

    alice.session.call("bob");
    alice.awaitState(CallState.CONNECTED);
    bob.awaitState(CallState.CONNECTED);
    assertTrue(alice.progress.stream().anyMatch(p -> p.contains("their answer could not be applied; offering again")));
  }

  @Test
  void aFirstAnswerThatCannotBeAppliedTwiceEndsTheCallFailed() throws Exception {
    Party alice = join("alice", AnswerMode.AUTO);
    Party bob = join("bob", AnswerMode.AUTO);
    alice.media.failFirstSetRemote = 2;

    alice.session.call("bob");
    assertEquals(EndReason.FAILED, alice.awaitEnded());
  }

  private static void awaitLog(FakePeerLink link, String entry) {
    await().atMost(Duration.ofSeconds(WAIT_S)).pollInterval(Duration.ofMillis(5))
        .alias(link.name + " logs \"" + entry + "\"").until(() -> link.log.contains(entry));
  }

  private static void awaitCandidate(FakeCallMedia.Peer at, String from) {
    await().atMost(Duration.ofSeconds(WAIT_S)).pollInterval(Duration.ofMillis(5)).alias("a candidate from " + from)
        .until(() -> at.link.added.stream().map(Envelope.IceCandidate::candidate).anyMatch(c -> c.contains(from)));
  }
}
