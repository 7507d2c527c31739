package dev.simplecall.server.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.server.SignalingServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import okhttp3.OkHttpClient;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The bridge ignores MQTT topics whose room or peer level is not a valid name, and keeps bridging. */
@Tag("fast")
class BridgeNameTest {
  @Test
  void presenceUnderABadPeerIdNeverReachesTheRoomAndTheBridgeStaysUp() throws Exception {
    OkHttpClient http = new OkHttpClient();
    try (EmbeddedBroker broker = EmbeddedBroker.start("127.0.0.1", 0);
         SignalingServer server = SignalingServer.builder().port(0).build().start();
         MqttBridge bridge = MqttBridge.start(server, URI.create("tcp://127.0.0.1:" + broker.port()))) {
      MqttBridgeTest.RawWsPeer bob = new MqttBridgeTest.RawWsPeer();
      bob.ws = http.newWebSocket(new okhttp3.Request.Builder().url("ws://127.0.0.1:" + server.port() + "/v1/ws").build(), bob);
      bob.ws.send("{\"v\":1,\"type\":\"join\",\"id\":\"j1\",\"room\":\"r1\",\"from\":\"bob\"}");
      bob.next(Envelope.Welcome.class);

      MqttClient mallory = new MqttClient("tcp://127.0.0.1:" + broker.port(), "mallory-test", new MemoryPersistence());
      mallory.connect();
      byte[] online = "{\"state\":\"online\"}".getBytes(StandardCharsets.UTF_8);
      for (String bad : new String[] {"mal\u202Eory", "x".repeat(65), "with space", "caf\u00e9"}) {
        mallory.publish("simplecall/v1/r1/presence/" + bad, online, 1, true);
        mallory.publish("simplecall/v1/r1/to/bob/from/" + bad, "{}".getBytes(StandardCharsets.UTF_8), 1, false);
      }
      mallory.publish("simplecall/v1/r\u202E1/presence/carol", online, 1, true);
      // a valid presence afterwards is the next (and only) thing bob hears: nothing bad came before it.
      // Presence is retained, as peers publish it, so a bridge that reconnects meanwhile still sees it all.
      mallory.publish("simplecall/v1/r1/presence/carol", online, 1, true);
      assertEquals("carol", bob.next(Envelope.PeerJoined.class).peer());
      assertEquals(2, server.peerCount(), "bob and carol only");
      assertNull(bob.frames.poll(), "bob got an extra frame");
      mallory.publish("simplecall/v1/r1/presence/carol", new byte[0], 1, true);
      assertEquals("carol", bob.next(Envelope.PeerLeft.class).peer());
      mallory.disconnect();
      mallory.close();
      bob.ws.close(1000, "bye");
    } finally {
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    }
  }
}
