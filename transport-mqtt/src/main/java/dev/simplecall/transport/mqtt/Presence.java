package dev.simplecall.transport.mqtt;

import com.squareup.moshi.JsonReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import okio.Buffer;

/**
 * Presence payloads: retained {@code {"state":"online"}} while a peer is in the room; a retained
 * empty payload (which deletes the retained message) when it left, cleanly or by its Last Will.
 */
final class Presence {
  static final byte[] ONLINE = "{\"state\":\"online\"}".getBytes(StandardCharsets.UTF_8);
  static final byte[] GONE = new byte[0];

  private Presence() {}

  /** {@code TRUE} online, {@code FALSE} gone, {@code null} for a payload that is neither (ignored). */
  static Boolean parse(byte[] payload) {
    if (payload == null || payload.length == 0) return Boolean.FALSE;
    try {
      JsonReader r = JsonReader.of(new Buffer().write(payload));
      String state = null;
      r.beginObject();
      while (r.hasNext()) {
        if (r.nextName().equals("state") && r.peek() == JsonReader.Token.STRING) {
          state = r.nextString();
        } else {
          r.skipValue();
        }
      }
      r.endObject();
      if (state == null) return null;
      return state.equals("online");
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
