package dev.simplecall.server.mqtt;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * A hand-driven Paho client, as an attacker (or a careful test) uses one: raw topics, chosen client
 * id and credentials. What arrives is queued as {@code "topic payload"}; a lost connection as
 * {@code "lost ..."}.
 */
final class RawMqtt implements AutoCloseable {
  final BlockingQueue<String> received = new LinkedBlockingQueue<>();
  final MqttAsyncClient client;

  private RawMqtt(String pahoUri, String clientId) throws MqttException {
    client = new MqttAsyncClient(pahoUri, clientId, new MemoryPersistence());
    client.setCallback(new MqttCallback() {
      @Override public void connectionLost(Throwable cause) {
        received.add("lost " + cause);
      }

      @Override public void messageArrived(String topic, MqttMessage m) {
        received.add(topic + " " + new String(m.getPayload(), StandardCharsets.UTF_8));
      }

      @Override public void deliveryComplete(IMqttDeliveryToken t) {}
    });
  }

  /** The client id the SDK's MQTT transport uses for (room, peer): docs/PROTOCOL.md, "MQTT". */
  static String sdkClientId(String room, String peer) throws Exception {
    byte[] h = MessageDigest.getInstance("SHA-256").digest((room + "\n" + peer).getBytes(StandardCharsets.UTF_8));
    return "sc-" + HexFormat.of().formatHex(h).substring(0, 20);
  }

  static MqttConnectOptions options(String user, String password, boolean cleanSession) {
    MqttConnectOptions o = new MqttConnectOptions();
    if (user != null) o.setUserName(user);
    if (password != null) o.setPassword(password.toCharArray());
    o.setCleanSession(cleanSession);
    o.setConnectionTimeout(5);
    return o;
  }

  /** Connects or throws the broker's refusal. */
  static RawMqtt connect(String pahoUri, String clientId, MqttConnectOptions o) throws MqttException {
    RawMqtt c = new RawMqtt(pahoUri, clientId);
    try {
      c.client.connect(o).waitForCompletion(10_000);
      return c;
    } catch (MqttException e) {
      c.close();
      throw e;
    }
  }

  static RawMqtt connect(String pahoUri, String clientId, String user, String password, boolean cleanSession)
      throws MqttException {
    return connect(pahoUri, clientId, options(user, password, cleanSession));
  }

  /** Subscribes at QoS 1 and returns the granted QoS per filter (128 = refused). */
  int[] subscribe(String... filters) throws MqttException {
    int[] qos = new int[filters.length];
    java.util.Arrays.fill(qos, 1);
    org.eclipse.paho.client.mqttv3.IMqttToken t = client.subscribe(filters, qos);
    t.waitForCompletion(10_000);
    return t.getGrantedQos();
  }

  /** Publishes at QoS 1 and waits for the broker's PUBACK. */
  void publish(String topic, String payload, boolean retained) throws MqttException {
    client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, retained).waitForCompletion(10_000);
  }

  /** Publishes at QoS 1 without waiting: a refused publish gets no PUBACK from Moquette. */
  void fire(String topic, String payload, boolean retained) throws MqttException {
    client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, retained);
  }

  String next() throws InterruptedException {
    return received.poll(10, TimeUnit.SECONDS);
  }

  /** Drops the TCP connection without DISCONNECT, as a crash would. */
  void kill() throws MqttException {
    client.disconnectForcibly(0, 1000, false);
  }

  void disconnect() throws MqttException {
    client.disconnect(1000).waitForCompletion(5000);
  }

  @Override
  public void close() {
    try {
      if (client.isConnected()) client.disconnectForcibly(0, 1000);
      client.close(true);
    } catch (MqttException ignored) {
      // closing a client that never connected
    }
  }
}
