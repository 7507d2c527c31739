package dev.simplecall.testing;

import static dev.simplecall.testing.RecordingTransportListener.assertSendRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.protocol.Ids;
import dev.simplecall.spi.SignalingTransport;
import dev.simplecall.spi.SignalingTransportFactory;
import dev.simplecall.spi.TransportCapabilities;
import dev.simplecall.spi.TransportException;
import dev.simplecall.spi.TransportOptions;
import dev.simplecall.testing.RecordingTransportListener.Event;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link SignalingTransport} keeps, run against a real signaling service (on the
 * {@link TransportFixture}). A transport module extends this class and says how to start and stop its service and how to address
 * it; the tests take the service away (a restart on the same port, or a {@link TcpProxy} in front of
 * one peer going down) and talk to a {@link TcpProxy#blackHole() black hole} that never answers.
 *
 * <pre>{@code
 * class WebSocketContractTest extends TransportContractTest {
 *   SignalingServer server;
 *   String secret; // null: no auth
 *   protected int startService(int port) { server = SignalingServer.builder().authSecret(secret).port(port == 0 ? TestPorts.restartable() : port).build().start(); return server.port(); }
 *   protected void stopService() { server.close(); }
 *   protected URI endpoint(int port) { return URI.create("ws://127.0.0.1:" + port + "/v1/ws"); }
 *   protected SignalingTransportFactory factory() { return new WebSocketTransportFactory(); }
 *   protected void requireCredentials() throws Exception { takeServiceDown(); secret = SECRET; bringServiceBack(); }
 *   protected Credentials credentials(String peer, int port, boolean accepted) {
 *     return new Credentials(endpoint(port), options(peer).token(new TokenIssuer(accepted ? SECRET : "another secret").issue(peer, ROOM, Duration.ofMinutes(5))).build());
 *   }
 * }
 * }</pre>
 */
public abstract class TransportContractTest extends TransportFixture {
  /**
   * A new transport reports {@code onOpen}, then delivers a {@code welcome} for its room that does not
   * list itself; {@code close()} then ends it with {@code onClosed} and nothing after.
   */
  @Test
  public void opensThenDeliversWelcome() {
    Peer alice = join("alice", servicePort());

    alice.transport().close();
    alice.events().expectClosed();
    alice.events().assertNoMoreEvents(QUIET);
  }

  /**
   * Two peers sending 100 messages to each other at the same time each receive the other's in the order
   * sent, stamped with the sender's id, none lost or delivered twice, every {@code send} accepted.
   *
   * @throws Exception when the second sender's thread fails or does not finish within 10 s
   */
  @Test
  public void messagesFlowBothWaysInOrder() throws Exception {
    Peer alice = join("alice", servicePort());
    Peer bob = join("bob", servicePort());
    assertEquals("bob", alice.events().expectEnvelope(Envelope.PeerJoined.class).peer());

    int count = 100;
    CyclicBarrier start = new CyclicBarrier(2);
    FutureTask<Void> bobSends =
        new FutureTask<>(
            () -> {
              await(start);
              for (int i = 0; i < count; i++) assertTrue(bob.transport().send(answer("bob", "alice", i)));
              return null;
            });
    new Thread(bobSends, "bob-sender").start();
    await(start);
    for (int i = 0; i < count; i++) assertTrue(alice.transport().send(offer("alice", "bob", i)));
    bobSends.get(10, TimeUnit.SECONDS);

    expectOffers(bob, "alice", 0, count);
    for (int i = 0; i < count; i++) {
      Envelope.Answer a = alice.events().expectEnvelope(Envelope.Answer.class);
      assertEquals("answer-" + i, a.sdp(), "answers out of order");
      assertEquals("bob", a.from());
    }
    alice.events().assertNoMoreEvents(QUIET);
    bob.events().assertNoMoreEvents(Duration.ZERO);
  }

  /**
   * Messages a peer sends while the service is down are accepted, kept, and delivered once each and in
   * order after the service restarts and both peers are back (alice's path reopens after bob rejoined).
   *
   * @throws Exception when the fixture cannot stop or restart the service
   */
  @Test
  public void messagesQueuedWhileServiceIsDownArriveAfterRestart() throws Exception {
    TcpProxy alicePath = proxy();
    Peer alice = join("alice", alicePath.port());
    Peer bob = join("bob", servicePort());
    assertEquals("bob", alice.events().expectEnvelope(Envelope.PeerJoined.class).peer());

    takeServiceDown();
    alicePath.stop(); // alice stays away until bob is back, so her messages have someone to reach
    awaitReconnecting(alice);
    awaitReconnecting(bob);
    for (int i = 0; i < 20; i++) assertTrue(alice.transport().send(offer("alice", "bob", i)), "send while down");

    bringServiceBack();
    bob.events().expectOpen();
    assertFalse(bob.events().expectEnvelope(Envelope.Welcome.class).peers().contains("alice"));
    alicePath.start();
    alice.events().expectOpen();
    assertTrue(alice.events().expectEnvelope(Envelope.Welcome.class).peers().contains("bob"));

    assertEquals("alice", bob.events().expectEnvelope(Envelope.PeerJoined.class).peer());
    expectOffers(bob, "alice", 0, 20);
    bob.events().assertNoMoreEvents(QUIET); // none delivered twice
    alice.events().assertNoMoreEvents(Duration.ZERO);
  }

  /**
   * A connection cut under a peer (its {@link TcpProxy} stopped, the service still up) is reported as
   * {@code onReconnecting}, then {@code onOpen} once the path is back; afterwards the peer sees a newcomer
   * join and can send to it.
   */
  @Test
  public void droppedConnectionReconnectsAndWorksAgain() {
    TcpProxy alicePath = proxy();
    Peer alice = join("alice", alicePath.port());

    alicePath.stop();
    awaitReconnecting(alice);
    alicePath.start();
    alice.events().expectOpen();
    // A transport that re-joins delivers a fresh welcome; one that resumed its session need not.
    Peer bob = join("bob", servicePort());
    Envelope next = decode(alice.events().expect("message"));
    if (next instanceof Envelope.Welcome w) {
      assertFalse(w.peers().contains("alice"), "welcome lists the joining peer itself: " + w.peers());
      next = decode(alice.events().expect("message"));
    }
    assertTrue(next instanceof Envelope.PeerJoined pj && pj.peer().equals("bob"), "expected peer-joined bob: " + next);

    assertTrue(alice.transport().send(offer("alice", "bob", 0)));
    expectOffers(bob, "alice", 0, 1);
    alice.events().assertNoMoreEvents(QUIET);
  }

  /**
   * A service restart is reported as {@code onReconnecting}, then {@code onOpen} and a fresh {@code
   * welcome}; the peer then hears a newcomer join and receives its messages.
   *
   * @throws Exception when the fixture cannot stop or restart the service
   */
  @Test
  public void serviceRestartReportsReconnectingThenOpensAgain() throws Exception {
    Peer alice = join("alice", servicePort());

    takeServiceDown();
    awaitReconnecting(alice);
    bringServiceBack();
    alice.events().expectOpen();
    alice.events().expectEnvelope(Envelope.Welcome.class);

    Peer bob = join("bob", servicePort());
    assertEquals("bob", alice.events().expectEnvelope(Envelope.PeerJoined.class).peer());
    assertTrue(bob.transport().send(answer("bob", "alice", 7)));
    assertEquals("answer-7", alice.events().expectEnvelope(Envelope.Answer.class).sdp());
    alice.events().assertNoMoreEvents(QUIET);
  }

  /**
   * Closing twice gives exactly one {@code onClosed}; later sends are refused, and the other peer hears
   * {@code peer-left}.
   */
  @Test
  public void closeEndsWithExactlyOneOnClosedAndLeavesTheRoom() {
    Peer alice = join("alice", servicePort());
    Peer bob = join("bob", servicePort());
    assertEquals("bob", alice.events().expectEnvelope(Envelope.PeerJoined.class).peer());

    alice.transport().close();
    alice.transport().close();
    alice.events().expectClosed();
    assertSendRefused(alice.transport());
    assertEquals("alice", bob.events().expectEnvelope(Envelope.PeerLeft.class).peer());
    alice.events().assertNoMoreEvents(QUIET);
    bob.events().assertNoMoreEvents(Duration.ZERO);
  }

  /** {@code send} returns {@code false} as soon as {@code close()} returns, before and after {@code onClosed}. */
  @Test
  public void sendAfterCloseReturnsFalse() {
    Peer alice = join("alice", servicePort());

    alice.transport().close();
    assertSendRefused(alice.transport()); // at once, before onClosed has necessarily run
    alice.events().expectClosed();
    assertSendRefused(alice.transport());
    alice.events().assertNoMoreEvents(QUIET);
  }

  /**
   * A transport closed while its first attempt hangs (a {@linkplain TcpProxy#blackHole() black hole})
   * reports {@code onClosed} and nothing else: no {@code onOpen}, no {@code onReconnecting}.
   */
  @Test
  public void closeWhileConnectingEndsWithOnClosedOnly() {
    TcpProxy hole = blackHole();
    RecordingTransportListener events = new RecordingTransportListener("alice");
    SignalingTransport t = create(endpoint(hole.port()), options("alice").build(), events);

    t.close();
    events.expectClosed();
    assertSendRefused(t);
    events.assertNoMoreEvents(QUIET);
  }

  /**
   * Against a black hole, an attempt ends after the connect timeout (300 ms here) with {@code
   * onReconnecting}; the transport tries again (at least two connections) and fails with {@code
   * UNREACHABLE} once {@code giveUpAfter} (2 s here) has passed. No {@code onClosed} follows a later
   * {@code close()}.
   */
  @Test
  public void silentServiceTimesOutThenReconnectsThenGivesUp() {
    TcpProxy hole = blackHole();
    RecordingTransportListener events = new RecordingTransportListener("alice");
    TransportOptions opts =
        options("alice").connectTimeout(Duration.ofMillis(300)).giveUpAfter(Duration.ofSeconds(2)).build();
    SignalingTransport t = create(endpoint(hole.port()), opts, events);

    events.expectReconnecting(); // the connect timeout, not a refusal: the black hole accepts
    TransportException failure = events.expectFailure(Duration.ofSeconds(10));
    assertEquals(TransportException.Kind.UNREACHABLE, failure.kind(), failure.toString());
    assertTrue(hole.accepted() >= 2, "expected reconnect attempts, the service saw " + hole.accepted());
    assertSendRefused(t);
    t.close(); // no onClosed after onFailure
    events.assertNoMoreEvents(QUIET);
  }

  /**
   * With {@code maxQueuedMessages(10)} and the link down, ten sends are accepted and the eleventh is
   * refused; once the link is back the ten arrive in order, the refused one never does, and sends are
   * accepted again when the outbox has drained.
   */
  @Test
  public void aFullOutboxRefusesSendsAndLosesNothingItQueued() {
    TcpProxy alicePath = proxy();
    Peer alice = join("alice", alicePath.port(), options("alice").maxQueuedMessages(10).build());
    Peer bob = join("bob", servicePort());
    assertEquals("bob", alice.events().expectEnvelope(Envelope.PeerJoined.class).peer());

    alicePath.stop();
    awaitReconnecting(alice);
    for (int i = 0; i < 10; i++) assertTrue(alice.transport().send(offer("alice", "bob", i)), "send " + i + " while down");
    assertFalse(alice.transport().send(offer("alice", "bob", 99)), "an 11th unsent message fits an outbox of 10");

    alicePath.start();
    alice.events().expectOpen();
    for (int i = 0; i < 10; i++) assertEquals("offer-" + i, nextOfferSkippingPresence(bob, "alice").sdp(), "queued offers lost or out of order");
    // a message leaves the outbox when the network took it (for long-poll: when its POST is answered),
    // which may be a moment after bob has it
    assertTrue(sendWithin(alice.transport(), offer("alice", "bob", 10), Duration.ofSeconds(5)), "the outbox drained: sends are taken again");
    assertEquals("offer-10", nextOfferSkippingPresence(bob, "alice").sdp());
    bob.events().assertNoMoreEvents(QUIET); // the refused one never went out
  }

  /**
   * A transport that promises {@link TransportCapabilities#deliversToReconnectingPeer()} delivers a
   * message sent while the receiver's link was down, before what is sent after it is back; one that
   * does not promise it must still deliver what is sent once the receiver is back.
   */
  @Test
  public void aMessageToAPeerWhoseLinkIsBrieflyDownArrivesIfTheTransportPromisesIt() {
    boolean promised = transportFactory().capabilities().deliversToReconnectingPeer();
    TcpProxy bobPath = proxy();
    Peer alice = join("alice", servicePort());
    Peer bob = join("bob", bobPath.port());
    assertEquals("bob", alice.events().expectEnvelope(Envelope.PeerJoined.class).peer());

    bobPath.stop();
    awaitReconnecting(bob);
    assertTrue(alice.transport().send(offer("alice", "bob", 0)));
    bobPath.start();
    bob.events().expectOpen();
    assertTrue(alice.transport().send(offer("alice", "bob", 1)));

    Envelope.Offer first = nextOfferSkippingPresence(bob, "alice");
    if (promised) {
      assertEquals("offer-0", first.sdp(), "promised delivery to a reconnecting peer, but the message sent meanwhile is lost");
      assertEquals("offer-1", nextOfferSkippingPresence(bob, "alice").sdp());
    } else if (first.sdp().equals("offer-0")) {
      assertEquals("offer-1", nextOfferSkippingPresence(bob, "alice").sdp()); // delivered more than promised
    } else {
      assertEquals("offer-1", first.sdp(), "what is sent after the peer is back must arrive");
    }
  }

  /**
   * A peer whose path stays cut (it keeps trying) is reported to the others as {@code peer-left} within
   * {@link #crashedPeerLeavesWithin()}, by the service's or the transport's presence expiry.
   */
  @Test
  public void aPeerWhoseLinkIsCutForGoodLeavesTheRoom() {
    TcpProxy bobPath = proxy();
    Peer alice = join("alice", servicePort());
    Peer bob = join("bob", bobPath.port());
    assertEquals("bob", alice.events().expectEnvelope(Envelope.PeerJoined.class).peer());

    bobPath.stop(); // bob's end keeps trying; nothing leaves the room for him but the expiry
    Event e = alice.events().next(crashedPeerLeavesWithin());
    assertEquals("message", e.kind(), "alice: " + e);
    assertTrue(decode(e) instanceof Envelope.PeerLeft pl && pl.peer().equals("bob"), "expected peer-left bob: " + e);
    alice.events().assertNoMoreEvents(QUIET);
  }

  /**
   * A message whose payload names another sender and room arrives with the sending peer's own id as
   * {@code from} and the room it joined as {@code room}.
   */
  @Test
  public void theSenderAndRoomAreStampedNeverTakenFromThePayload() {
    Peer alice = join("alice", servicePort());
    Peer bob = join("bob", servicePort());
    assertEquals("bob", alice.events().expectEnvelope(Envelope.PeerJoined.class).peer());

    assertTrue(alice.transport().send(EnvelopeCodec.encode(new Envelope.Offer(Ids.newId(), "elsewhere", "mallory", "bob", "spoofed"))));
    Envelope.Offer o = bob.events().expectEnvelope(Envelope.Offer.class);
    assertEquals("spoofed", o.sdp());
    assertEquals("alice", o.from(), "from is the sending peer's own id");
    assertEquals(ROOM, o.room(), "room is the room the sender joined");
    bob.events().assertNoMoreEvents(QUIET);
  }

  /**
   * Every thread named after a peer ends within seconds of its transport's {@code onClosed}; closing
   * the factory twice is harmless, and the factory makes working transports after it.
   *
   * @throws Exception when interrupted while waiting for the threads to end
   */
  @Test
  public void threadsEndAfterCloseAndTheFactoryWorksAfterItsClose() throws Exception {
    Peer alice = join("thready-alice", servicePort());
    Peer bob = join("thready-bob", servicePort());
    assertEquals("thready-bob", alice.events().expectEnvelope(Envelope.PeerJoined.class).peer());
    assertTrue(alice.transport().send(offer("thready-alice", "thready-bob", 0)));
    expectOffers(bob, "thready-alice", 0, 1);

    bob.transport().close();
    bob.events().expectClosed();
    assertEquals("thready-bob", alice.events().expectEnvelope(Envelope.PeerLeft.class).peer());
    alice.transport().close();
    alice.events().expectClosed();
    assertThreadsEnd("thready-");
    transportFactory().close();
    transportFactory().close(); // idempotent

    Peer carol = join("carol", servicePort()); // a factory used after close() makes its resources again
    carol.transport().close();
    carol.events().expectClosed();
  }

  /**
   * Refused credentials end the transport with {@code onFailure} of kind {@code UNAUTHORIZED} and no
   * retry; accepted ones join, and peers that joined with them reach each other.
   *
   * @throws Exception when {@link #requireCredentials()} fails
   */
  @Test
  public void refusedCredentialsAreTerminalAndAcceptedOnesJoin() throws Exception {
    requireCredentials();
    Credentials wrong = credentials("alice", servicePort(), false);
    RecordingTransportListener refused = new RecordingTransportListener("alice-refused");
    SignalingTransport t = create(wrong.uri(), wrong.options(), refused);
    TransportException failure = refused.expectFailure(RecordingTransportListener.WAIT);
    assertEquals(TransportException.Kind.UNAUTHORIZED, failure.kind(), failure.toString());
    assertSendRefused(t);
    refused.assertNoMoreEvents(Duration.ofSeconds(1)); // no retry loop, no second terminal callback

    Credentials aliceOk = credentials("alice", servicePort(), true);
    Credentials bobOk = credentials("bob", servicePort(), true);
    Peer alice = join("alice", aliceOk.uri(), aliceOk.options());
    Peer bob = join("bob", bobOk.uri(), bobOk.options());
    assertEquals("bob", alice.events().expectEnvelope(Envelope.PeerJoined.class).peer());
    assertTrue(bob.transport().send(answer("bob", "alice", 1)));
    Envelope.Answer a = alice.events().expectEnvelope(Envelope.Answer.class);
    assertEquals("answer-1", a.sdp());
    assertEquals("bob", a.from());
  }

  /**
   * The SDK never sends {@code join} or {@code leave} (the transport joins; {@code close()} leaves), but
   * a transport handed one must not let it speak for another peer: a {@code leave} naming someone else
   * takes out at most the sender, and a {@code join} repeating the sender's own room and id leaves
   * everyone where they are.
   */
  @Test
  public void aJoinOrLeaveThroughSendSpeaksOnlyForTheSender() {
    Peer alice = join("alice", servicePort());
    Peer bob = join("bob", servicePort());
    Peer carol = join("carol", servicePort());
    assertEquals("bob", alice.events().expectEnvelope(Envelope.PeerJoined.class).peer());
    assertEquals("carol", alice.events().expectEnvelope(Envelope.PeerJoined.class).peer());
    assertEquals("carol", bob.events().expectEnvelope(Envelope.PeerJoined.class).peer());

    assertTrue(bob.transport().send(EnvelopeCodec.encode(new Envelope.Join(Ids.newId(), ROOM, "bob", null))));
    assertTrue(carol.transport().send(offer("carol", "bob", 1))); // bob is still himself, in the room
    assertEquals("offer-1", nextOfferSkippingPresence(bob, "carol").sdp());
    assertTrue(carol.transport().send(offer("carol", "alice", 2))); // a marker: alice heard nothing before it
    assertEquals("offer-2", alice.events().expectEnvelope(Envelope.Offer.class).sdp());

    bob.transport().send(EnvelopeCodec.encode(new Envelope.Leave(Ids.newId(), ROOM, "alice")));
    Envelope.PeerLeft left = carol.events().expectEnvelope(Envelope.PeerLeft.class);
    assertEquals("bob", left.peer(), "a leave naming alice, sent by bob, took out someone other than bob");
    assertTrue(carol.transport().send(offer("carol", "alice", 3)));
    for (Envelope e = decode(alice.events().expect("message")); !(e instanceof Envelope.Offer o && o.sdp().equals("offer-3"));
        e = decode(alice.events().expect("message"))) {
      // bob's own departure (and a transport that rejoins by itself: his return) is all alice may hear
      boolean aboutBob = e instanceof Envelope.PeerLeft pl && pl.peer().equals("bob")
          || e instanceof Envelope.PeerJoined pj && pj.peer().equals("bob");
      assertTrue(aboutBob, "alice must still be in the room, hearing only about bob, but got " + e);
    }
  }

  private static void await(CyclicBarrier barrier) {
    try {
      barrier.await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("racers did not start", e);
    }
  }
}
