package dev.simplecall.server.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.server.SignalingServer;
import java.nio.charset.StandardCharsets;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What the bridge takes from an MQTT message topic: a routed envelope for the peer the topic names,
 * from the topic's sender; nothing else reaches anyone, and presence or messages under a name that is
 * not valid are ignored while the bridge keeps bridging. mallory is an MQTT peer with presence; bob
 * and dave are WebSocket peers in the same room. One broker, server and bridge for the class: each test
 * ends with everyone having heard exactly what it expected. Full tier: the embedded broker takes 2 s to
 * stop, more than the fast tier can spare.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BridgeMessageTest {
  private static final String TO_BOB = "simplecall/v1/r1/to/bob/from/mallory";
  private final OkHttpClient http = new OkHttpClient();
  private EmbeddedBroker broker;
  private SignalingServer server;
  private MqttBridge bridge;
  private MqttBridgeTest.RawWsPeer bob;
  private MqttBridgeTest.RawWsPeer dave;
  private RawMqtt mallory;

  @BeforeAll
  void start() throws Exception {
    broker = EmbeddedBroker.start("127.0.0.1", 0);
    server = SignalingServer.builder().port(0).build().start();
    bridge = MqttBridge.start(server, broker);
    bob = join("bob");
    dave = join("dave");
    assertEquals("dave", bob.next(Envelope.PeerJoined.class).peer());
    mallory = RawMqtt.connect("tcp://127.0.0.1:" + broker.port(), "mallory", null, null, true);
    mallory.subscribe("simplecall/v1/r1/to/mallory/from/+");
    mallory.publish("simplecall/v1/r1/presence/mallory", "{\"state\":\"online\"}", true);
    assertEquals("mallory", bob.next(Envelope.PeerJoined.class).peer());
    assertEquals("mallory", dave.next(Envelope.PeerJoined.class).peer());
  }

  private MqttBridgeTest.RawWsPeer join(String peer) throws Exception {
    MqttBridgeTest.RawWsPeer p = new MqttBridgeTest.RawWsPeer();
    p.ws = http.newWebSocket(new Request.Builder().url("ws://127.0.0.1:" + server.port() + "/v1/ws").build(), p);
    p.ws.send("{\"v\":1,\"type\":\"join\",\"id\":\"j-" + peer + "\",\"room\":\"r1\",\"from\":\"" + peer + "\"}");
    p.next(Envelope.Welcome.class);
    return p;
  }

  @AfterAll
  void stop() throws Exception {
    if (mallory != null) {
      mallory.disconnect(); // a clean DISCONNECT is quick; RawMqtt.close alone waits a second for a forced one
      mallory.close();
    }
    for (MqttBridgeTest.RawWsPeer p : new MqttBridgeTest.RawWsPeer[] {bob, dave}) if (p != null) p.ws.cancel();
    if (bridge != null) bridge.close();
    if (server != null) server.close();
    if (broker != null) broker.close();
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  /**
   * mallory's marker offer reaches bob as the next thing he hears, from mallory in r1; then an offer
   * bob sends mallory is the next thing in her inbox (the bridge publishes in order, so anything it
   * had published to her before would come first); dave heard nothing.
   */
  private void assertOnlyTheMarkerGetsThrough(String marker) throws Exception {
    mallory.publish(TO_BOB, "{\"v\":1,\"type\":\"offer\",\"id\":\"" + marker + "\",\"room\":\"elsewhere\",\"from\":\"dave\","
        + "\"to\":\"bob\",\"sdp\":\"v=0\"}", false);
    assertEquals(new Envelope.Offer(marker, "r1", "mallory", "bob", "v=0"), bob.next(Envelope.Offer.class));
    bob.ws.send(EnvelopeCodec.encode(new Envelope.Answer("back-" + marker, "r1", "bob", "mallory", "v=0")));
    String back = mallory.next();
    assertEquals("simplecall/v1/r1/to/mallory/from/bob", back.substring(0, back.indexOf(' ')));
    assertEquals("back-" + marker, EnvelopeCodec.decode(back.substring(back.indexOf(' ') + 1)).id());
    assertNull(bob.frames.poll(), "bob got an extra frame");
    assertNull(dave.frames.poll(), "dave got a frame");
    assertNull(mallory.received.poll(), "mallory got an extra message");
  }

  @Test
  void aMessageIsTakenOnlyForThePeerItsTopicNames() throws Exception {
    // the hub routed by the payload's "to": to dave, or back to mallory through the bridge
    mallory.publish(TO_BOB, "{\"v\":1,\"type\":\"offer\",\"id\":\"o1\",\"to\":\"dave\",\"sdp\":\"v=0\"}", false);
    mallory.publish(TO_BOB, "{\"v\":1,\"type\":\"offer\",\"id\":\"o2\",\"to\":\"mallory\",\"sdp\":\"v=0\"}", false);
    mallory.publish(TO_BOB, "{\"v\":1,\"type\":\"bye\",\"id\":\"o3\",\"to\":\"nobody\"}", false);
    assertOnlyTheMarkerGetsThrough("m1");
  }

  @Test
  void onlyOfferAnswerCandidateAndByeAreTaken() throws Exception {
    // a leave took mallory out of the server's room while her presence still said online
    mallory.publish(TO_BOB, "{\"v\":1,\"type\":\"leave\",\"id\":\"l1\"}", false);
    mallory.publish(TO_BOB, "{\"v\":1,\"type\":\"join\",\"id\":\"j1\",\"room\":\"r1\",\"from\":\"mallory\"}", false);
    mallory.publish(TO_BOB, "{\"v\":1,\"type\":\"peer-left\",\"id\":\"p1\",\"room\":\"r1\",\"peer\":\"dave\"}", false);
    assertOnlyTheMarkerGetsThrough("m2");
  }

  @Test
  void aPayloadThatIsNotUtf8IsDroppedNotRelayedWithReplacementCharacters() throws Exception {
    byte[] offer = "{\"v\":1,\"type\":\"offer\",\"id\":\"u1\",\"to\":\"bob\",\"sdp\":\"v=0 XX\"}".getBytes(StandardCharsets.UTF_8);
    int at = new String(offer, StandardCharsets.UTF_8).indexOf("XX");
    // a stray byte, an overlong '/', a UTF-16 surrogate in UTF-8 (CESU), a sequence cut short
    for (byte[] bad : new byte[][] {{(byte) 0xFF}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xE2, (byte) 0x82}}) {
      byte[] payload = new byte[offer.length - 2 + bad.length];
      System.arraycopy(offer, 0, payload, 0, at);
      System.arraycopy(bad, 0, payload, at, bad.length);
      System.arraycopy(offer, at + 2, payload, at + bad.length, offer.length - at - 2);
      mallory.client.publish(TO_BOB, payload, 1, false).waitForCompletion(10_000);
    }
    assertOnlyTheMarkerGetsThrough("m3");
  }

  @Test
  void presenceOrMessagesUnderABadNameNeverReachTheRoomAndTheBridgeStaysUp() throws Exception {
    String online = "{\"state\":\"online\"}";
    for (String bad : new String[] {"mal\u202Eory", "x".repeat(65), "with space", "caf\u00e9"}) {
      mallory.publish("simplecall/v1/r1/presence/" + bad, online, true);
      mallory.publish("simplecall/v1/r1/to/bob/from/" + bad, "{}", false);
    }
    mallory.publish("simplecall/v1/r\u202E1/presence/carol", online, true);
    // a valid presence afterwards is the next (and only) thing bob and dave hear: nothing bad came before
    // it. Presence is retained, as peers publish it, so a bridge that reconnects meanwhile still sees it all.
    mallory.publish("simplecall/v1/r1/presence/carol", online, true);
    assertEquals("carol", bob.next(Envelope.PeerJoined.class).peer());
    assertEquals("carol", dave.next(Envelope.PeerJoined.class).peer());
    assertEquals(4, server.peerCount(), "bob, dave, mallory and carol only");
    mallory.publish("simplecall/v1/r1/presence/carol", "", true);
    assertEquals("carol", bob.next(Envelope.PeerLeft.class).peer());
    assertEquals("carol", dave.next(Envelope.PeerLeft.class).peer());
    assertOnlyTheMarkerGetsThrough("m4");
  }
}
