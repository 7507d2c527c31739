package dev.simplecall.server.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.server.ServerErrors;
import dev.simplecall.server.SignalingServer;
import java.util.List;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What the embedded broker does with packets a Paho client would never send, written by hand on a
 * socket: each closes the sender's connection, and the Paho clients reading the broker (an SDK-like
 * peer, the bridge) go on reading. One broker, server and bridge for the class. Full tier (about 5 s,
 * most of it Moquette's shutdown); {@link HostileMqttInputTest} sends all of these too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbeddedBrokerPacketTest {
  private EmbeddedBroker broker;
  private SignalingServer server;
  private MqttBridge bridge;
  private RawMqtt watcher;
  private final OkHttpClient http = new OkHttpClient();
  private MqttBridgeTest.RawWsPeer bob;
  private int serial;

  @BeforeAll
  void start() throws Exception {
    broker = EmbeddedBroker.start("127.0.0.1", 0);
    server = SignalingServer.builder().port(0).build().start();
    bridge = MqttBridge.start(server, broker);
    bob = new MqttBridgeTest.RawWsPeer();
    bob.ws = http.newWebSocket(new Request.Builder().url("ws://127.0.0.1:" + server.port() + "/v1/ws").build(), bob);
    bob.ws.send("{\"v\":1,\"type\":\"join\",\"id\":\"j1\",\"room\":\"r1\",\"from\":\"bob\"}");
    bob.next(Envelope.Welcome.class);
    // a plain Paho client reading every topic, as an SDK peer reads its room's presence
    watcher = RawMqtt.connect(pahoUri(), "watcher", null, null, true);
    watcher.subscribe("simplecall/v1/#");
    assertEquals("simplecall/v1/r1/presence/bob {\"state\":\"online\",\"bridge\":\"", watcher.next().replaceAll("\"bridge\":\".*", "\"bridge\":\""));
  }

  @AfterAll
  void stop() throws Exception {
    if (watcher != null) {
      watcher.disconnect(); // a clean DISCONNECT is quick; RawMqtt.close alone waits a second for a forced one
      watcher.close();
    }
    if (bob != null) bob.ws.cancel();
    if (bridge != null) bridge.close();
    if (server != null) server.close();
    if (broker != null) broker.close();
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  private String pahoUri() {
    return "tcp://127.0.0.1:" + broker.port();
  }

  private String attack(byte[] bytes) throws Exception {
    return RawPackets.attack(broker.port(), RawPackets.connect("raw-" + serial++, null), bytes);
  }

  /** A presence published now is the next thing the watcher and bob hear: both still read the broker. */
  private void assertStillRead() throws Exception {
    String peer = "carol" + serial++;
    try (RawMqtt carol = RawMqtt.connect(pahoUri(), peer, null, null, true)) {
      carol.publish("simplecall/v1/r1/presence/" + peer, "{\"state\":\"online\"}", true);
      assertEquals("simplecall/v1/r1/presence/" + peer + " {\"state\":\"online\"}", watcher.next());
      assertEquals(peer, bob.next(Envelope.PeerJoined.class).peer());
      carol.publish("simplecall/v1/r1/presence/" + peer, "", true);
      assertEquals("simplecall/v1/r1/presence/" + peer + " ", watcher.next());
      assertEquals(peer, bob.next(Envelope.PeerLeft.class).peer());
      carol.disconnect();
    }
    assertNull(watcher.received.poll(), "the watcher got an extra message");
    assertNull(bob.frames.poll(), "bob got an extra frame");
  }

  @Test
  void aTopicThatPahoCannotReadClosesThePublisherAndEveryReaderGoesOn() throws Exception {
    // Forwarded, each of these ended the receiving thread of every Paho client subscribed to it
    // ("Invalid UTF-8 char"): it then read nothing more until its keep-alive gave up on the connection.
    List<String> bad = List.of("a\u0000b", "a\u0001b", "a\nb", "a\u007fb", "a\u0085b", "a\ufdd0b", "a\uff21b", "a\ufffdb",
        "a\uffffb", "a\ud83d\ude00b");
    for (String level : bad) {
      for (String topic : List.of("simplecall/v1/r1/to/" + level + "/from/mallory", "simplecall/v1/r1/to/bob/from/" + level,
          "simplecall/v1/" + level + "/to/bob/from/mallory", "simplecall/v1/r1/presence/" + level)) {
        boolean retained = topic.contains("/presence/");
        assertEquals("closed", attack(RawPackets.publish(RawPackets.utf8(topic), retained ? 0 : 1, 1, RawPackets.utf8("{}"), retained)), topic);
      }
      String willTopic = "simplecall/v1/r1/presence/" + level;
      assertEquals("closed", RawPackets.attack(broker.port(), RawPackets.connect("raw-will-" + serial++, RawPackets.utf8(willTopic)),
          new byte[0]), "a Will on " + willTopic);
    }
    // ill-formed UTF-8 reaches the guard as U+FFFD, which Paho cannot read either
    byte[] topic = RawPackets.utf8("simplecall/v1/r1/presence/mallory");
    topic[topic.length - 1] = (byte) 0xFF;
    assertEquals("closed", attack(RawPackets.publish(topic, 1, 1, RawPackets.utf8("{\"state\":\"online\"}"), true)));
    // an empty topic: Moquette logged it at ERROR before it closed the connection
    assertEquals("closed", attack(RawPackets.publish(new byte[0], 1, 1, RawPackets.utf8("{}"), false)));
    assertStillRead();
  }

  @Test
  void aPacketThatBreaksTheProtocolClosesTheConnectionWithoutAnErrorInTheLog() throws Exception {
    // Moquette logged each of these at ERROR, most with a stack trace, or at WARN with an exception (a
    // second CONNECT); a PUBLISH before CONNECT it took. Any client could fill the server's log.
    byte[] topic = RawPackets.utf8("simplecall/v1/r1/to/bob/from/mallory");
    byte[] publish = RawPackets.publish(topic, 1, 1, RawPackets.utf8("{}"), false);
    List<byte[]> afterConnect = List.of(
        RawPackets.publish(topic, 0, 0, new byte[EmbeddedBroker.MAX_PACKET_BYTES], false), // over the limit
        RawPackets.publish(RawPackets.utf8("simplecall/v1/r1/to/+/from/mallory"), 1, 1, RawPackets.utf8("{}"), false),
        RawPackets.publish(RawPackets.utf8("simplecall/#"), 0, 0, RawPackets.utf8("{}"), false),
        RawPackets.publish(topic, 3, 1, RawPackets.utf8("{}"), false), // QoS 3
        RawPackets.publish(topic, 1, 0, RawPackets.utf8("{}"), false), // packet id 0
        RawPackets.packet(0x32, RawPackets.string(topic)), // QoS 1 without a packet id
        new byte[] {0x30, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F}, // a length of five bytes
        new byte[] {0x00, 0x00}, // packet type 0
        new byte[] {(byte) 0xF0, 0x00}, // AUTH, MQTT 5 only
        RawPackets.connect("again", null)); // a second CONNECT
    ServerErrors errors = ServerErrors.attach();
    try {
      for (byte[] bytes : afterConnect) assertEquals("closed", attack(bytes));
      assertEquals("closed", RawPackets.attack(broker.port(), null, publish), "a PUBLISH before CONNECT");
      assertEquals("closed", RawPackets.attack(broker.port(), null, RawPackets.utf8("GET / HTTP/1.1\r\nHost: x\r\n\r\n")));
      assertStillRead();
    } finally {
      errors.detach();
    }
    assertEquals(List.of(), errors.events());
  }
}
