package dev.simplecall.protocol.corpus;

import dev.simplecall.protocol.EnvelopeException;
import dev.simplecall.protocol.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A deterministic corpus of hostile envelope texts: hand-written classes of attack, each with the
 * answer the protocol documents, plus random mutations of valid envelopes, whose answer is whatever the
 * codec says (the codec itself is held to the hand-written classes and to "only {@link
 * EnvelopeException}" by {@code HostileEnvelopesTest}). Shared with the signaling server's corpus
 * through this module's test jar. Envelopes that decode address {@link #TARGET} (or nobody) in the
 * sender's room and never {@code join} or {@code leave}, so one connection can take a whole corpus.
 */
public final class HostileEnvelopes {
  /** The peer that valid routed cases address; present in the attacker's room. */
  public static final String TARGET = "victim";

  /**
   * One input. {@code expected} is the codec's documented answer ({@code null}: it decodes); with
   * {@code derived} set, the class has no fixed answer (a random mutation) and the codec's is taken.
   */
  public record Case(String kind, String text, ErrorCode expected, boolean derived) {
    @Override
    public String toString() {
      String t = text.length() > 120 ? text.substring(0, 120) + "...(" + text.length() + " chars)" : text;
      return kind + " " + t;
    }
  }

  private static final String[] VALID = {
    "{\"v\":1,\"type\":\"offer\",\"id\":\"%s\",\"to\":\"victim\",\"sdp\":\"v=0\\r\\no=- 1 2 IN IP4 0.0.0.0\"}",
    "{\"v\":1,\"type\":\"answer\",\"id\":\"%s\",\"room\":\"call\",\"from\":\"alice\",\"to\":\"victim\",\"sdp\":\"v=0\"}",
    "{\"v\":1,\"type\":\"candidate\",\"id\":\"%s\",\"to\":\"victim\",\"candidate\":{\"candidate\":\"candidate:1 1 udp 1 "
        + "10.0.0.1 5000 typ host\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}}",
    "{\"v\":1,\"type\":\"candidate\",\"id\":\"%s\",\"to\":\"victim\",\"candidate\":null}",
    "{\"v\":1,\"type\":\"bye\",\"id\":\"%s\",\"to\":\"victim\",\"reason\":\"hangup\",\"extra\":{\"a\":[1,2,{}]}}",
  };
  private static final String JSONISH = "{}[]\":,\\01-9.eE+tfnul \t\r\nabcvtypeidroom\u00e9\u20ac\ud83d\ude00\u0000\u001f";

  private final Random random;
  private int serial;

  public HostileEnvelopes(long seed) {
    this.random = new Random(seed);
  }

  /** {@code n} cases: about a third random mutations, the rest drawn from the hand-written classes. */
  public List<Case> generate(int n) {
    List<Case> out = new ArrayList<>(n);
    while (out.size() < n) out.add(next());
    return out;
  }

  public Case next() {
    String id = "c" + (serial++);
    int pick = random.nextInt(30);
    if (pick < 10) return mutation(id);
    return switch (pick) {
      case 10 -> new Case("not-json", notJson(), ErrorCode.BAD_JSON, false);
      case 11 -> new Case("truncated", truncated(id), ErrorCode.BAD_JSON, false);
      case 12 -> new Case("deep-nesting", deep(id, 300 + random.nextInt(12_000)), ErrorCode.BAD_JSON, false);
      case 13 -> new Case("deep-nesting-oversized", deep(id, 70_000 + random.nextInt(40_000)), ErrorCode.TOO_LARGE, false);
      case 14 -> new Case("huge-number", hugeNumber(id), ErrorCode.BAD_JSON, false);
      case 15 -> new Case("huge-string", field(id, "sdp", "x".repeat(65_536 + random.nextInt(4096))), ErrorCode.TOO_LARGE, false);
      case 16 -> new Case("multibyte-oversized", field(id, "sdp", "\u20ac".repeat(21_900 + random.nextInt(100))),
          ErrorCode.TOO_LARGE, false);
      case 17 -> new Case("big-valid", field(id, "sdp", "v=" + "y".repeat(random.nextInt(60_000))), null, false);
      case 18 -> wrongType(id);
      case 19 -> new Case("unknown-type", unknownType(id), ErrorCode.UNKNOWN_TYPE, false);
      case 20 -> new Case("server-only-type", serverOnly(id), null, false);
      case 21 -> new Case("bad-name", badName(id), ErrorCode.BAD_NAME, false);
      case 22 -> new Case("spoofed-from", field(id, "from", "alice").replace("\"to\"", "\"room\":\"call\",\"to\""), null, false);
      case 23 -> new Case("foreign-peer", valid(id).replace("\"victim\"", "\"alice\""), null, false);
      case 24 -> new Case("bad-version", valid(id).replace("\"v\":1", "\"v\":" + pickOf("2", "0", "-1", "null", "1.5")),
          ErrorCode.BAD_JSON, false);
      case 25 -> new Case("missing-id", valid(id).replace("\"id\":\"" + id + "\",", pickOf("", "\"id\":\"\",", "\"id\":null,")),
          ErrorCode.BAD_JSON, false);
      case 26 -> new Case("long-id", valid("i".repeat(129 + random.nextInt(500))), ErrorCode.BAD_JSON, false);
      case 27 -> new Case("bad-escape", field(id, "sdp", pickOf("\\u12", "\\uZZZZ", "\\x41", "\\", "\\u")), ErrorCode.BAD_JSON, false);
      case 28 -> new Case("trailing-data", valid(id) + pickOf("x", "{}", ",", "]", " 1"), ErrorCode.BAD_JSON, false);
      default -> new Case("lone-surrogate", field(id, "sdp", pickOf("\\ud800", "\\udfff", "a\\ud83d")),
          ErrorCode.BAD_JSON, false);
    };
  }

  private String valid(String id) {
    return String.format(VALID[random.nextInt(VALID.length)], id);
  }

  /** A valid offer with {@code name} set to the raw JSON string contents {@code value}. */
  private static String field(String id, String name, String value) {
    return "{\"v\":1,\"type\":\"offer\",\"id\":\"" + id + "\",\"to\":\"victim\",\"sdp\":\"v=0\",\"" + name + "\":\"" + value + "\"}";
  }

  private Case mutation(String id) {
    StringBuilder b = new StringBuilder(valid(id));
    for (int i = 1 + random.nextInt(3); i > 0 && b.length() > 0; i--) {
      int at = random.nextInt(b.length());
      switch (random.nextInt(5)) {
        case 0 -> b.deleteCharAt(at);
        case 1 -> b.insert(at, JSONISH.charAt(random.nextInt(JSONISH.length())));
        case 2 -> b.setCharAt(at, JSONISH.charAt(random.nextInt(JSONISH.length())));
        case 3 -> b.insert(at, b.substring(at, Math.min(b.length(), at + 1 + random.nextInt(12))));
        default -> b.setLength(at);
      }
    }
    return new Case("mutation", b.toString(), null, true);
  }

  private String notJson() {
    return pickOf("", " ", "null", "true", "42", "\"offer\"", "[]", "[{}]", "{", "}", "{]", "{\"v\":1,}", "{v:1}",
        "{'v':1}", "\u0000", "\ufeff{\"v\":1}", "<xml/>", "{\"v\":1 \"type\":\"offer\"}", "{\"v\":1,\"v\"}",
        "NaN", "{\"v\":Infinity}", "GET / HTTP/1.1");
  }

  private String truncated(String id) {
    String v = valid(id);
    return v.substring(0, random.nextInt(v.length()));
  }

  private String deep(String id, int depth) {
    String open = random.nextBoolean() ? "[" : "{\"a\":";
    return "{\"v\":1,\"type\":\"offer\",\"id\":\"" + id + "\",\"to\":\"victim\",\"sdp\":\"v=0\",\"x\":" + open.repeat(depth);
  }

  private String hugeNumber(String id) {
    String n = pickOf("1e999999", "-1e999999", "9".repeat(400), "1" + "0".repeat(30), "2147483648", "1.0000000001", "0x1");
    return valid(id).replace("\"v\":1", "\"v\":" + n);
  }

  private Case wrongType(String id) {
    String v = valid(id);
    String[] swaps = {
      "\"v\":1", "\"v\":[1]", "\"v\":1", "\"v\":{}", "\"v\":1", "\"v\":true",
      "\"type\":\"", "\"type\":{\"x\":\"", "\"to\":\"victim\"", "\"to\":[\"victim\"]",
      "\"to\":\"victim\"", "\"to\":{}", "\"id\":\"", "\"id\":[\"",
      "\"v\":1", "\"v\":\"1\"", "\"to\":\"victim\"", "\"to\":42", "\"to\":\"victim\"", "\"to\":true",
    };
    int i = random.nextInt(swaps.length / 2) * 2;
    return new Case("wrong-type", v.replace(swaps[i], swaps[i + 1]), ErrorCode.BAD_JSON, false);
  }

  private String unknownType(String id) {
    String type = pickOf("hello", "", "OFFER", "offer ", "x".repeat(1000), "join\u0000", "\u202eoffer");
    return valid(id).replaceFirst("\"type\":\"[a-z]+\"", "\"type\":\"" + type + "\"");
  }

  private String serverOnly(String id) {
    return switch (random.nextInt(4)) {
      case 0 -> "{\"v\":1,\"type\":\"welcome\",\"id\":\"" + id + "\",\"room\":\"call\",\"to\":\"victim\",\"peers\":[]}";
      case 1 -> "{\"v\":1,\"type\":\"peer-joined\",\"id\":\"" + id + "\",\"room\":\"call\",\"peer\":\"alice\"}";
      case 2 -> "{\"v\":1,\"type\":\"peer-left\",\"id\":\"" + id + "\",\"room\":\"call\",\"peer\":\"bob\"}";
      default -> "{\"v\":1,\"type\":\"error\",\"id\":\"" + id + "\",\"to\":\"victim\",\"code\":\"bad-json\"}";
    };
  }

  private String badName(String id) {
    String bad = pickOf("a/b", "../../etc", "r+#", "a".repeat(65), "nul\\u0000x", "\\u202eevil", "sp ace", "caf\u00e9", "\\n");
    // Appended last: a repeated key takes the last value.
    return field(id, pickOf("room", "from", "to"), bad);
  }

  private String pickOf(String... choices) {
    return choices[random.nextInt(choices.length)];
  }
}
