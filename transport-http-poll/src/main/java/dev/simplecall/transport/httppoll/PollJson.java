package dev.simplecall.transport.httppoll;

import com.squareup.moshi.JsonReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import okio.Buffer;
import okio.BufferedSource;

/** The small JSON bodies of the long-poll endpoints, read with Moshi's streaming reader. */
final class PollJson {
  private PollJson() {}

  /**
   * A create or poll response: {@code {"session":"sid","cursor":N,"messages":[...]}} ({@code
   * session} only on create). Each message is kept as the exact JSON text the server sent.
   */
  record Batch(String session, long cursor, List<String> messages) {}

  static Batch readBatch(BufferedSource body) throws IOException {
    String session = null;
    Long cursor = null;
    List<String> messages = new ArrayList<>();
    JsonReader r = JsonReader.of(body);
    r.beginObject();
    while (r.hasNext()) {
      switch (r.nextName()) {
        case "session" -> session = r.nextString();
        case "cursor" -> cursor = r.nextLong();
        case "messages" -> {
          r.beginArray();
          while (r.hasNext()) {
            try (BufferedSource raw = r.nextSource()) {
              messages.add(raw.readUtf8());
            }
          }
          r.endArray();
        }
        default -> r.skipValue();
      }
    }
    r.endObject();
    if (cursor == null) throw new IOException("poll response without \"cursor\"");
    return new Batch(session, cursor, messages);
  }

  /**
   * What tells a repeat of one envelope's text from another message: its {@code from} and {@code id}
   * ({@code from} absent on the server's own envelopes), or {@code null} when it has no id or is not JSON.
   * Ids are each sender's own, so two senders may use the same one.
   */
  static String dedupKeyOf(String envelope) {
    String id = null;
    String from = null;
    try {
      JsonReader r = JsonReader.of(new Buffer().writeUtf8(envelope));
      r.beginObject();
      while (r.hasNext()) {
        String name = r.nextName();
        if (name.equals("id") && r.peek() == JsonReader.Token.STRING) id = r.nextString();
        else if (name.equals("from") && r.peek() == JsonReader.Token.STRING) from = r.nextString();
        else r.skipValue();
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    return id == null ? null : from + "/" + id;
  }

  /** One envelope as is, several as a JSON array: the body of a send. */
  static String sendBody(List<String> batch) {
    if (batch.size() == 1) return batch.get(0);
    StringBuilder b = new StringBuilder().append('[');
    for (int i = 0; i < batch.size(); i++) {
      if (i > 0) b.append(',');
      b.append(batch.get(i));
    }
    return b.append(']').toString();
  }
}
