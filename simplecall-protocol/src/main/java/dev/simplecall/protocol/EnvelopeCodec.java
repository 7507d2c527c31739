package dev.simplecall.protocol;

import com.squareup.moshi.JsonDataException;
import com.squareup.moshi.JsonEncodingException;
import com.squareup.moshi.JsonReader;
import com.squareup.moshi.JsonWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import okio.Buffer;

/**
 * Envelope v1 to and from JSON text, with Moshi's streaming reader and writer. Unknown fields are
 * ignored; unknown types, wrong versions, missing fields and oversized text are refused with an
 * {@link EnvelopeException} carrying the error code to send back. Thread-safe and stateless.
 */
public final class EnvelopeCodec {
  /** Largest accepted message, in UTF-8 bytes. */
  public static final int MAX_MESSAGE_BYTES = 64 * 1024;

  private EnvelopeCodec() {}

  /**
   * Encodes one envelope as compact JSON: {@code v}, {@code type}, {@code id}, {@code room}, {@code
   * from} and {@code to}, then the type's own fields. {@code null} fields are left out, except the
   * {@code candidate} of an end-of-candidates message, written as {@code null}. The size is not checked:
   * a receiver refuses text over {@link #MAX_MESSAGE_BYTES}.
   *
   * @param e the envelope; not {@code null}
   * @return the JSON text
   */
  public static String encode(Envelope e) {
    Buffer buffer = new Buffer();
    try (JsonWriter w = JsonWriter.of(buffer)) {
      w.setSerializeNulls(false);
      w.beginObject();
      w.name("v").value(Envelope.VERSION);
      w.name("type").value(e.type());
      w.name("id").value(e.id());
      w.name("room").value(e.room());
      w.name("from").value(e.from());
      w.name("to").value(e.to());
      if (e instanceof Envelope.Join j) {
        w.name("token").value(j.token());
      } else if (e instanceof Envelope.Welcome wel) {
        w.name("peers").beginArray();
        for (String p : wel.peers()) w.value(p);
        w.endArray();
        w.name("iceServers").beginArray();
        for (IceServerInfo s : wel.iceServers()) writeIceServer(w, s);
        w.endArray();
      } else if (e instanceof Envelope.PeerJoined pj) {
        w.name("peer").value(pj.peer());
      } else if (e instanceof Envelope.PeerLeft pl) {
        w.name("peer").value(pl.peer());
      } else if (e instanceof Envelope.Offer o) {
        w.name("sdp").value(o.sdp());
      } else if (e instanceof Envelope.Answer a) {
        w.name("sdp").value(a.sdp());
      } else if (e instanceof Envelope.Candidate c) {
        w.name("candidate");
        if (c.candidate() == null) {
          w.setSerializeNulls(true);
          w.nullValue();
          w.setSerializeNulls(false);
        } else {
          w.beginObject();
          w.name("candidate").value(c.candidate().candidate());
          w.name("sdpMid").value(c.candidate().sdpMid());
          w.name("sdpMLineIndex").value(c.candidate().sdpMLineIndex());
          w.endObject();
        }
      } else if (e instanceof Envelope.Bye b) {
        w.name("reason").value(b.reason());
      } else if (e instanceof Envelope.Error err) {
        w.name("code").value(err.code());
        w.name("message").value(err.message());
        w.name("ref").value(err.ref());
      }
      w.endObject();
    } catch (IOException ex) {
      throw new AssertionError(ex); // writing to a Buffer does not fail
    }
    return buffer.readUtf8();
  }

  private static void writeIceServer(JsonWriter w, IceServerInfo s) throws IOException {
    w.beginObject();
    w.name("urls").beginArray();
    for (String u : s.urls()) w.value(u);
    w.endArray();
    w.name("username").value(s.username());
    w.name("credential").value(s.credential());
    w.endObject();
  }

  /**
   * The text of a message that arrived as bytes (an HTTP body, an MQTT payload), read strictly: bytes
   * that are not well-formed UTF-8 are refused rather than read as U+FFFD, which would deliver a message
   * other than the one sent.
   *
   * @param bytes the raw message
   * @return the text
   * @throws EnvelopeException {@code bad-json} when {@code bytes} are not well-formed UTF-8
   */
  public static String utf8(byte[] bytes) throws EnvelopeException {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new EnvelopeException(ErrorCode.BAD_JSON, "not UTF-8: " + e.getMessage(), null);
    }
  }

  /**
   * Decodes one envelope. Fields of other types and unknown fields are ignored; a peer message
   * ({@code offer}, {@code answer}, {@code candidate}, {@code bye}, {@code leave}) without {@code room}
   * gets the empty string as room.
   *
   * @param text one JSON object
   * @return the envelope, of the record type its {@code type} names
   * @throws EnvelopeException {@code too-large} over {@link #MAX_MESSAGE_BYTES}; {@code bad-json} for
   *     {@code null}, text that is not one JSON object, a field of the wrong JSON type, a string with an
   *     unpaired surrogate, a missing or unsupported {@code v}, a missing {@code type}, a missing or
   *     empty {@code id}, an {@code id} over 128 characters, or a field the type requires missing or
   *     empty; {@code bad-name} for a room or peer id that is not a {@link Names valid name}; {@code
   *     unknown-type} for a type this version does not know. {@link EnvelopeException#ref()} is the
   *     message's id when it was read.
   */
  public static Envelope decode(String text) throws EnvelopeException {
    if (text == null) throw new EnvelopeException(ErrorCode.BAD_JSON, "null message", null);
    if (text.length() > MAX_MESSAGE_BYTES
        || text.getBytes(StandardCharsets.UTF_8).length > MAX_MESSAGE_BYTES) {
      throw new EnvelopeException(ErrorCode.TOO_LARGE, "message over " + MAX_MESSAGE_BYTES + " bytes", null);
    }
    Fields f = new Fields();
    try {
      JsonReader r = JsonReader.of(new Buffer().writeUtf8(text));
      readObject(r, f);
      if (r.peek() != JsonReader.Token.END_DOCUMENT) throw new JsonEncodingException("trailing data");
    } catch (JsonDataException | IOException | IllegalStateException | NumberFormatException ex) {
      throw new EnvelopeException(ErrorCode.BAD_JSON, "malformed JSON: " + ex.getMessage(), f.id);
    }
    return f.toEnvelope();
  }

  /**
   * Reads the {@code iceServers} of a JSON object, as in the server's {@code GET /v1/turn-credentials}
   * answer {@code {"ttl":S,"iceServers":[{"urls":[..],"username":..,"credential":..}]}}; other fields are
   * ignored.
   *
   * @param json the JSON object; not {@code null}
   * @return the ICE servers in the order given; empty when {@code iceServers} is absent, {@code null} or
   *     an empty array
   * @throws EnvelopeException ({@code bad-json}) when the text is not such an object
   */
  public static List<IceServerInfo> decodeIceServers(String json) throws EnvelopeException {
    List<IceServerInfo> out = new ArrayList<>();
    try {
      JsonReader r = JsonReader.of(new Buffer().writeUtf8(json));
      r.beginObject();
      while (r.hasNext()) {
        if (!r.nextName().equals("iceServers") || r.peek() == JsonReader.Token.NULL) {
          r.skipValue();
          continue;
        }
        r.beginArray();
        while (r.hasNext()) out.add(readIceServer(r));
        r.endArray();
      }
      r.endObject();
    } catch (JsonDataException | IOException | IllegalStateException ex) {
      throw new EnvelopeException(ErrorCode.BAD_JSON, "malformed ICE server list: " + ex.getMessage(), null);
    }
    return out;
  }

  /**
   * Splits a JSON array of envelopes into the items' texts, or returns a single envelope as it is, as
   * the long-poll endpoints accept; each item is then {@link #decode}d. Items are the array's own text,
   * not re-serialized, so an item decodes exactly as it would alone (repeated keys, numbers, escapes).
   *
   * @param text a JSON array of envelopes, or any other text (returned whole, unchecked); not {@code
   *     null}
   * @return the items' texts in order (empty for an empty array), or {@code text} alone
   * @throws EnvelopeException {@code too-large} when {@code text} is over 16 times {@link
   *     #MAX_MESSAGE_BYTES} (1 MiB); {@code bad-json} when an array is malformed or followed by more data
   */
  public static List<String> splitArray(String text) throws EnvelopeException {
    if (text.getBytes(StandardCharsets.UTF_8).length > MAX_MESSAGE_BYTES * 16) {
      throw new EnvelopeException(ErrorCode.TOO_LARGE, "batch too large", null);
    }
    try {
      JsonReader r = JsonReader.of(new Buffer().writeUtf8(text));
      List<String> out = new ArrayList<>();
      if (r.peek() == JsonReader.Token.BEGIN_ARRAY) {
        r.beginArray();
        while (r.hasNext()) {
          try (okio.BufferedSource item = r.nextSource()) {
            out.add(item.readUtf8());
          }
        }
        r.endArray();
        if (r.peek() != JsonReader.Token.END_DOCUMENT) throw new JsonEncodingException("trailing data after the array");
      } else {
        out.add(text);
      }
      return out;
    } catch (JsonDataException | IOException | IllegalStateException ex) {
      throw new EnvelopeException(ErrorCode.BAD_JSON, "malformed JSON: " + ex.getMessage(), null);
    }
  }

  private static void readObject(JsonReader r, Fields f) throws IOException {
    r.beginObject();
    while (r.hasNext()) {
      String name = r.nextName();
      if (r.peek() == JsonReader.Token.NULL) {
        r.nextNull();
        if (name.equals("candidate")) f.candidatePresent = true;
        continue;
      }
      switch (name) {
        case "v" -> f.v = integer(r);
        case "type" -> f.type = string(r);
        case "id" -> f.id = string(r);
        case "room" -> f.room = string(r);
        case "from" -> f.from = string(r);
        case "to" -> f.to = string(r);
        case "token" -> f.token = string(r);
        case "sdp" -> f.sdp = string(r);
        case "reason" -> f.reason = string(r);
        case "peer" -> f.peer = string(r);
        case "code" -> f.code = string(r);
        case "message" -> f.message = string(r);
        case "ref" -> f.ref = string(r);
        case "peers" -> {
          f.peers = new ArrayList<>();
          r.beginArray();
          while (r.hasNext()) f.peers.add(string(r));
          r.endArray();
        }
        case "iceServers" -> {
          f.iceServers = new ArrayList<>();
          r.beginArray();
          while (r.hasNext()) f.iceServers.add(readIceServer(r));
          r.endArray();
        }
        case "candidate" -> {
          f.candidatePresent = true;
          f.candidate = readCandidate(r);
        }
        default -> r.skipValue();
      }
    }
    r.endObject();
  }

  /**
   * A string value, of JSON type string, that is valid Unicode. A JSON escape can spell an unpaired UTF-16 surrogate, which
   * no UTF-8 encoder can write back: relayed, it would arrive as {@code ?}, so it is refused.
   */
  private static String string(JsonReader r) throws IOException {
    // Moshi's nextString() also takes a number (42 reads as "42"): a wrong type must not pass.
    if (r.peek() != JsonReader.Token.STRING) throw new JsonDataException("expected a string at " + r.getPath());
    String s = r.nextString();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!Character.isSurrogate(c)) continue;
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else {
        throw new JsonDataException(String.format("unpaired surrogate U+%04X at %s", (int) c, r.getPath()));
      }
    }
    return s;
  }

  /** An integer that is a JSON number: Moshi's nextInt() also takes a numeric string ("1"). */
  private static int integer(JsonReader r) throws IOException {
    if (r.peek() != JsonReader.Token.NUMBER) throw new JsonDataException("expected a number at " + r.getPath());
    return r.nextInt();
  }

  private static IceServerInfo readIceServer(JsonReader r) throws IOException {
    List<String> urls = new ArrayList<>();
    String user = null;
    String credential = null;
    r.beginObject();
    while (r.hasNext()) {
      String name = r.nextName();
      if (r.peek() == JsonReader.Token.NULL) {
        r.nextNull();
        continue;
      }
      switch (name) {
        case "urls" -> {
          if (r.peek() == JsonReader.Token.STRING) {
            urls.add(string(r));
          } else {
            r.beginArray();
            while (r.hasNext()) urls.add(string(r));
            r.endArray();
          }
        }
        case "username" -> user = string(r);
        case "credential" -> credential = string(r);
        default -> r.skipValue();
      }
    }
    r.endObject();
    try {
      return new IceServerInfo(urls, user, credential);
    } catch (IllegalArgumentException e) {
      throw new JsonDataException("bad iceServers entry: " + e.getMessage());
    }
  }

  private static Envelope.IceCandidate readCandidate(JsonReader r) throws IOException {
    String candidate = null;
    String sdpMid = null;
    Integer index = null;
    r.beginObject();
    while (r.hasNext()) {
      String name = r.nextName();
      if (r.peek() == JsonReader.Token.NULL) {
        r.nextNull();
        continue;
      }
      switch (name) {
        case "candidate" -> candidate = string(r);
        case "sdpMid" -> sdpMid = string(r);
        case "sdpMLineIndex" -> index = integer(r);
        default -> r.skipValue();
      }
    }
    r.endObject();
    // Browsers signal end-of-candidates as an empty candidate string.
    if (candidate == null || candidate.isEmpty()) return null;
    return new Envelope.IceCandidate(candidate, sdpMid, index);
  }

  /** Every field of every type, filled while reading; mapped to a record at the end. */
  private static final class Fields {
    Integer v;
    String type, id, room, from, to, token, sdp, reason, peer, code, message, ref;
    List<String> peers;
    List<IceServerInfo> iceServers;
    Envelope.IceCandidate candidate;
    boolean candidatePresent;

    Envelope toEnvelope() throws EnvelopeException {
      if (v == null || v != Envelope.VERSION) throw bad("missing or unsupported \"v\" (expected 1)");
      if (type == null) throw bad("missing \"type\"");
      if (id == null || id.isEmpty()) throw bad("missing \"id\"");
      if (id.length() > 128) throw bad("\"id\" longer than 128 characters");
      checkNames();
      return switch (type) {
        case "join" -> new Envelope.Join(id, need(room, "room"), need(from, "from"), token);
        case "welcome" -> new Envelope.Welcome(id, need(room, "room"), to, peers, iceServers);
        case "peer-joined" -> new Envelope.PeerJoined(id, need(room, "room"), need(peer, "peer"));
        case "peer-left" -> new Envelope.PeerLeft(id, need(room, "room"), need(peer, "peer"));
        case "offer" -> new Envelope.Offer(id, orEmpty(room), from, need(to, "to"), need(sdp, "sdp"));
        case "answer" -> new Envelope.Answer(id, orEmpty(room), from, need(to, "to"), need(sdp, "sdp"));
        case "candidate" -> new Envelope.Candidate(id, orEmpty(room), from, need(to, "to"), candidate);
        case "bye" -> new Envelope.Bye(id, orEmpty(room), from, need(to, "to"), reason);
        case "leave" -> new Envelope.Leave(id, orEmpty(room), from);
        case "error" -> new Envelope.Error(id, room, to, need(code, "code"), message, ref);
        default -> throw new EnvelopeException(ErrorCode.UNKNOWN_TYPE, "unknown type \"" + type + "\"", id);
      };
    }

    /**
     * Every room and peer id a message carries must be a valid name ({@link TransportOptions#isValidName}):
     * they become map keys, MQTT topic levels and log text. Checked before anything is stored.
     */
    private void checkNames() throws EnvelopeException {
      name(room, "room");
      name(from, "from");
      name(to, "to");
      name(peer, "peer");
      if (peers != null) for (String p : peers) name(p, "peers");
    }

    private void name(String value, String field) throws EnvelopeException {
      if (value == null || value.isEmpty() || Names.isValid(value)) return;
      throw new EnvelopeException(ErrorCode.BAD_NAME, "\"" + field + "\" must be 1-64 characters of [A-Za-z0-9._-]: "
          + quoted(value), id);
    }

    /** The start of a bad name, printable: never echoes 60 000 characters or control characters back. */
    private static String quoted(String value) {
      StringBuilder b = new StringBuilder("\"");
      for (int i = 0; i < value.length() && i < 32; i++) {
        char c = value.charAt(i);
        if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') b.append(c); else b.append(String.format("\\u%04x", (int) c));
      }
      b.append(value.length() > 32 ? "\"... (" + value.length() + " characters)" : "\"");
      return b.toString();
    }

    private String need(String value, String name) throws EnvelopeException {
      if (value == null || value.isEmpty()) throw bad("missing \"" + name + "\" on " + type);
      return value;
    }

    private static String orEmpty(String room) {
      return room == null ? "" : room;
    }

    private EnvelopeException bad(String message) {
      return new EnvelopeException(ErrorCode.BAD_JSON, message, id);
    }
  }
}
