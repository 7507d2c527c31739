package dev.simplecall.transport.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.protocol.ErrorCode;
import dev.simplecall.protocol.Ids;
import dev.simplecall.spi.SignalingTransport;
import dev.simplecall.spi.TransportException;
import dev.simplecall.spi.TransportOptions;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The MQTT transport against a real mosquitto on loopback. */
class MqttTransportTest {
  private static final AtomicInteger ROOMS = new AtomicInteger();
  private static MosquittoBroker broker;
  private final List<SignalingTransport> opened = new ArrayList<>();
  private final String room = "room-" + ROOMS.incrementAndGet() + "-" + Ids.newId().substring(0, 6).replaceAll("[^A-Za-z0-9]", "x");

  @BeforeAll
  static void startBroker() throws IOException {
    broker = MosquittoBroker.builder().build().start();
  }

  @AfterAll
  static void stopBroker() throws IOException {
    if (broker != null) broker.close();
  }

  @AfterEach
  void closeAll() {
    opened.forEach(SignalingTransport::close);
  }

  static TransportOptions options(String room, String peer) {
    // The connect timeout bounds one attempt. At its default (10 s) a single attempt that hangs uses
    // up the whole 10 s a test waits for the transport to open again: once, on a loaded 2-core machine,
    // a reconnect did not open within 10 s while no failed attempt was logged. 3 s leaves room for
    // the next attempt; the attempts are logged at debug (logback-test.xml) to show the cause next time.
    return TransportOptions.builder().room(room).peerId(peer).connectTimeout(Duration.ofSeconds(3))
        .initialBackoff(Duration.ofMillis(100)).maxBackoff(Duration.ofMillis(400)).build();
  }

  SignalingTransport open(MqttTransportFactory factory, URI uri, String peer, Recorder r) {
    SignalingTransport t = factory.create(uri, options(room, peer), r);
    opened.add(t);
    return t;
  }

  SignalingTransport open(String peer, Recorder r) {
    return open(new MqttTransportFactory(), broker.uri(), peer, r);
  }

  static MqttTransportFactory killable(KillableSocketFactory sockets) {
    MqttConnectOptions o = new MqttConnectOptions();
    o.setSocketFactory(sockets);
    o.setKeepAliveInterval(20);
    return MqttTransportFactory.create(o);
  }

  static String offer(String room, String from, String to, String sdp) {
    return EnvelopeCodec.encode(new Envelope.Offer(Ids.newId(), room, from, to, sdp));
  }

  @Test
  void welcomeListsPeersAlreadyInTheRoomAndOthersSeePeerJoined() throws Exception {
    Recorder alice = new Recorder("alice");
    open("alice", alice);
    assertEquals(List.of(), alice.joined().peers());

    Recorder bob = new Recorder("bob");
    open("bob", bob);
    Envelope.Welcome w = bob.joined();
    assertEquals(List.of("alice"), w.peers());
    assertEquals("bob", w.to());
    assertEquals(room, w.room());
    assertEquals("bob", alice.message(Envelope.PeerJoined.class).peer());

    Recorder carol = new Recorder("carol");
    open("carol", carol);
    assertEquals(Set.of("alice", "bob"), Set.copyOf(carol.joined().peers()));
    assertEquals("carol", alice.message(Envelope.PeerJoined.class).peer());
    assertEquals("carol", bob.message(Envelope.PeerJoined.class).peer());
  }

  @Test
  void messagesArriveInOrderWithSenderTakenFromTheTopic() throws Exception {
    Recorder alice = new Recorder("alice");
    Recorder bob = new Recorder("bob");
    SignalingTransport a = open("alice", alice);
    alice.joined();
    SignalingTransport b = open("bob", bob);
    bob.joined();
    alice.message(Envelope.PeerJoined.class);

    // the payload claims to come from mallory and another room: the topic says alice, this room
    assertTrue(a.send(offer("elsewhere", "mallory", "bob", "v=0 offer")));
    Envelope.Offer got = bob.message(Envelope.Offer.class);
    assertEquals("alice", got.from());
    assertEquals(room, got.room());
    assertEquals("v=0 offer", got.sdp());

    for (int i = 0; i < 100; i++) {
      a.send(EnvelopeCodec.encode(new Envelope.Candidate(Ids.newId(), room, "alice", "bob",
          new Envelope.IceCandidate("candidate:" + i, "0", 0))));
    }
    for (int i = 0; i < 100; i++) {
      assertEquals("candidate:" + i, bob.message(Envelope.Candidate.class).candidate().candidate());
    }
    b.send(EnvelopeCodec.encode(new Envelope.Answer(Ids.newId(), room, "bob", "alice", "v=0 answer")));
    assertEquals("v=0 answer", alice.message(Envelope.Answer.class).sdp());
    alice.assertQuiet();
    bob.assertQuiet();
  }

  @Test
  void aDuplicatedMessageIdIsDeliveredOnce() throws Exception {
    Recorder alice = new Recorder("alice");
    Recorder bob = new Recorder("bob");
    SignalingTransport a = open("alice", alice);
    alice.joined();
    open("bob", bob);
    bob.joined();
    String text = offer(room, "alice", "bob", "once");
    a.send(text);
    a.send(text);
    a.send(offer(room, "alice", "bob", "marker"));
    assertEquals("once", bob.message(Envelope.Offer.class).sdp());
    assertEquals("marker", bob.message(Envelope.Offer.class).sdp());
  }

  @Test
  void closeClearsPresenceEndsWithOneClosedAndRefusesLaterSends() throws Exception {
    Recorder alice = new Recorder("alice");
    Recorder bob = new Recorder("bob");
    open("alice", alice);
    alice.joined();
    SignalingTransport b = open("bob", bob);
    bob.joined();
    alice.message(Envelope.PeerJoined.class);

    b.close();
    b.close();
    bob.expect("closed");
    assertFalse(b.send(offer(room, "bob", "alice", "late")));
    assertEquals("bob", alice.message(Envelope.PeerLeft.class).peer());

    Recorder carol = new Recorder("carol");
    open("carol", carol);
    assertEquals(List.of("alice"), carol.joined().peers(), "bob's retained presence must be gone");
    alice.message(Envelope.PeerJoined.class);
    bob.assertQuiet();
    alice.assertQuiet();
  }

  @Test
  void leaveClearsPresenceButKeepsTheLink() throws Exception {
    Recorder alice = new Recorder("alice");
    Recorder bob = new Recorder("bob");
    SignalingTransport a = open("alice", alice);
    alice.joined();
    SignalingTransport b = open("bob", bob);
    bob.joined();
    alice.message(Envelope.PeerJoined.class);

    b.send(EnvelopeCodec.encode(new Envelope.Leave(Ids.newId(), room, "bob")));
    assertEquals("bob", alice.message(Envelope.PeerLeft.class).peer());
    a.send(offer(room, "alice", "bob", "still reachable"));
    assertEquals("still reachable", bob.message(Envelope.Offer.class).sdp());
    b.send(EnvelopeCodec.encode(new Envelope.Join(Ids.newId(), room, "bob", null)));
    assertEquals("bob", alice.message(Envelope.PeerJoined.class).peer());
  }

  @Test
  void unroutableSendsAreAnsweredWithAnErrorAndTheLinkStays() throws Exception {
    Recorder alice = new Recorder("alice");
    Recorder bob = new Recorder("bob");
    SignalingTransport a = open("alice", alice);
    alice.joined();
    open("bob", bob);
    bob.joined();
    alice.message(Envelope.PeerJoined.class);

    assertTrue(a.send("{not json"));
    assertEquals(ErrorCode.BAD_JSON, alice.message(Envelope.Error.class).errorCode());
    String badTo = EnvelopeCodec.encode(new Envelope.Offer("id-1", room, "alice", "no/such/peer", "x"));
    a.send(badTo);
    Envelope.Error e = alice.message(Envelope.Error.class);
    assertEquals(ErrorCode.BAD_NAME, e.errorCode());
    assertEquals("id-1", e.ref());
    a.send(EnvelopeCodec.encode(new Envelope.PeerJoined("id-2", room, "zed")));
    assertEquals(ErrorCode.UNKNOWN_TYPE, alice.message(Envelope.Error.class).errorCode());

    a.send(offer(room, "alice", "bob", "fine"));
    assertEquals("fine", bob.message(Envelope.Offer.class).sdp());
  }

  @Test
  void aCutConnectionFiresTheLastWillThenReconnectsAndReannounces() throws Exception {
    KillableSocketFactory bobSockets = new KillableSocketFactory();
    Recorder alice = new Recorder("alice");
    Recorder bob = new Recorder("bob");
    SignalingTransport a = open("alice", alice);
    alice.joined();
    open(killable(bobSockets), broker.uri(), "bob", bob);
    bob.joined();
    alice.message(Envelope.PeerJoined.class);

    bobSockets.block(true);
    bobSockets.cutAll();
    bob.expect("reconnecting");
    assertEquals("bob", alice.message(Envelope.PeerLeft.class).peer(), "the Last Will must clear bob's presence");

    // sent while bob is away: kept in bob's persistent session on the broker
    a.send(offer(room, "alice", "bob", "while away 1"));
    a.send(offer(room, "alice", "bob", "while away 2"));
    bobSockets.block(false);

    Envelope.Welcome w = bob.joined();
    assertEquals(List.of("alice"), w.peers());
    assertEquals("while away 1", bob.message(Envelope.Offer.class).sdp());
    assertEquals("while away 2", bob.message(Envelope.Offer.class).sdp());
    assertEquals("bob", alice.message(Envelope.PeerJoined.class).peer());
    bob.assertQuiet();
  }

  @Test
  void sendsQueuedWhileDisconnectedGoOutInOrderAfterReconnect() throws Exception {
    KillableSocketFactory aliceSockets = new KillableSocketFactory();
    Recorder alice = new Recorder("alice");
    Recorder bob = new Recorder("bob");
    SignalingTransport a = open(killable(aliceSockets), broker.uri(), "alice", alice);
    alice.joined();
    open("bob", bob);
    bob.joined();
    alice.message(Envelope.PeerJoined.class);

    aliceSockets.block(true);
    aliceSockets.cutAll();
    alice.expect("reconnecting");
    for (int i = 0; i < 5; i++) assertTrue(a.send(offer(room, "alice", "bob", "queued " + i)));
    aliceSockets.block(false);
    assertEquals(List.of("bob"), alice.joined().peers());
    assertEquals("alice", bob.message(Envelope.PeerLeft.class).peer());
    // bob sees alice come back, and the five offers in order (how they interleave with
    // peer-joined depends on the broker, so collect them)
    List<String> sdps = new ArrayList<>();
    boolean rejoined = false;
    while (sdps.size() < 5 || !rejoined) {
      Envelope m = bob.message();
      if (m instanceof Envelope.PeerJoined pj) {
        assertEquals("alice", pj.peer());
        rejoined = true;
      } else {
        sdps.add(((Envelope.Offer) m).sdp());
      }
    }
    assertEquals(List.of("queued 0", "queued 1", "queued 2", "queued 3", "queued 4"), sdps);
  }

  @Test
  void aNewTransportDoesNotReceiveWhatWasQueuedForAnEarlierOne() throws Exception {
    KillableSocketFactory bobSockets = new KillableSocketFactory();
    Recorder alice = new Recorder("alice");
    Recorder bob = new Recorder("bob");
    SignalingTransport a = open("alice", alice);
    alice.joined();
    SignalingTransport b = open(killable(bobSockets), broker.uri(), "bob", bob);
    bob.joined();
    bobSockets.block(true);
    bobSockets.cutAll();
    bob.expect("reconnecting");
    a.send(offer(room, "alice", "bob", "stale"));
    b.close(); // while away: the broker still holds bob's session with the stale offer
    bob.expect("closed");

    Recorder bob2 = new Recorder("bob2");
    open("bob", bob2);
    bob2.joinedPerhapsAfterARetry(); // it drops bob's stale session first
    a.send(offer(room, "alice", "bob", "fresh"));
    assertEquals("fresh", bob2.message(Envelope.Offer.class).sdp());
  }

  @Test
  void keepAlivePingsHoldAnIdleLinkOpen() throws Exception {
    MqttConnectOptions o = new MqttConnectOptions();
    o.setKeepAliveInterval(1); // mosquitto drops a client silent for 1.5 keep-alives
    MqttTransportFactory pinging = MqttTransportFactory.create(o);
    Recorder alice = new Recorder("alice");
    Recorder bob = new Recorder("bob");
    open(pinging, broker.uri(), "alice", alice);
    alice.joined();
    SignalingTransport b = open(pinging, broker.uri(), "bob", bob);
    bob.joined();
    alice.message(Envelope.PeerJoined.class);

    // idle for 4 keep-alive periods: without working pings both links would drop (and Wills fire)
    assertEquals(null, alice.poll(Duration.ofSeconds(4)), "alice's idle link must stay up");
    b.send(offer(room, "bob", "alice", "after idling"));
    assertEquals("after idling", alice.message(Envelope.Offer.class).sdp());
    bob.assertQuiet();
  }

  @Test
  void anUnreachableBrokerEndsInOneUnreachableFailure() throws Exception {
    Recorder r = new Recorder("alone");
    URI nothing = URI.create("mqtt://127.0.0.1:" + freePort());
    SignalingTransport t = new MqttTransportFactory().create(nothing, options(room, "alone").newBuilder()
        .giveUpAfter(Duration.ofMillis(800)).build(), r);
    opened.add(t);
    r.expect("reconnecting"); // each failed attempt is an outage, reported once
    Recorder.Event e = r.next(10);
    assertEquals("failure", e.kind());
    assertEquals(TransportException.Kind.UNREACHABLE.name(), e.text());
    assertFalse(t.send(offer(room, "alone", "bob", "x")));
    r.assertQuiet();
  }

  private static int freePort() throws IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
