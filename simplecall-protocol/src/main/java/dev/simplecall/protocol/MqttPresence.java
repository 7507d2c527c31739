package dev.simplecall.protocol;

import com.squareup.moshi.JsonReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import okio.Buffer;

/**
 * A presence payload of MQTT signaling (see PROTOCOL.md, "MQTT"): retained {@code {"state":"online"}}
 * on {@link MqttNames#presenceTopic} while a peer is in the room; a retained empty payload (which
 * deletes the retained message) when it left, cleanly or by its Last Will. The server's bridge adds
 * {@code "bridge":"<id>"} to the presence it publishes for its own peers; readers ignore other fields.
 *
 * <pre>{@code
 * client.publish(MqttNames.presenceTopic("r1", "alice"), MqttPresence.onlinePayload(), 1, true);
 * MqttPresence p = MqttPresence.parse(message.getPayload());   // null when not a JSON object
 * if (p != null && Boolean.TRUE.equals(p.online())) ...
 * }</pre>
 */
public final class MqttPresence {
  private static final String ONLINE = "online";

  private final boolean empty;
  private final String state;
  private final String bridge;

  private MqttPresence(boolean empty, String state, String bridge) {
    this.empty = empty;
    this.state = state;
    this.bridge = bridge;
  }

  /**
   * {@code {"state":"online"}}, a new array each time.
   *
   * @return the UTF-8 bytes of a peer's own online presence
   */
  public static byte[] onlinePayload() {
    return "{\"state\":\"online\"}".getBytes(StandardCharsets.UTF_8);
  }

  /**
   * {@code {"state":"online","bridge":"<bridge>"}}: a server peer's presence as the bridge {@code bridge}
   * mirrors it.
   *
   * @param bridge the publishing bridge's id
   * @return the UTF-8 bytes of the payload, a new array each time
   * @throws NullPointerException when {@code bridge} is {@code null}
   * @throws IllegalArgumentException when {@code bridge} is not a {@link Names valid name}
   */
  public static byte[] bridgedPayload(String bridge) {
    Names.require(bridge, "bridge");
    return ("{\"state\":\"online\",\"bridge\":\"" + bridge + "\"}").getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The empty payload: the peer is gone. A new array each time.
   *
   * @return an empty array
   */
  public static byte[] gonePayload() {
    return new byte[0];
  }

  /**
   * Reads a payload: an empty (or null) one is {@linkplain #empty() empty}; otherwise the string
   * fields {@code state} and {@code bridge} of a JSON object are kept. {@code null} when the payload is
   * not a JSON object.
   *
   * @param payload the MQTT payload as received, or {@code null}
   * @return the presence, or {@code null} when a non-empty payload is not a JSON object
   */
  public static MqttPresence parse(byte[] payload) {
    if (payload == null || payload.length == 0) return new MqttPresence(true, null, null);
    try {
      JsonReader r = JsonReader.of(new Buffer().write(payload));
      String state = null;
      String bridge = null;
      r.beginObject();
      while (r.hasNext()) {
        String name = r.nextName();
        if (r.peek() != JsonReader.Token.STRING) {
          r.skipValue();
        } else if (name.equals("state")) {
          state = r.nextString();
        } else if (name.equals("bridge")) {
          bridge = r.nextString();
        } else {
          r.skipValue();
        }
      }
      r.endObject();
      return new MqttPresence(false, state, bridge);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Whether the payload was empty: the peer left (or its Last Will said so).
   *
   * @return {@code true} for an empty or {@code null} payload
   */
  public boolean empty() {
    return empty;
  }

  /**
   * The {@code state} field; null when the payload is empty or has no string {@code state}.
   *
   * @return the state as sent ({@code online} from simplecall peers), or {@code null}
   */
  public String state() {
    return state;
  }

  /**
   * The {@code bridge} field: the id of the bridge that published it; null for a peer's own presence.
   *
   * @return the bridge id as sent (not checked to be a valid name), or {@code null}
   */
  public String bridge() {
    return bridge;
  }

  /**
   * {@code TRUE} for state {@code online}, {@code FALSE} for the empty payload or any other state,
   * {@code null} for a JSON object without a string {@code state} (neither: a reader ignores it).
   *
   * @return whether the peer is online, or {@code null} when the payload does not say
   */
  public Boolean online() {
    if (empty) return Boolean.FALSE;
    if (state == null) return null;
    return state.equals(ONLINE);
  }

  @Override
  public String toString() {
    return empty ? "MqttPresence{gone}" : "MqttPresence{state=" + state + ", bridge=" + bridge + "}";
  }
}
