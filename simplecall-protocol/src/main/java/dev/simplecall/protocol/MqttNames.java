package dev.simplecall.protocol;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Names that MQTT signaling fixes on the broker (see PROTOCOL.md, "MQTT"): the topic layout and the
 * client id, shared by the SDK's MQTT transport and the signaling server's bridge and embedded broker,
 * which must agree on them. Every topic carries the room and the peers involved, so that a broker ACL
 * keyed on the MQTT user name can enforce identity:
 *
 * <pre>
 * simplecall/v1/{room}/to/{to}/from/{from}   one routed message, QoS 1, not retained
 * simplecall/v1/{room}/presence/{peer}       retained presence ({@link MqttPresence})
 * </pre>
 *
 * Room and peer ids are {@link Names valid names}, so they never contain the MQTT separators {@code /},
 * {@code +} or {@code #}; {@link #parseTopic} takes only topics whose levels are valid names.
 *
 * <pre>{@code
 * String id = MqttNames.clientId("r1", "alice");                  // "sc-" + 20 hex digits
 * String t = MqttNames.messageTopic("r1", "bob", "alice");        // "simplecall/v1/r1/to/bob/from/alice"
 * MqttNames.Topic parsed = MqttNames.parseTopic(t);               // MESSAGE, room r1, to bob, from alice
 * }</pre>
 */
public final class MqttNames {
  /** Every simplecall topic starts with this. */
  public static final String PREFIX = "simplecall/v1/";
  /** A filter for every routed message of every room (what the server's bridge reads). */
  public static final String EVERY_MESSAGE = PREFIX + "+/to/+/from/+";
  /** A filter for the presence of every peer of every room (what the server's bridge reads). */
  public static final String EVERY_PRESENCE = PREFIX + "+/presence/+";

  private MqttNames() {}

  /**
   * The stable MQTT client id of {@code peer} in {@code room}: {@code "sc-"} + the first 20 hex digits
   * of SHA-256({@code room + "\n" + peer}), 23 characters (the MQTT 3.1 limit). The broker keys a peer's
   * persistent session on it, so a reconnecting peer gets what was queued meanwhile.
   *
   * @param room the room id (not checked; {@code null} hashes as the text {@code "null"})
   * @param peer the peer id (not checked; {@code null} hashes as the text {@code "null"})
   * @return 23 characters: {@code "sc-"} and 20 lower-case hex digits
   */
  public static String clientId(String room, String peer) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest((room + "\n" + peer).getBytes(StandardCharsets.UTF_8));
      return "sc-" + HexFormat.of().formatHex(h).substring(0, 20);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e); // every JVM has SHA-256
    }
  }

  /**
   * Where {@code from} publishes a message for {@code to}.
   *
   * @param room the room id
   * @param to the receiving peer's id
   * @param from the sending peer's id
   * @return {@code simplecall/v1/{room}/to/{to}/from/{from}}; the ids are not checked
   */
  public static String messageTopic(String room, String to, String from) {
    return PREFIX + room + "/to/" + to + "/from/" + from;
  }

  /**
   * The filter {@code self} subscribes to for its inbox: every message to it in {@code room}.
   *
   * @param room the room id
   * @param self the receiving peer's id
   * @return {@code simplecall/v1/{room}/to/{self}/from/+}; the ids are not checked
   */
  public static String inboxFilter(String room, String self) {
    return PREFIX + room + "/to/" + self + "/from/+";
  }

  /**
   * Where {@code peer} publishes its retained presence in {@code room}.
   *
   * @param room the room id
   * @param peer the peer's id
   * @return {@code simplecall/v1/{room}/presence/{peer}}; the ids are not checked
   */
  public static String presenceTopic(String room, String peer) {
    return PREFIX + room + "/presence/" + peer;
  }

  /**
   * The filter for the presence of every peer in {@code room}.
   *
   * @param room the room id
   * @return {@code simplecall/v1/{room}/presence/+}; the id is not checked
   */
  public static String roomPresenceFilter(String room) {
    return PREFIX + room + "/presence/+";
  }

  /**
   * The room and peers a topic names, or {@code null} for any topic that is not a simplecall message or
   * presence topic with valid room and peer ids.
   *
   * @param topic an MQTT topic name, or {@code null}
   * @return the parsed topic, or {@code null} ({@code null} also for a {@code null} topic)
   */
  public static Topic parseTopic(String topic) {
    if (topic == null || !topic.startsWith(PREFIX)) return null;
    String[] p = topic.substring(PREFIX.length()).split("/", -1);
    if (p.length == 5 && p[1].equals("to") && p[3].equals("from")
        && Names.isValid(p[0]) && Names.isValid(p[2]) && Names.isValid(p[4])) {
      return new Topic(Topic.Kind.MESSAGE, p[0], p[2], p[4]);
    }
    if (p.length == 3 && p[1].equals("presence") && Names.isValid(p[0]) && Names.isValid(p[2])) {
      return new Topic(Topic.Kind.PRESENCE, p[0], null, p[2]);
    }
    return null;
  }

  /**
   * A parsed topic: a {@code MESSAGE} from {@code from} to {@code to}, or the {@code PRESENCE} of {@code
   * from} ({@code to} is then null). Each id is a valid name.
   *
   * @param kind what the topic carries
   * @param room the room id
   * @param to the receiving peer's id for a {@code MESSAGE}; {@code null} for {@code PRESENCE}
   * @param from the sending peer's id for a {@code MESSAGE}; the present (or gone) peer's id for {@code
   *     PRESENCE}
   */
  public record Topic(Kind kind, String room, String to, String from) {
    /** What a topic carries. */
    public enum Kind {
      /** {@code simplecall/v1/{room}/to/{to}/from/{from}}: one routed envelope. */
      MESSAGE,
      /** {@code simplecall/v1/{room}/presence/{peer}}: a peer's retained {@link MqttPresence}. */
      PRESENCE
    }
  }
}
