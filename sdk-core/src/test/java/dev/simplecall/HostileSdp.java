package dev.simplecall;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;

/**
 * Seeded mutations of a real SDP offer, as a broken or hostile remote stack might send: truncated,
 * lines dropped, repeated, swapped or garbled, absurd numbers, huge attributes, many media sections,
 * missing ICE or DTLS parameters, bad payload types, extension ids and bundle groups, control and
 * direction-override characters, other line endings. Most stay under the signaling's 64 KiB message
 * limit, so they reach the peer. Case {@code i} of a seed is always the same.
 */
final class HostileSdp {
  record Case(String kind, String sdp) {}

  private final String base;
  private final String[] lines;
  private final long seed;
  private final List<Mutation> mutations;

  HostileSdp(String base, long seed) {
    this.base = base;
    this.lines = base.split("\r\n");
    this.seed = seed;
    this.mutations = mutations();
  }

  private List<Mutation> mutations() {
    return List.of(
      new Mutation("empty", (r, l) -> ""),
      new Mutation("version only", (r, l) -> "v=0\r\n"),
      new Mutation("truncated", (r, l) -> base.substring(0, r.nextInt(base.length()))),
      new Mutation("lines dropped", (r, l) -> join(drop(r, l, 1 + r.nextInt(4)))),
      new Mutation("lines repeated", (r, l) -> join(repeat(r, l, 1 + r.nextInt(4)))),
      new Mutation("lines swapped", (r, l) -> join(swap(r, l))),
      new Mutation("line garbled", (r, l) -> join(garble(r, l))),
      new Mutation("numbers absurd", (r, l) -> join(absurdNumbers(r, l))),
      new Mutation("huge attribute", (r, l) -> join(insert(r, l, "a=x-huge:" + "A".repeat(20_000 + r.nextInt(40_000))))),
      new Mutation("many media sections", (r, l) -> manyMediaSections(r)),
      new Mutation("no ice credentials", (r, l) -> join(without(l, "a=ice-ufrag", "a=ice-pwd"))),
      new Mutation("no fingerprint", (r, l) -> join(without(l, "a=fingerprint"))),
      new Mutation("bad fingerprint", (r, l) -> join(replacePrefix(l, "a=fingerprint:",
          r.nextBoolean() ? "a=fingerprint:sha-256 ZZ:00" : "a=fingerprint:md17 " + "AB:".repeat(40)))),
      new Mutation("bad payload types", (r, l) -> join(replacePrefix(l, "a=rtpmap:",
          "a=rtpmap:" + pick(r, "999", "-1", "128", "18446744073709551616") + " VP8/90000"))),
      new Mutation("bad extension ids", (r, l) -> join(replacePrefix(l, "a=extmap:",
          "a=extmap:" + pick(r, "0", "15", "256", "-3", "99999") + " urn:ietf:params:rtp-hdrext:sdes:mid"))),
      new Mutation("bad bundle group", (r, l) -> join(replacePrefix(l, "a=group:BUNDLE",
          pick(r, "a=group:BUNDLE 0 0 0", "a=group:BUNDLE nothere", "a=group:BUNDLE", "a=group:BUNDLE " + "9 ".repeat(500))))),
      new Mutation("bad setup role", (r, l) -> join(replacePrefix(l, "a=setup:", "a=setup:" + pick(r, "passive", "holdconn", "", "actpass actpass")))),
      new Mutation("control characters", (r, l) -> join(sprinkle(r, l, "\u0000\u202E\u200B\u0007\uFEFF"))),
      new Mutation("line endings", (r, l) -> pick(r, base.replace("\r\n", "\n"), base.replace("\r\n", "\r"), base.strip())),
      new Mutation("candidates in the offer", (r, l) -> join(insert(r, l, "a=candidate:" + candidates(r, 1).get(0)))),
      new Mutation("bad ssrc", (r, l) -> join(insert(r, l, pick(r, "a=ssrc:4294967296 cname:x", "a=ssrc-group:FID 1",
          "a=ssrc:-5 msid:a b", "a=ssrc-group:SIM " + "7 ".repeat(300))))),
      new Mutation("unknown media", (r, l) -> base + pick(r, "m=teleport 9 UDP/TLS/RTP/SAVPF 96\r\n",
          "m=video 0 RTP/AVP\r\n", "m=application 99999999 UDP/DTLS/SCTP webrtc-datachannel\r\na=sctp-port:0\r\n")));
  }

  /** Case {@code i}: the mutations in turn, each with its own seeded choices. */
  Case next(int i) {
    Mutation m = mutations.get(i % mutations.size());
    Random r = new Random(seed * 31 + i);
    return new Case(m.kind, m.apply.apply(r, new ArrayList<>(Arrays.asList(lines))));
  }

  /** {@code n} candidate strings, from plausible to garbage. */
  static List<String> candidates(Random r, int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(pick(r,
          "candidate:1 1 udp 2122260223 10.0.0.1 99999 typ host",
          "candidate:1 1 udp -1 10.0.0.1 5000 typ host",
          "candidate:1 1 tcp 1 ::ffff:999.1.1.1 5000 typ srflx raddr x rport y",
          "candidate:" + "9".repeat(40) + " 1 udp 1 1.2.3.4 1 typ relay",
          "candidate:1 1 udp 1 1.2.3.4 1 typ",
          "candidate:1 300 sctp 1 host.invalid 1 typ host generation 99999999999",
          "candidate:\u202E 1 udp 1 a.local 1 typ host",
          "",
          "x".repeat(5_000)));
    }
    return out;
  }

  private record Mutation(String kind, BiFunction<Random, List<String>, String> apply) {}

  @SafeVarargs
  private static <T> T pick(Random r, T... choices) {
    return choices[r.nextInt(choices.length)];
  }

  private static String join(List<String> l) {
    return String.join("\r\n", l) + "\r\n";
  }

  private static List<String> drop(Random r, List<String> l, int n) {
    for (int i = 0; i < n && l.size() > 1; i++) l.remove(1 + r.nextInt(l.size() - 1));
    return l;
  }

  private static List<String> repeat(Random r, List<String> l, int n) {
    for (int i = 0; i < n; i++) {
      int at = r.nextInt(l.size());
      l.add(at, l.get(at));
    }
    return l;
  }

  private static List<String> swap(Random r, List<String> l) {
    int a = r.nextInt(l.size());
    int b = r.nextInt(l.size());
    String t = l.get(a);
    l.set(a, l.get(b));
    l.set(b, t);
    return l;
  }

  private static List<String> garble(Random r, List<String> l) {
    int at = r.nextInt(l.size());
    char[] c = l.get(at).toCharArray();
    for (int i = 0; i < c.length; i++) {
      if (r.nextInt(4) == 0) c[i] = (char) (0x21 + r.nextInt(0x5e));
    }
    l.set(at, new String(c));
    return l;
  }

  private static List<String> absurdNumbers(Random r, List<String> l) {
    String n = pick(r, "0", "-1", "4294967296", "99999999999999999999", "1e308", "NaN");
    int at = r.nextInt(l.size());
    l.set(at, l.get(at).replaceAll("[0-9]+", n));
    return l;
  }

  private static List<String> insert(Random r, List<String> l, String line) {
    l.add(1 + r.nextInt(l.size() - 1), line);
    return l;
  }

  private static List<String> without(List<String> l, String... prefixes) {
    l.removeIf(s -> Arrays.stream(prefixes).anyMatch(s::startsWith));
    return l;
  }

  private static List<String> replacePrefix(List<String> l, String prefix, String with) {
    l.replaceAll(s -> s.startsWith(prefix) ? with : s);
    return l;
  }

  private static List<String> sprinkle(Random r, List<String> l, String chars) {
    for (int i = 0; i < 3; i++) {
      int at = r.nextInt(l.size());
      String s = l.get(at);
      int pos = r.nextInt(s.length() + 1);
      l.set(at, s.substring(0, pos) + chars.charAt(r.nextInt(chars.length())) + s.substring(pos));
    }
    return l;
  }

  private String manyMediaSections(Random r) {
    int m = base.indexOf("m=");
    String section = base.substring(m);
    StringBuilder b = new StringBuilder(base);
    for (int i = 0, n = 4 + r.nextInt(8); i < n; i++) b.append(section.replaceAll("a=mid:(\\S+)", "a=mid:$1x" + i));
    return b.toString();
  }
}
