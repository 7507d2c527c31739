package dev.simplecall.server.mqtt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.protocol.Ids;
import dev.simplecall.server.SignalingServer;
import dev.simplecall.server.TokenIssuer;
import dev.simplecall.server.mqtt.MqttBridgeTest.RawWsPeer;
import dev.simplecall.spi.SignalingTransport;
import dev.simplecall.spi.TransportOptions;
import dev.simplecall.testing.RecordingTransportListener;
import dev.simplecall.transport.mqtt.MqttTransportFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The embedded broker of a server with an auth secret: MQTT clients log in with their peer id and a
 * join token, and reach only their own topics in the token's room (real Moquette, real Paho clients,
 * the real SDK transport, a real WebSocket peer through the bridge).
 */
class EmbeddedBrokerAuthTest {
  private static final String SECRET = "embedded-broker-test-secret";
  private static final int REFUSED = 128;
  private final TokenIssuer issuer = new TokenIssuer(SECRET);
  private final List<AutoCloseable> open = new ArrayList<>();
  private EmbeddedBroker broker;
  private SignalingServer server;
  private OkHttpClient http;
  private String paho;

  // ---- the API under test, in one place
  private static EmbeddedBroker startBroker(String authSecret) throws Exception {
    return EmbeddedBroker.builder().host("127.0.0.1").port(0).authSecret(authSecret).start();
  }

  private static MqttBridge startBridge(SignalingServer server, EmbeddedBroker broker) throws Exception {
    return MqttBridge.start(server, broker);
  }
  // ----

  @BeforeEach
  void start() throws Exception {
    broker = startBroker(SECRET);
    paho = "tcp://127.0.0.1:" + broker.port();
    server = SignalingServer.builder().port(0).authSecret(SECRET).build().start();
    open.add(startBridge(server, broker));
    http = new OkHttpClient();
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
    if (server != null) server.close();
    if (http != null) {
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    }
    if (broker != null) broker.close();
  }

  private String token(String peer, String room) {
    return issuer.issue(peer, room, Duration.ofMinutes(5));
  }

  /** A raw client that logs in as {@code peer} of {@code room} with a valid token and the SDK's client id. */
  private RawMqtt peer(String room, String peer) throws Exception {
    RawMqtt c = RawMqtt.connect(paho, RawMqtt.sdkClientId(room, peer), peer, token(peer, room), true);
    open.add(c);
    return c;
  }

  private SignalingTransport sdkPeer(String room, String peer, RecordingTransportListener events) {
    SignalingTransport t = new MqttTransportFactory().create(broker.uri(),
        TransportOptions.builder().room(room).peerId(peer).token(token(peer, room))
            .initialBackoff(Duration.ofMillis(100)).maxBackoff(Duration.ofMillis(400)).build(), events);
    open.add(t::close);
    return t;
  }

  private RawWsPeer webSocketPeer(String room, String peer) {
    RawWsPeer p = new RawWsPeer();
    p.ws = http.newWebSocket(new Request.Builder().url("ws://127.0.0.1:" + server.port() + "/v1/ws").build(), p);
    p.ws.send("{\"v\":1,\"type\":\"join\",\"id\":\"" + Ids.newId() + "\",\"room\":\"" + room + "\",\"from\":\"" + peer
        + "\",\"token\":\"" + token(peer, room) + "\"}");
    open.add(() -> p.ws.cancel());
    return p;
  }

  private static int refusal(MqttException e) {
    return e.getReasonCode();
  }

  @Test
  void anonymousClientsAreRefused() throws Exception {
    MqttException noUser = assertThrows(MqttException.class,
        () -> RawMqtt.connect(paho, "anon-" + Ids.newId().substring(0, 8), null, null, true));
    assertEquals(MqttException.REASON_CODE_FAILED_AUTHENTICATION, refusal(noUser), noUser.toString());
    MqttException noPassword = assertThrows(MqttException.class,
        () -> RawMqtt.connect(paho, RawMqtt.sdkClientId("r1", "alice"), "alice", null, true));
    assertEquals(MqttException.REASON_CODE_FAILED_AUTHENTICATION, refusal(noPassword), noPassword.toString());
  }

  @Test
  void wrongExpiredOrAnotherPeersTokenIsRefused() throws Exception {
    String aliceId = RawMqtt.sdkClientId("r1", "alice");
    List<String> bad = List.of(
        "not-a-jwt",
        new TokenIssuer("some-other-secret").issue("alice", "r1", Duration.ofMinutes(5)),
        issuer.issue("alice", "r1", Instant.now().minusSeconds(60)), // expired
        token("bob", "r1")); // bob's token presented as alice
    for (String password : bad) {
      MqttException e = assertThrows(MqttException.class, () -> RawMqtt.connect(paho, aliceId, "alice", password, true),
          "accepted password " + password);
      assertEquals(MqttException.REASON_CODE_FAILED_AUTHENTICATION, refusal(e), e.toString());
    }
    // a good token with a client id that is not the one of its own (room, peer)
    MqttException otherId = assertThrows(MqttException.class,
        () -> RawMqtt.connect(paho, RawMqtt.sdkClientId("r2", "alice"), "alice", token("alice", "r1"), true));
    assertEquals(MqttException.REASON_CODE_FAILED_AUTHENTICATION, refusal(otherId), otherId.toString());
    // the bridge's reserved user name with a guessed password
    assertThrows(MqttException.class, () -> RawMqtt.connect(paho, "x", EmbeddedBroker.BRIDGE_USER, "guess", true));
  }

  @Test
  void aPeerWhoseTokenExpiresIsDisconnectedAndTheRoomHearsItLeave() throws Exception {
    RawWsPeer bob = webSocketPeer("r1", "bob");
    bob.next(Envelope.Welcome.class);
    String aliceId = RawMqtt.sdkClientId("r1", "alice");
    String shortToken = issuer.issue("alice", "r1", Duration.ofSeconds(3));
    MqttConnectOptions o = RawMqtt.options("alice", shortToken, true);
    o.setWill("simplecall/v1/r1/presence/alice", new byte[0], 1, true);
    RawMqtt alice = RawMqtt.connect(paho, aliceId, o);
    open.add(alice);
    alice.client.publish("simplecall/v1/r1/presence/alice", "{\"state\":\"online\"}".getBytes(StandardCharsets.UTF_8), 1, true)
        .waitForCompletion(10_000);
    assertEquals("alice", bob.next(Envelope.PeerJoined.class).peer());

    String lost = alice.received.poll(15, TimeUnit.SECONDS);
    assertNotNull(lost, "alice was not disconnected at her token's expiry");
    assertTrue(lost.startsWith("lost "), lost);
    assertEquals("alice", bob.next(Envelope.PeerLeft.class).peer(), "her Last Will told the room");
    MqttException again = assertThrows(MqttException.class, () -> RawMqtt.connect(paho, aliceId, "alice", shortToken, true));
    assertEquals(MqttException.REASON_CODE_FAILED_AUTHENTICATION, refusal(again), again.toString());
  }

  @Test
  void aPeerSubscribesOnlyToItsOwnInboxAndItsRoomsPresence() throws Exception {
    RawMqtt alice = peer("r1", "alice");
    String[] filters = {
        "simplecall/v1/r1/to/alice/from/+", // own inbox
        "simplecall/v1/r1/to/alice/from/bob",
        "simplecall/v1/r1/presence/+", // own room's presence
        "simplecall/v1/r1/to/bob/from/+", // another peer's inbox
        "simplecall/v1/r1/to/+/from/+",
        "simplecall/v1/r1/to/alice/#",
        "simplecall/v1/#",
        "#",
        "simplecall/v1/+/presence/+", // every room's presence
        "simplecall/v1/r2/presence/+", // another room's presence
        "simplecall/v1/r2/to/alice/from/+", // alice's inbox in a room her token is not for
    };
    int[] granted = alice.subscribe(filters);
    int[] expected = {1, 1, 1, REFUSED, REFUSED, REFUSED, REFUSED, REFUSED, REFUSED, REFUSED, REFUSED};
    assertArrayEquals(expected, granted, "granted QoS per filter, in order: " + String.join(", ", filters));
  }

  @Test
  void aPeerCannotPublishAsAnotherPeerOrIntoAnotherRoom() throws Exception {
    RawMqtt bob = peer("r1", "bob");
    assertArrayEquals(new int[] {1, 1}, bob.subscribe("simplecall/v1/r1/to/bob/from/+", "simplecall/v1/r1/presence/+"));
    RawMqtt dave = peer("r2", "dave");
    assertArrayEquals(new int[] {1, 1}, dave.subscribe("simplecall/v1/r2/to/dave/from/+", "simplecall/v1/r2/presence/+"));
    RawMqtt alice = peer("r1", "alice");

    alice.fire("simplecall/v1/r1/to/bob/from/carol", "forged sender", false);
    alice.fire("simplecall/v1/r1/presence/carol", "{\"state\":\"online\"}", true);
    alice.fire("simplecall/v1/r2/to/dave/from/alice", "into another room", false);
    alice.fire("simplecall/v1/r2/presence/alice", "{\"state\":\"online\"}", true);
    alice.publish("simplecall/v1/r1/to/bob/from/alice", "honest", false);
    // one publisher, in order: had any forged message passed, bob would have it first
    assertEquals("simplecall/v1/r1/to/bob/from/alice honest", bob.next());
    // dave: his own message to himself is routed after anything alice's connection routed before it
    dave.publish("simplecall/v1/r2/to/dave/from/dave", "marker", false);
    assertEquals("simplecall/v1/r2/to/dave/from/dave marker", dave.next());
    assertNull(bob.received.poll(), "bob got more");
    assertNull(dave.received.poll(), "dave got more");
  }

  @Test
  void aWillUnderAnotherNameIsRefusedAtConnect() throws Exception {
    MqttConnectOptions o = RawMqtt.options("alice", token("alice", "r1"), true);
    o.setWill("simplecall/v1/r1/to/bob/from/carol", "forged will".getBytes(), 1, false);
    MqttException e = assertThrows(MqttException.class, () -> RawMqtt.connect(paho, RawMqtt.sdkClientId("r1", "alice"), o));
    assertEquals(MqttException.REASON_CODE_FAILED_AUTHENTICATION, refusal(e), e.toString());
    MqttConnectOptions other = RawMqtt.options("alice", token("alice", "r1"), true);
    other.setWill("simplecall/v1/r2/presence/alice", new byte[0], 1, true);
    assertThrows(MqttException.class, () -> RawMqtt.connect(paho, RawMqtt.sdkClientId("r1", "alice"), other));
  }

  @Test
  void aWebSocketPeerNeverSeesAnAnonymousPublisherAndMeetsAnSdkPeerWithAToken() throws Exception {
    RawWsPeer bob = webSocketPeer("r1", "bob");
    assertEquals(List.of(), bob.next(Envelope.Welcome.class).peers());

    // mallory, anonymous: announces herself and offers to bob, as a reviewer did with mosquitto_pub
    try (RawMqtt mallory = RawMqtt.connect(paho, "mallory-raw", null, null, true)) {
      mallory.publish("simplecall/v1/r1/presence/mallory", "{\"state\":\"online\"}", true);
      mallory.publish("simplecall/v1/r1/to/bob/from/mallory",
          EnvelopeCodec.encode(new Envelope.Offer(Ids.newId(), "r1", "mallory", "bob", "v=0 mallory")), false);
    } catch (MqttException refused) {
      assertEquals(MqttException.REASON_CODE_FAILED_AUTHENTICATION, refused.getReasonCode(), refused.toString());
    }

    // alice, the real SDK MQTT transport with a join token, through the embedded broker and the bridge
    RecordingTransportListener aliceEvents = new RecordingTransportListener("alice");
    SignalingTransport alice = sdkPeer("r1", "alice", aliceEvents);
    aliceEvents.expectOpen();
    Envelope.Welcome welcome = aliceEvents.expectEnvelope(Envelope.Welcome.class);
    if (!welcome.peers().contains("bob")) assertEquals("bob", aliceEvents.expectEnvelope(Envelope.PeerJoined.class).peer());
    assertEquals("alice", bob.next(Envelope.PeerJoined.class).peer(), "the first peer bob hears of is alice");

    assertTrue(alice.send(EnvelopeCodec.encode(new Envelope.Offer(Ids.newId(), "r1", "alice", "bob", "v=0 offer from mqtt"))));
    Envelope.Offer offer = bob.next(Envelope.Offer.class);
    assertEquals("alice", offer.from());
    assertEquals("v=0 offer from mqtt", offer.sdp());
    bob.ws.send(EnvelopeCodec.encode(new Envelope.Answer(Ids.newId(), "r1", "bob", "alice", "v=0 answer from ws")));
    Envelope.Answer answer = aliceEvents.expectEnvelope(Envelope.Answer.class);
    assertEquals("bob", answer.from());
    assertEquals("v=0 answer from ws", answer.sdp());
    aliceEvents.assertNoMoreEvents(Duration.ofMillis(300));
    assertNull(bob.frames.poll(), "bob got an extra frame");
  }

  @Test
  void anotherUserCannotTakeOverAConnectedPeersSession() throws Exception {
    RecordingTransportListener aliceEvents = new RecordingTransportListener("alice");
    sdkPeer("r1", "alice", aliceEvents);
    aliceEvents.expectOpen();
    aliceEvents.expectEnvelope(Envelope.Welcome.class);

    // mallory holds a valid token, for herself, and computes alice's client id
    String aliceId = RawMqtt.sdkClientId("r1", "alice");
    assertThrows(MqttException.class, () -> RawMqtt.connect(paho, aliceId, "mallory", token("mallory", "r1"), false).close());
    assertThrows(MqttException.class, () -> RawMqtt.connect(paho, aliceId, "mallory", token("mallory", "r1"), true).close());

    // alice's connection was never dropped: the next thing she hears is bob, not a reconnect
    RawMqtt bob = peer("r1", "bob");
    bob.publish("simplecall/v1/r1/to/alice/from/bob",
        EnvelopeCodec.encode(new Envelope.Offer(Ids.newId(), "r1", "bob", "alice", "v=0 still here")), false);
    Envelope next = nextSkippingPresence(aliceEvents);
    assertTrue(next instanceof Envelope.Offer o && o.sdp().equals("v=0 still here"), "got " + next);
  }

  @Test
  void anOfferQueuedForAnAbsentPeerSurvivesATakeoverAttempt() throws Exception {
    String aliceId = RawMqtt.sdkClientId("r1", "alice");
    RawMqtt alice = RawMqtt.connect(paho, aliceId, "alice", token("alice", "r1"), false);
    assertArrayEquals(new int[] {1}, alice.subscribe("simplecall/v1/r1/to/alice/from/+"));
    alice.disconnect(); // away; the persistent session keeps her subscription and queues for her
    alice.close();

    RawMqtt bob = peer("r1", "bob");
    bob.publish("simplecall/v1/r1/to/alice/from/bob", "queued offer", false);

    // mallory resumes alice's session (would receive the queue), or discards it (clean session)
    MqttException resumed = assertThrows(MqttException.class, () -> {
      RawMqtt m = RawMqtt.connect(paho, aliceId, "mallory", token("mallory", "r1"), false);
      open.add(m);
      assertNull(m.received.poll(2, java.util.concurrent.TimeUnit.SECONDS), "mallory received alice's queue");
    });
    assertNotNull(resumed);
    assertThrows(MqttException.class, () -> RawMqtt.connect(paho, aliceId, "mallory", token("mallory", "r1"), true).close());

    RawMqtt back = RawMqtt.connect(paho, aliceId, "alice", token("alice", "r1"), false);
    open.add(back);
    assertEquals("simplecall/v1/r1/to/alice/from/bob queued offer", back.next());
  }

  @Test
  void anOpenBrokerOnAPublicAddressIsRefusedAtStart() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> EmbeddedBroker.builder().host("0.0.0.0").port(0).start().close());
    assertTrue(e.getMessage().contains("auth"), e.getMessage());
    SignalingServer open = SignalingServer.builder().port(0).build().start();
    try (EmbeddedBroker unauthenticated = EmbeddedBroker.builder().host("127.0.0.1").port(0).start()) {
      // a server that requires tokens is never bridged to an open embedded broker
      assertThrows(IllegalStateException.class, () -> MqttBridge.start(server, unauthenticated).close());
      // an open server may use a broker with auth: the broker stays closed to anonymous clients
      MqttBridge.start(open, broker).close();
      // with auth, any address: the bridge reaches a wildcard-bound broker on loopback
      try (EmbeddedBroker wide = EmbeddedBroker.builder().host("0.0.0.0").port(0).authSecret(SECRET).start();
           MqttBridge bridged = MqttBridge.start(server, wide)) {
        assertTrue(wide.authenticates(), wide.toString());
        assertThrows(MqttException.class, () -> RawMqtt.connect("tcp://127.0.0.1:" + wide.port(), "anon", null, null, true));
      }
    } catch (Exception ex) {
      throw new AssertionError(ex);
    } finally {
      open.close();
    }
  }

  private static Envelope nextSkippingPresence(RecordingTransportListener events) {
    while (true) {
      RecordingTransportListener.Event e = events.next(Duration.ofSeconds(10));
      assertEquals("message", e.kind(), "alice: " + e);
      Envelope m;
      try {
        m = EnvelopeCodec.decode(e.text());
      } catch (dev.simplecall.protocol.EnvelopeException ex) {
        throw new AssertionError(ex);
      }
      if (!(m instanceof Envelope.PeerJoined) && !(m instanceof Envelope.PeerLeft)) return m;
    }
  }
}
