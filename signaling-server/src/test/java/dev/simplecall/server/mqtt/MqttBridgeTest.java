package dev.simplecall.server.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.protocol.Ids;
import dev.simplecall.server.SignalingServer;
import dev.simplecall.spi.SignalingTransport;
import dev.simplecall.spi.TransportOptions;
import dev.simplecall.testing.RecordingTransportListener;
import dev.simplecall.transport.mqtt.MosquittoBroker;
import dev.simplecall.transport.mqtt.MqttTransportFactory;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A raw WebSocket peer on the signaling server and an MQTT peer on mosquitto (with the shipped ACL)
 * meet in one room through the bridge, and signal an offer/answer both ways.
 */
class MqttBridgeTest {
  private static final Path ACL = Path.of("..", "config", "mosquitto", "simplecall.acl");
  private MosquittoBroker broker;
  private SignalingServer server;
  private MqttBridge bridge;
  private OkHttpClient http;
  private SignalingTransport alice;

  @BeforeEach
  void start() throws Exception {
    broker = MosquittoBroker.builder().aclFile(ACL)
        .user("alice", "alice-pw").user("simplecall-bridge", "bridge-pw").build().start();
    server = SignalingServer.builder().port(0).build().start();
    bridge = MqttBridge.start(server, URI.create("tcp://simplecall-bridge:bridge-pw@127.0.0.1:" + broker.port()));
    http = new OkHttpClient();
  }

  @AfterEach
  void stop() throws Exception {
    if (alice != null) alice.close();
    if (bridge != null) bridge.close();
    if (server != null) server.close();
    if (http != null) {
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    }
    if (broker != null) broker.close();
  }

  /** A WebSocket peer written by hand: JSON frames in, JSON frames out. */
  static final class RawWsPeer extends WebSocketListener {
    final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    WebSocket ws;

    @Override
    public void onMessage(WebSocket webSocket, String text) {
      frames.add(text);
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable t, Response response) {
      frames.add("failure " + t);
    }

    <T extends Envelope> T next(Class<T> type) throws Exception {
      String text = frames.poll(10, TimeUnit.SECONDS);
      assertNotNull(text, "no WebSocket frame within 10 s, waiting for " + type.getSimpleName());
      Envelope e = EnvelopeCodec.decode(text);
      if (!type.isInstance(e)) fail("expected " + type.getSimpleName() + ", got " + text);
      return type.cast(e);
    }
  }

  private RawWsPeer webSocketPeer(String room, String peer) throws Exception {
    RawWsPeer p = new RawWsPeer();
    p.ws = http.newWebSocket(new Request.Builder().url("ws://127.0.0.1:" + server.port() + "/v1/ws").build(), p);
    p.ws.send("{\"v\":1,\"type\":\"join\",\"id\":\"" + Ids.newId() + "\",\"room\":\"" + room + "\",\"from\":\"" + peer + "\"}");
    return p;
  }

  @Test
  void aWebSocketPeerAndAnMqttPeerSignalEachOtherThroughTheBridge() throws Exception {
    RawWsPeer bob = webSocketPeer("r1", "bob");
    assertEquals(java.util.List.of(), bob.next(Envelope.Welcome.class).peers());

    RecordingTransportListener aliceEvents = new RecordingTransportListener("alice");
    alice = new MqttTransportFactory().create(URI.create("mqtt://alice:alice-pw@127.0.0.1:" + broker.port()),
        TransportOptions.builder().room("r1").peerId("alice").build(), aliceEvents);
    aliceEvents.expectOpen();
    // bob's presence was mirrored to the broker when he joined: alice sees him at once or right after
    Envelope.Welcome welcome = aliceEvents.expectEnvelope(Envelope.Welcome.class);
    if (!welcome.peers().contains("bob")) {
      assertEquals("bob", aliceEvents.expectEnvelope(Envelope.PeerJoined.class).peer());
    }
    assertEquals("alice", bob.next(Envelope.PeerJoined.class).peer(), "alice's MQTT presence reached the server");

    bob.ws.send(EnvelopeCodec.encode(new Envelope.Offer(Ids.newId(), "r1", "bob", "alice", "v=0 offer from ws")));
    Envelope.Offer offer = aliceEvents.expectEnvelope(Envelope.Offer.class);
    assertEquals("bob", offer.from());
    assertEquals("v=0 offer from ws", offer.sdp());

    assertTrue(alice.send(EnvelopeCodec.encode(new Envelope.Answer(Ids.newId(), "r1", "alice", "bob", "v=0 answer from mqtt"))));
    Envelope.Answer answer = bob.next(Envelope.Answer.class);
    assertEquals("alice", answer.from());
    assertEquals("v=0 answer from mqtt", answer.sdp());

    alice.send(EnvelopeCodec.encode(new Envelope.Candidate(Ids.newId(), "r1", "alice", "bob", null)));
    assertNull(bob.next(Envelope.Candidate.class).candidate());
    bob.ws.send(EnvelopeCodec.encode(new Envelope.Bye(Ids.newId(), "r1", "bob", "alice", "hangup")));
    assertEquals("hangup", aliceEvents.expectEnvelope(Envelope.Bye.class).reason());

    // no loops and no echoes: nothing more on either side
    aliceEvents.assertNoMoreEvents(Duration.ofMillis(500));
    assertNull(bob.frames.poll(), "bob got an extra frame");

    // presence goes away both ways
    alice.close();
    aliceEvents.expectClosed();
    alice = null;
    assertEquals("alice", bob.next(Envelope.PeerLeft.class).peer());
    bob.ws.close(1000, "bye");
  }

  @Test
  void aServerPeerLeavingClearsItsMirroredPresence() throws Exception {
    RecordingTransportListener aliceEvents = new RecordingTransportListener("alice");
    alice = new MqttTransportFactory().create(URI.create("mqtt://alice:alice-pw@127.0.0.1:" + broker.port()),
        TransportOptions.builder().room("r2").peerId("alice").build(), aliceEvents);
    aliceEvents.expectOpen();
    aliceEvents.expectEnvelope(Envelope.Welcome.class);

    RawWsPeer bob = webSocketPeer("r2", "bob");
    Envelope.Welcome w = bob.next(Envelope.Welcome.class);
    if (!w.peers().contains("alice")) assertEquals("alice", bob.next(Envelope.PeerJoined.class).peer());
    assertEquals("bob", aliceEvents.expectEnvelope(Envelope.PeerJoined.class).peer());

    bob.ws.close(1000, "done");
    assertEquals("bob", aliceEvents.expectEnvelope(Envelope.PeerLeft.class).peer());
    aliceEvents.assertNoMoreEvents(Duration.ofMillis(300));
  }

  @Test
  void aTopicPahoCannotReadDoesNotDeafenTheBridge() throws Exception {
    RawWsPeer bob = webSocketPeer("r3", "bob");
    bob.next(Envelope.Welcome.class);
    // The shipped ACL lets alice publish on simplecall/v1/+/to/+/from/alice and simplecall/v1/+/presence/alice
    // whatever the other levels hold, and mosquitto forwards an emoji or a full-width letter (valid
    // UTF-8) to the bridge, which reads simplecall/v1/#. Paho's receiving thread used to end on the first:
    // the bridge then read nothing more, and would meet the retained one again after each reconnect.
    String[][] attacks = {
      {"simplecall/v1/r3/to/\ud83d\ude00/from/alice", "{}", "0"},
      {"simplecall/v1/r3/to/\uff42ob/from/alice", "{}", "0"},
      {"simplecall/v1/\ud83d\ude00/presence/alice", "{\"state\":\"online\"}", "1"},
    };
    int n = 0;
    for (String[] a : attacks) {
      byte[] publish = RawPackets.publish(RawPackets.utf8(a[0]), 1, 1, RawPackets.utf8(a[1]), a[2].equals("1"));
      assertEquals("open", RawPackets.attack(broker.port(), RawPackets.connect("raw-" + n++, "alice", "alice-pw"), publish), a[0]);
    }
    // published after them, so the bridge reads it after them
    try (RawMqtt alice = RawMqtt.connect("tcp://127.0.0.1:" + broker.port(), "alice", "alice", "alice-pw", true)) {
      alice.publish("simplecall/v1/r3/presence/alice", "{\"state\":\"online\"}", true);
      assertEquals("alice", bob.next(Envelope.PeerJoined.class).peer(), "the bridge still reads the broker");
    }
    assertNull(bob.frames.poll(), "bob got an extra frame");
    bob.ws.close(1000, "bye");
  }
}
