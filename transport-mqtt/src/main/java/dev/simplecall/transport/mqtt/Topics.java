package dev.simplecall.transport.mqtt;

import dev.simplecall.protocol.MqttNames;
import dev.simplecall.protocol.Names;
import dev.simplecall.spi.TransportOptions;

/**
 * The MQTT topic layout of envelope v1 (docs/PROTOCOL.md, "MQTT"). Every topic carries the room and
 * the peers involved so that a broker ACL keyed on the MQTT user name can enforce identity:
 *
 * <pre>
 * simplecall/v1/{room}/to/{to}/from/{from}   one routed message, QoS 1, not retained
 * simplecall/v1/{room}/presence/{peer}       retained {"state":"online"}; empty retained payload = gone
 * </pre>
 *
 * Room and peer ids are restricted to {@code [A-Za-z0-9._-]} ({@link TransportOptions#isValidName}),
 * so they never contain the MQTT separators {@code /}, {@code +} or {@code #}.
 */
final class Topics {
  static final String PREFIX = MqttNames.PREFIX;

  private Topics() {}

  /** Where {@code from} publishes a message for {@code to}. */
  static String message(String room, String to, String from) {
    return PREFIX + room + "/to/" + to + "/from/" + from;
  }

  /** What {@code self} subscribes to for its inbox. */
  static String inbox(String room, String self) {
    return PREFIX + room + "/to/" + self + "/from/+";
  }

  static String presence(String room, String peer) {
    return PREFIX + room + "/presence/" + peer;
  }

  static String presenceOfRoom(String room) {
    return PREFIX + room + "/presence/+";
  }

  /**
   * A parsed topic: {@code kind} is {@code MESSAGE} (with {@code to} and {@code from}) or {@code
   * PRESENCE} (with {@code from} = the peer). {@code null} from {@link #parse} for any other topic.
   */
  record Parsed(Kind kind, String room, String to, String from) {
    enum Kind { MESSAGE, PRESENCE }
  }

  static Parsed parse(String topic) {
    if (topic == null || !topic.startsWith(PREFIX)) return null;
    String[] p = topic.substring(PREFIX.length()).split("/", -1);
    if (p.length == 5 && p[1].equals("to") && p[3].equals("from")
        && valid(p[0]) && valid(p[2]) && valid(p[4])) {
      return new Parsed(Parsed.Kind.MESSAGE, p[0], p[2], p[4]);
    }
    if (p.length == 3 && p[1].equals("presence") && valid(p[0]) && valid(p[2])) {
      return new Parsed(Parsed.Kind.PRESENCE, p[0], null, p[2]);
    }
    return null;
  }

  private static boolean valid(String name) {
    return Names.isValid(name);
  }
}
