package dev.simplecall.transport.mqtt;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttException;

/**
 * The QoS 1 publishes handed to Paho and not yet acknowledged by the broker. When the link drops they
 * are taken back from Paho and published again, as new messages, once the transport is connected
 * again. Paho would resend them itself with the DUP flag; Moquette 0.17 (the embedded broker) cannot
 * route a DUP publish when none of its subscribers failed before: it retains the payload zero times,
 * which throws, and the session loop that ran it stops serving every session it holds (fixed upstream
 * in Moquette 0.18.0). A publish sent twice this way is dropped by the receiver, by envelope id.
 * Confined to the transport's loop.
 */
final class InFlight {
  record Publish(String topic, byte[] payload, boolean retained) {}

  private final Map<IMqttDeliveryToken, Publish> unacked = new LinkedHashMap<>();
  private final ArrayDeque<Publish> again = new ArrayDeque<>();

  /** Paho took {@code p}; its token completes when the broker acknowledged it. */
  void sent(IMqttDeliveryToken token, Publish p) {
    unacked.put(token, p);
  }

  void acknowledged(IMqttDeliveryToken token) {
    unacked.remove(token);
  }

  /** The link dropped: what Paho still holds is removed from it and kept to be published again, in order. */
  void takeBack(MqttAsyncClient client) {
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

  /** The next publish to send again, or {@code null}. */
  Publish nextAgain() {
    return again.peek();
  }

  /** {@link #nextAgain()} was published. */
  void sentAgain() {
    again.poll();
  }
}
