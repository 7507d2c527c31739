package dev.simplecall.transport.mqtt;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport's QoS 1 publishes: handed to Paho here and kept until the broker acknowledged them.
 * When the link drops they are taken back from Paho and published again, as new messages, once the
 * transport is connected again. Paho would resend them itself with the DUP flag; Moquette 0.17 (the
 * embedded broker) cannot route a DUP publish when none of its subscribers failed before: it retains
 * the payload zero times, which throws, and the session loop that ran it stops serving every session
 * it holds (fixed upstream in Moquette 0.18.0). A publish sent twice this way is dropped by the
 * receiver, by envelope id. Confined to the transport's loop.
 */
final class InFlight {
  private static final Logger log = LoggerFactory.getLogger(MqttTransport.class); // logs as the transport

  private record Publish(String topic, byte[] payload, boolean retained) {}

  private final MqttAsyncClient client;
  private final String description;
  private final Map<IMqttDeliveryToken, Publish> unacked = new LinkedHashMap<>();
  private final ArrayDeque<Publish> again = new ArrayDeque<>();

  InFlight(MqttAsyncClient client, String description) {
    this.client = client;
    this.description = description;
  }

  /** Hands one QoS 1 message to Paho; {@code false} when Paho refused it (not connected, or too many in flight). */
  boolean publish(String topic, byte[] payload, boolean retained) {
    try {
      MqttMessage msg = new MqttMessage(payload);
      msg.setQos(1);
      msg.setRetained(retained);
      unacked.put(client.publish(topic, msg), new Publish(topic, payload, retained));
      return true;
    } catch (MqttException e) {
      // too many in flight: the rest goes out from deliveryComplete; not connected: after reconnect
      if (e.getReasonCode() != MqttException.REASON_CODE_MAX_INFLIGHT) {
        log.debug("{}: publish deferred: {}", description, e.toString());
      }
      return false;
    }
  }

  /** Publishes again, in order, what was in flight when the link dropped; {@code true} when none is left. */
  boolean publishAgain() {
    for (Publish p = again.peek(); p != null; p = again.peek()) {
      if (!publish(p.topic(), p.payload(), p.retained())) return false;
      again.poll();
    }
    return true;
  }

  /** The broker acknowledged the publish of {@code token}. */
  void acknowledged(IMqttDeliveryToken token) {
    unacked.remove(token);
  }

  /** The link dropped: what Paho still holds is removed from it and kept to be published again, in order. */
  void takeBack() {
    for (Map.Entry<IMqttDeliveryToken, Publish> e : unacked.entrySet()) {
      boolean removed;
      try {
        removed = client.removeMessage(e.getKey());
      } catch (MqttException ex) {
        removed = false;
      }
      if (removed) again.add(e.getValue()); // not removed: acknowledged meanwhile
    }
    unacked.clear();
  }
}
