package dev.simplecall.transport.mqtt;

import static dev.simplecall.transport.mqtt.MqttTransportTest.offer;
import static dev.simplecall.transport.mqtt.MqttTransportTest.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.spi.SignalingTransport;
import dev.simplecall.spi.TransportException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * mosquitto with the shipped config/mosquitto/simplecall.acl and a password file: identity is the
 * MQTT user name, and the broker, not the peers, enforces it.
 */
class MosquittoAclTest {
  static final Path ACL = Path.of("..", "config", "mosquitto", "simplecall.acl");
  private static MosquittoBroker broker;
  private final List<SignalingTransport> opened = new ArrayList<>();
  private final List<MqttAsyncClient> raw = new ArrayList<>();

  @BeforeAll
  static void startBroker() throws IOException {
    assertTrue(Files.isRegularFile(ACL), "the shipped ACL file is missing: " + ACL.toAbsolutePath());
    broker = MosquittoBroker.builder().aclFile(ACL)
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
      c.disconnectForcibly(0, 1000);
      c.close();
    }
  }

  private URI as(String user, String password) {
    return URI.create("mqtt://" + user + ":" + password + "@127.0.0.1:" + broker.port());
  }

  private SignalingTransport open(URI uri, String room, String peer, Recorder r) {
    SignalingTransport t = new MqttTransportFactory().create(uri, options(room, peer), r);
    opened.add(t);
    return t;
  }

  /** A hand-written MQTT client, as an attacker would use: raw topics, no simplecall transport. */
  private MqttAsyncClient mallory(BlockingQueue<String> received) throws Exception {
    MqttAsyncClient c = new MqttAsyncClient(broker.pahoUri(), "mallory-raw", new MemoryPersistence());
    raw.add(c);
    MqttConnectOptions o = new MqttConnectOptions();
    o.setUserName("mallory");
    o.setPassword("mallory-pw".toCharArray());
    c.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallback() {
      @Override public void connectionLost(Throwable cause) {}
      @Override public void messageArrived(String topic, org.eclipse.paho.client.mqttv3.MqttMessage m) {
        received.add(topic + " " + new String(m.getPayload(), StandardCharsets.UTF_8));
      }
      @Override public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken t) {}
    });
    c.connect(o).waitForCompletion(5000);
    return c;
  }

  @Test
  void aPeerCannotReadAnotherPeersInbox() throws Exception {
    Recorder alice = new Recorder("alice");
    Recorder bob = new Recorder("bob");
    SignalingTransport a = open(as("alice", "alice-pw"), "acl1", "alice", alice);
    alice.joined();
    open(as("bob", "bob-pw"), "acl1", "bob", bob);
    bob.joined();

    BlockingQueue<String> stolen = new LinkedBlockingQueue<>();
    MqttAsyncClient m = mallory(stolen);
    IMqttToken sub = m.subscribe(new String[] {"simplecall/v1/acl1/to/bob/from/+", "simplecall/v1/acl1/to/mallory/from/+"},
        new int[] {1, 1});
    sub.waitForCompletion(5000);
    // mosquitto 2.0 grants the subscription (SUBACK QoS 1) and checks the read ACL per message

    a.send(offer("acl1", "alice", "bob", "for bob only"));
    a.send(offer("acl1", "alice", "mallory", "for mallory"));
    assertEquals("for bob only", bob.skipPresenceUntil(Envelope.Offer.class).sdp());
    // alice sent bob's first; had mallory been able to read it, it would come before her own
    String first = stolen.poll(10, TimeUnit.SECONDS);
    assertTrue(first != null && first.startsWith("simplecall/v1/acl1/to/mallory/from/alice "), "got " + first);
    assertNull(stolen.poll(), "mallory read something else");
  }

  @Test
  void aPeerCannotSendOrClearPresenceUnderAnotherName() throws Exception {
    Recorder alice = new Recorder("alice");
    Recorder bob = new Recorder("bob");
    open(as("alice", "alice-pw"), "acl2", "alice", alice);
    alice.joined();
    open(as("bob", "bob-pw"), "acl2", "bob", bob);
    bob.joined();
    alice.message(Envelope.PeerJoined.class);

    MqttAsyncClient m = mallory(new LinkedBlockingQueue<>());
    m.publish("simplecall/v1/acl2/to/bob/from/alice", offer("acl2", "alice", "bob", "forged").getBytes(StandardCharsets.UTF_8), 1, false)
        .waitForCompletion(5000);
    m.publish("simplecall/v1/acl2/presence/alice", new byte[0], 1, true).waitForCompletion(5000);
    m.publish("simplecall/v1/acl2/to/bob/from/mallory", offer("acl2", "alice", "bob", "honest").getBytes(StandardCharsets.UTF_8), 1, false)
        .waitForCompletion(5000);

    // in order from one publisher: the forged offer and the presence wipe would come first
    Envelope.Offer got = bob.message(Envelope.Offer.class);
    assertEquals("honest", got.sdp());
    assertEquals("mallory", got.from(), "the sender is the topic's, which the ACL ties to the user name");
    bob.assertQuiet();
  }

  @Test
  void aWrongPasswordIsTerminalUnauthorized() throws Exception {
    Recorder r = new Recorder("alice");
    SignalingTransport t = open(as("alice", "wrong"), "acl3", "alice", r);
    Recorder.Event e = r.next(10);
    assertEquals("failure", e.kind(), "got " + e);
    assertEquals(TransportException.Kind.UNAUTHORIZED.name(), e.text());
    assertEquals(false, t.send(offer("acl3", "alice", "bob", "x")));
  }

  @Test
  void theJoinTokenServesAsPasswordForThePeerId() throws Exception {
    Recorder bob = new Recorder("bob");
    SignalingTransport t = new MqttTransportFactory().create(URI.create("mqtt://127.0.0.1:" + broker.port()),
        options("acl5", "bob").newBuilder().token("bob-pw").build(), bob);
    opened.add(t);
    assertEquals(List.of(), bob.joined().peers());
  }
}
