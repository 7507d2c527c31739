package dev.simplecall.samples.natlab;

import dev.simplecall.samples.natlab.SimplecallProcesses.Outcome;
import dev.simplecall.server.TokenIssuer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The sent video bitrate before and after a network outage, for BENCHMARKS.md: alice on a1 calls bob on
 * b1 (two cone NATs, STUN) for {@code bench.call} (60 s) at {@code bench.video} (640x480@30); at
 * {@code bench.outageAt} (20 s) after alice's first remote frame, router a drops everything it forwards
 * for {@code bench.outage} (3 s). Both peers run with {@code --verbose=debug,webrtc}: the SDK's
 * {@code dev.simplecall.stats} logger prints the raw stats fields once a second (outbound-rtp
 * targetBitrate, qualityLimitationReason, frame size and rate, media-source, inbound-rtp,
 * candidate-pair availableOutgoingBitrate), libwebrtc its INFO log. Prints one row per second per peer
 * and a summary; each peer's whole output is kept in {@code target/natlab/ROOM.log}.
 *
 * <p>With {@code -Dbench.record=true} each peer also records the video it receives to
 * {@code target/natlab/ROOM-ID/video.y4m}.
 *
 * <p>A long measurement, not a test: its name does not end in {@code Test}, so no suite runs it. Run
 * it alone (root, as the NAT lab needs) with
 * <pre>{@code
 * mvn -o -B -q -pl samples -am verify -Dsimplecall.groups= -Dtest=NatOutageBitrateBenchmark \
 *     -Dsurefire.failIfNoSpecifiedTests=false [-Dbench.outage=15s -Dbench.call=60s]
 * }</pre>
 */
class NatOutageBitrateBenchmark {
  private static final int PORT = 8080;
  private static final String STUN = "stun:" + NatLab.PUBLIC_IP + ":" + Coturn.PORT;
  private static final Pattern RAW = Pattern.compile("^(\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) .* raw (.*)$");
  private static final Pattern FIELD = Pattern.compile("(\\S+?)=(\\S+)");

  @Test
  void sentBitrateAroundAnOutage() throws Exception {
    String callLength = System.getProperty("bench.call", "60s");
    String video = System.getProperty("bench.video", "640x480@30");
    Duration outageAt = Duration.ofSeconds(seconds(System.getProperty("bench.outageAt", "20s")));
    Duration outage = Duration.ofSeconds(seconds(System.getProperty("bench.outage", "3s")));
    try (NatLab lab = NatLab.builder()
        .lan("a", NatType.PORT_RESTRICTED_CONE, 1)
        .lan("b", NatType.PORT_RESTRICTED_CONE, 1)
        .build()) {
      lab.startCoturn();
      byte[] rnd = new byte[16];
      new SecureRandom().nextBytes(rnd);
      String secret = HexFormat.of().formatHex(rnd);
      TokenIssuer tokens = new TokenIssuer(secret);
      SimplecallProcesses.awaitServer(SimplecallProcesses.server(lab, "plain", PORT, List.of("--auth-secret", secret)));
      String room = "bitrate" + System.nanoTime() % 100_000;
      String load0 = Files.readString(Path.of("/proc/loadavg")).trim();
      LabProcess bob = peer(lab, lab.host("b", 1), "bob", args(tokens, room, "bob", null, callLength, video));
      LabProcess alice = peer(lab, lab.host("a", 1), "alice", args(tokens, room, "alice", "bob", callLength, video));
      LocalTime cutAt;
      LocalTime restoredAt;
      String load1;
      try {
        if (alice.awaitLine(l -> l.contains("first remote frame"), Duration.ofSeconds(60)) == null) {
          throw new AssertionError("no media:\n" + alice.tail(40));
        }
        Thread.sleep(outageAt.toMillis()); // the measurement's schedule, not a wait for an event
        String ns = lab.lan("a").routerNs();
        List<String> rule = List.of("FORWARD", "-m", "comment", "--comment", "bench-outage", "-j", "DROP");
        cutAt = LocalTime.now();
        lab.exec(ns, Duration.ofSeconds(10), concat("iptables", "-I", rule)).check();
        Thread.sleep(outage.toMillis());
        lab.exec(ns, Duration.ofSeconds(10), concat("iptables", "-D", rule)).check();
        restoredAt = LocalTime.now();
        load1 = Files.readString(Path.of("/proc/loadavg")).trim();
      } catch (RuntimeException | Error | InterruptedException e) {
        alice.close();
        bob.close();
        throw e;
      }
      Outcome a = SimplecallProcesses.await(alice, Duration.ofMinutes(3));
      Outcome b = SimplecallProcesses.await(bob, Duration.ofMinutes(3));
      alice.close();
      bob.close();
      String load2 = Files.readString(Path.of("/proc/loadavg")).trim();
      StringBuilder report = new StringBuilder();
      report.append(String.format(Locale.ROOT, "[bench] video %s, call %s, outage %s at %s (cut %s, restored %s);"
          + " loadavg at start %s, after the outage %s, at the end %s%n", video, callLength, outage, outageAt, cutAt,
          restoredAt, load0, load1, load2));
      for (Outcome o : List.of(a, b)) {
        report.append(table(o, cutAt, outage));
      }
      Path file = Path.of("target", "natlab", room + ".log").toAbsolutePath();
      Files.createDirectories(file.getParent());
      Files.writeString(file, report + "\n===== alice\n" + a.output() + "\n===== bob\n" + b.output());
      Files.writeString(Path.of("target", "natlab", room + ".summary.txt"), report);
      System.out.println(report + "[bench] whole output: " + file);
    }
  }

  /** {@code simplecall peer ARGS} in the host's namespace, with {@code bench.jvmArgs} (space separated) added. */
  private static LabProcess peer(NatLab lab, NatLab.Host host, String id, List<String> args) {
    List<String> cmd = SimplecallProcesses.java();
    String extra = System.getProperty("bench.jvmArgs", "").trim();
    if (!extra.isEmpty()) cmd.addAll(1, List.of(extra.split("\\s+")));
    cmd.add("peer");
    cmd.addAll(args);
    return lab.spawn(host.ns(), "peer-" + id + "@" + host.name(), cmd);
  }

  /** One row per stats line (about one a second) relative to the cut, then medians before and after. */
  private static String table(Outcome o, LocalTime cut, Duration outage) {
    StringBuilder b = new StringBuilder();
    b.append("== ").append(o.label()).append(" exit=").append(o.exitCode()).append(' ').append(o.result()).append('\n');
    b.append(" t_s  out_kbps target_kbps avail_kbps out_fps  out_size  limit   qp  src_fps  in_fps in_size"
        + "  nack pli rtx_kB\n");
    double[] prevQp = {Double.NaN, Double.NaN};
    List<double[]> before = new ArrayList<>();
    List<double[]> after = new ArrayList<>();
    for (String line : o.output().lines().toList()) {
      Matcher m = RAW.matcher(line);
      if (!m.find()) continue;
      double t = ChronoUnit.MILLIS.between(cut, LocalTime.parse(m.group(1))) / 1000.0;
      Map<String, String> f = new LinkedHashMap<>();
      Matcher fm = FIELD.matcher(m.group(2));
      while (fm.find()) f.put(fm.group(1), fm.group(2));
      double out = num(f, "out_bps") / 1000;
      // the mean QP of the frames encoded since the previous line
      double qpSum = num(f, "out.qpSum");
      double encoded = num(f, "out.framesEncoded");
      double qp = encoded > prevQp[1] ? (qpSum - prevQp[0]) / (encoded - prevQp[1]) : Double.NaN;
      prevQp[0] = qpSum;
      prevQp[1] = encoded;
      b.append(String.format(Locale.ROOT, "%5.1f %8.0f %11.0f %10.0f %7s %9s %6s %4.1f %8s %7s %7s %5s %3s %6.0f%n", t, out,
          num(f, "out.targetBitrate") / 1000, num(f, "pair.availableOutgoingBitrate") / 1000,
          f.getOrDefault("out.framesPerSecond", "-"), size(f, "out.frameWidth", "out.frameHeight"),
          f.getOrDefault("out.qualityLimitationReason", "-"), qp,
          f.getOrDefault("src.framesPerSecond", "-"), f.getOrDefault("in.framesPerSecond", "-"),
          size(f, "in.frameWidth", "in.frameHeight"), f.getOrDefault("out.nackCount", "-"),
          f.getOrDefault("out.pliCount", "-"), num(f, "out.retransmittedBytesSent") / 1000));
      double[] row = {t, out, num(f, "in.framesPerSecond"), num(f, "out.targetBitrate") / 1000};
      if (t < 0 && t >= -15) before.add(row);
      double sinceRestore = t - outage.toMillis() / 1000.0;
      if (sinceRestore >= 0) after.add(row);
    }
    double base = median(before, 1);
    b.append(String.format(Locale.ROOT, "   sent: median %.0f kbit/s in the 15 s before the cut; after the restore:"
        + " 0-10 s %.0f, 10-20 s %.0f, 20 s on %.0f; at >= 90 %% of before for good from: %s%n", base,
        median(window(after, outage, 0, 10), 1), median(window(after, outage, 10, 20), 1),
        median(window(after, outage, 20, 1e9), 1), stays(after, outage, 1, 0.9 * base)));
    double target = median(before, 3);
    b.append(String.format(Locale.ROOT, "   targetBitrate: median %.0f kbit/s before; at >= 90 %% of it for good from: %s%n",
        target, stays(after, outage, 3, 0.9 * target)));
    b.append(String.format(Locale.ROOT, "   received fps: median %.1f before; after the restore 0-10 s %.1f,"
        + " 10 s on %.1f%n", median(before, 2), median(window(after, outage, 0, 10), 2),
        median(window(after, outage, 10, 1e9), 2)));
    return b.toString();
  }

  private static List<double[]> window(List<double[]> rows, Duration outage, double from, double to) {
    double o = outage.toMillis() / 1000.0;
    return rows.stream().filter(r -> r[0] - o >= from && r[0] - o < to).toList();
  }

  /** The first row from which column {@code col} stays at or above {@code level} to the end of the call. */
  private static String stays(List<double[]> rows, Duration outage, int col, double level) {
    int from = rows.size();
    while (from > 0 && rows.get(from - 1)[col] >= level) from--;
    if (from == rows.size()) return "never";
    return String.format(Locale.ROOT, "%.1f s after the restore", rows.get(from)[0] - outage.toMillis() / 1000.0);
  }

  private static double median(List<double[]> rows, int col) {
    if (rows.isEmpty()) return Double.NaN;
    List<Double> v = rows.stream().map(r -> r[col]).sorted().toList();
    int n = v.size();
    return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
  }

  private static double num(Map<String, String> f, String key) {
    String v = f.get(key);
    if (v == null) return Double.NaN;
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  private static String size(Map<String, String> f, String w, String h) {
    return f.containsKey(w) ? f.get(w) + "x" + f.getOrDefault(h, "?") : "-";
  }

  private static long seconds(String s) {
    return Long.parseLong(s.replaceAll("s$", ""));
  }

  private static String[] concat(String cmd, String op, List<String> rule) {
    List<String> all = new ArrayList<>(List.of(cmd, op));
    all.addAll(rule);
    return all.toArray(String[]::new);
  }

  private static List<String> args(TokenIssuer tokens, String room, String id, String callee, String duration,
      String video) {
    List<String> args = new ArrayList<>(List.of("--signaling", SimplecallProcesses.wsUri(PORT), "--room", room,
        "--id", id, "--token", tokens.issue(id, room, Duration.ofMinutes(10)), "--duration", duration,
        "--video", video, "--wait", "60s", "--ice-server", STUN,
        "--verbose=" + System.getProperty("bench.verbose", "debug,webrtc")));
    if (Boolean.getBoolean("bench.record")) {
      // the received video as Y4M (30 fps) for comparing pictures: target/natlab/ROOM-ID/video.y4m
      args.addAll(List.of("--record", Path.of("target", "natlab", room + "-" + id).toAbsolutePath().toString()));
    }
    if (callee != null) args.addAll(List.of("--call", callee));
    return args;
  }
}
