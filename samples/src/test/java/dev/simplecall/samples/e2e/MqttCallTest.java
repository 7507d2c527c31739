package dev.simplecall.samples.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.AudioSource;
import dev.simplecall.CallClient;
import dev.simplecall.CallSession;
import dev.simplecall.CallState;
import dev.simplecall.EndReason;
import dev.simplecall.MediaOptions;
import dev.simplecall.SessionOptions;
import dev.simplecall.VideoSource;
import dev.simplecall.server.SignalingServer;
import dev.simplecall.server.mqtt.MqttBridge;
import dev.simplecall.transport.mqtt.MosquittoBroker;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Java peers calling over a real mosquitto broker, and through the server's MQTT bridge. */
class MqttCallTest {
  private MosquittoBroker broker;
  private CallClient client;

  @BeforeEach
  void start() throws Exception {
    broker = MosquittoBroker.builder().build().start();
    client = CallClient.builder()
        .media(MediaOptions.builder().video(VideoSource.testPattern(320, 240, 30)).audio(AudioSource.tone(440)).build())
        .build();
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    broker.close();
  }

  private CallSession session(URI signaling, String room, String id, CallProbe probe) {
    CallSession s = client.newSession(SessionOptions.builder().signaling(signaling).room(room).peerId(id).build(), probe);
    s.addRemoteVideoSink(probe);
    s.addRemoteAudioSink(probe);
    return s;
  }

  @Test
  void callOverMosquittoCarriesMediaAndData() throws Exception {
    CallProbe al = new CallProbe("alice");
    CallProbe bl = new CallProbe("bob");
    CallSession alice = session(broker.uri(), "mq", "alice", al);
    CallSession bob = session(broker.uri(), "mq", "bob", bl);
    CallProbe.connect(alice, al, bob, bl);
    CallProbe.assertMediaAndDataBothWays(alice, al, bl);
    alice.hangUp();
    al.assertEndedOnce(EndReason.HANGUP);
    bl.assertEndedOnce(EndReason.REMOTE_HANGUP);
  }

  @Test
  void brokerKilledMidCallKeepsMediaAndHangUpStillArrives() throws Exception {
    CallProbe al = new CallProbe("alice");
    CallProbe bl = new CallProbe("bob");
    CallSession alice = session(broker.uri(), "mqkill", "alice", al);
    CallSession bob = session(broker.uri(), "mqkill", "bob", bl);
    CallProbe.connect(alice, al, bob, bl);
    long before = bl.awaitCounterAbove(5, 15);

    broker.kill();
    long during = bl.awaitCounterAbove(before + 30, 15); // peer to peer: no broker needed for media
    assertTrue(during > before);
    broker.start();
    al.awaitReconnected(30);
    bl.awaitReconnected(30);
    assertEquals(CallState.CONNECTED, alice.state());
    assertEquals(CallState.CONNECTED, bob.state());

    bob.hangUp();
    bl.assertEndedOnce(EndReason.HANGUP);
    al.assertEndedOnce(EndReason.REMOTE_HANGUP);
  }

  @Test
  void webSocketPeerCallsMqttPeerThroughTheBridge() throws Exception {
    try (SignalingServer server = SignalingServer.builder().bind("127.0.0.1").port(0).build().start();
        MqttBridge bridge = MqttBridge.start(server, URI.create(broker.pahoUri()))) {
      CallProbe al = new CallProbe("alice");
      CallProbe bl = new CallProbe("bob");
      CallSession alice = session(URI.create("ws://127.0.0.1:" + server.port() + "/v1/ws"), "bridged", "alice", al);
      CallSession bob = session(broker.uri(), "bridged", "bob", bl);
      bob.start();
      bl.awaitJoined(10);
      alice.start();
      al.awaitJoined(10);
      waitUntilPeerVisible(alice, "bob");
      alice.call("bob");
      al.awaitState(CallState.CONNECTED, 20);
      bl.awaitState(CallState.CONNECTED, 20);
      bl.awaitCounterAbove(10, 15);
      al.awaitCounterAbove(10, 15);
      CallProbe.assertEchoes(alice, bl);
      bob.hangUp();
      bl.assertEndedOnce(EndReason.HANGUP);
      al.assertEndedOnce(EndReason.REMOTE_HANGUP);
    }
  }

  /** Presence crosses the bridge asynchronously; wait (bounded) until the WebSocket peer sees the MQTT peer. */
  private static void waitUntilPeerVisible(CallSession s, String peer) {
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
        assertTrue(s.roomPeers().contains(peer), () -> peer + " never appeared in " + s.peerId() + "'s room: " + s.roomPeers()));
  }
}
