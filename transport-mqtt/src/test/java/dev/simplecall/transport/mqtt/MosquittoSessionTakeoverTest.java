package dev.simplecall.transport.mqtt;

import static dev.simplecall.transport.mqtt.MqttTransportTest.offer;
import static dev.simplecall.transport.mqtt.MqttTransportTest.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.spi.SignalingTransport;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SDK's client id is computable by anyone ({@link MqttTransportFactory#clientId}); with the shipped
 * mosquitto config ({@code use_username_as_clientid true}, simplecall.acl) another user who connects
 * with it gets a session of its own, so it neither kicks the peer off nor reads or discards its queue.
 */
class MosquittoSessionTakeoverTest {
  private static MosquittoBroker broker;
  private final List<SignalingTransport> opened = new ArrayList<>();
  private final List<MqttAsyncClient> raw = new ArrayList<>();

  @BeforeAll
  static void startBroker() throws IOException {
    broker = MosquittoBroker.builder().aclFile(MosquittoAclTest.ACL)
        .user("alice", "alice-pw").user("bob", "bob-pw").user("mallory", "mallory-pw")
        .build().start();
  }

  @AfterAll
  static void stopBroker() throws IOException {
    if (broker != null) broker.close();
  }

  @AfterEach
  void closeAll() throws Exception {
    opened.forEach(SignalingTransport::close);
    for (MqttAsyncClient c : raw) {
      if (c.isConnected()) c.disconnectForcibly(0, 1000);
      c.close(true);
    }
  }

  /** A raw Paho client; what arrives is queued as "topic payload", a lost connection as "lost". */
  private MqttAsyncClient connect(String clientId, String user, boolean cleanSession, BlockingQueue<String> received)
      throws Exception {
    MqttAsyncClient c = new MqttAsyncClient(broker.pahoUri(), clientId, new MemoryPersistence());
    raw.add(c);
    c.setCallback(new MqttCallback() {
      @Override public void connectionLost(Throwable cause) {
        received.add("lost " + cause);
      }

      @Override public void messageArrived(String topic, MqttMessage m) {
        received.add(topic + " " + new String(m.getPayload(), StandardCharsets.UTF_8));
      }

      @Override public void deliveryComplete(IMqttDeliveryToken t) {}
    });
    MqttConnectOptions o = new MqttConnectOptions();
    o.setUserName(user);
    o.setPassword((user + "-pw").toCharArray());
    o.setCleanSession(cleanSession);
    c.connect(o).waitForCompletion(5000);
    return c;
  }

  @Test
  void anotherUserWithAPeersClientIdDoesNotDisconnectIt() throws Exception {
    Recorder alice = new Recorder("alice");
    SignalingTransport t = new MqttTransportFactory().create(URI.create("mqtt://alice:alice-pw@127.0.0.1:" + broker.port()),
        options("take1", "alice"), alice);
    opened.add(t);
    alice.joined();

    String aliceId = MqttTransportFactory.clientId("take1", "alice");
    connect(aliceId, "mallory", false, new LinkedBlockingQueue<>());
    connect(aliceId, "mallory", true, new LinkedBlockingQueue<>());

    // alice's connection stayed up: the next event is bob's offer, not a reconnect
    MqttAsyncClient bob = connect(MqttTransportFactory.clientId("take1", "bob"), "bob", true, new LinkedBlockingQueue<>());
    bob.publish("simplecall/v1/take1/to/alice/from/bob", offer("take1", "bob", "alice", "still here")
        .getBytes(StandardCharsets.UTF_8), 1, false).waitForCompletion(5000);
    Recorder.Event e = alice.next();
    assertEquals("message", e.kind(), "alice: " + e);
    assertTrue(e.text().contains("still here"), e.text());
  }

  @Test
  void anOfferQueuedForAnAbsentPeerIsNeitherReadNorDiscardedByAnotherUser() throws Exception {
    String aliceId = MqttTransportFactory.clientId("take2", "alice");
    BlockingQueue<String> aliceGot = new LinkedBlockingQueue<>();
    MqttAsyncClient alice = connect(aliceId, "alice", false, aliceGot);
    alice.subscribe("simplecall/v1/take2/to/alice/from/+", 1).waitForCompletion(5000);
    alice.disconnect(1000).waitForCompletion(5000); // away; the persistent session queues for her

    MqttAsyncClient bob = connect(MqttTransportFactory.clientId("take2", "bob"), "bob", true, new LinkedBlockingQueue<>());
    bob.publish("simplecall/v1/take2/to/alice/from/bob", offer("take2", "bob", "alice", "queued")
        .getBytes(StandardCharsets.UTF_8), 1, false).waitForCompletion(5000);

    // mallory resumes the session of alice's client id, then discards it with a clean session
    BlockingQueue<String> malloryGot = new LinkedBlockingQueue<>();
    MqttAsyncClient m = connect(aliceId, "mallory", false, malloryGot);
    m.subscribe("simplecall/v1/take2/to/mallory/from/+", 1).waitForCompletion(5000);
    bob.publish("simplecall/v1/take2/to/mallory/from/bob", "marker".getBytes(StandardCharsets.UTF_8), 1, false)
        .waitForCompletion(5000);
    // a queue handed to her would arrive before the marker bob sent after she connected
    assertEquals("simplecall/v1/take2/to/mallory/from/bob marker", malloryGot.poll(10, TimeUnit.SECONDS));
    m.disconnect(1000).waitForCompletion(5000);
    connect(aliceId, "mallory", true, new LinkedBlockingQueue<>()).disconnect(1000).waitForCompletion(5000);

    MqttAsyncClient back = connect(aliceId, "alice", false, aliceGot);
    String got = aliceGot.poll(10, TimeUnit.SECONDS);
    assertTrue(got != null && got.startsWith("simplecall/v1/take2/to/alice/from/bob ") && got.contains("queued"),
        "alice, back, got " + got);
    assertTrue(back.isConnected());
    assertNull(malloryGot.poll(), "mallory got more");
  }
}
