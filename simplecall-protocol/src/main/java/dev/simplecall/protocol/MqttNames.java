package dev.simplecall.protocol;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Names that MQTT signaling fixes on the broker (see PROTOCOL.md, "MQTT"): shared by the SDK's MQTT
 * transport and the signaling server's embedded broker, which must agree on them.
 *
 * <pre>{@code
 * String id = MqttNames.clientId("r1", "alice");   // "sc-" + 20 hex digits
 * }</pre>
 */
public final class MqttNames {
  /** Every simplecall topic starts with this. */
  public static final String PREFIX = "simplecall/v1/";

  private MqttNames() {}

  /**
   * The stable MQTT client id of {@code peer} in {@code room}: {@code "sc-"} + the first 20 hex digits
   * of SHA-256({@code room + "\n" + peer}), 23 characters (the MQTT 3.1 limit). The broker keys a peer's
   * persistent session on it, so a reconnecting peer gets what was queued meanwhile.
   */
  public static String clientId(String room, String peer) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest((room + "\n" + peer).getBytes(StandardCharsets.UTF_8));
      return "sc-" + HexFormat.of().formatHex(h).substring(0, 20);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e); // every JVM has SHA-256
    }
  }
}
