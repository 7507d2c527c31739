package dev.simplecall.samples.natlab;

import dev.simplecall.samples.natlab.LabProcess.TimedLine;
import dev.simplecall.samples.natlab.SimplecallProcesses.Outcome;
import dev.simplecall.server.TokenIssuer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The impairment matrix for BENCHMARKS.md: calls between two {@code simplecall peer} processes behind
 * two cone NATs (alice on a1 calls bob on b1, STUN, signaling over WebSocket) while the routers impair
 * the path: random loss each way ({@code iptables -m statistic} in FORWARD), a rate limit each way
 * ({@code tc tbf} on each router's WAN side), delay with jitter on alice's UDP both ways ({@link DelayLine};
 * {@code delay100j30}: 100 ± 30 ms each way, so packets arrive reordered), an outage (router a forwards nothing for a while,
 * {@code bench.outageAt} after alice's first remote frame), or bob's process killed. Each case runs
 * {@code bench.runs} times. Per run and peer: whether the call stayed up, the RESULT's fps and ok, the
 * status lines' sent kbit/s (median, and for outages before the cut and from 10 s after the path is
 * back; and the highest), and stall lines; per outage run the sent kbit/s against time goes to a CSV (and, with
 * gnuplot, {@code recovery.png}). Rows are appended to {@code target/natlab/matrix/summary.md}, so one
 * Maven run per case (a test fork may run 15 minutes) fills one table.
 *
 * <p>A measurement, not a test: no suite runs it. Run it alone (root, as the NAT lab needs):
 * <pre>{@code
 * for c in clean loss5 loss10 loss20 loss20-floor rate300 rate150 delay100j30 outage3 outage15 outage30 kill; do
 *   mvn -o -B -q -pl samples -am verify -Dsimplecall.groups= -Dtest=NatImpairmentMatrixBenchmark \
 *       -Dsurefire.failIfNoSpecifiedTests=false -Dbench.cases=$c [-Dbench.runs=3]
 * done
 * }</pre>
 * A case whose name ends in {@code -floor} runs both peers with {@code --min-video-bitrate 300};
 * {@code -Dbench.args="--random-loss-floor 0"} adds arguments to both peers' command lines, and
 * {@code -Dbench.verbose=true} runs them with {@code --verbose=debug}.
 */
class NatImpairmentMatrixBenchmark {
  private static final int PORT = 8080;
  private static final String STUN = "stun:" + NatLab.PUBLIC_IP + ":" + Coturn.PORT;
  /** A status line: state, fps and the sent rate ({@code out 470 kbit/s} or {@code out 3.9 Mbit/s}). */
  private static final Pattern STATUS = Pattern.compile("^(\\w+)\\s+([\\d.]+) fps\\b.*\\bout ([\\d.]+) (kbit|Mbit)/s");
  private static final Path OUT = Path.of("target", "natlab", "matrix");

  private final String video = System.getProperty("bench.video", "640x480@30");
  private final int runs = Integer.getInteger("bench.runs", 3);
  private final long callSeconds = Long.getLong("bench.callSeconds", 25);
  private final long outageAt = Long.getLong("bench.outageAt", 15);

  private NatLab lab;
  private TokenIssuer tokens;
  private int rooms;

  @Test
  @Timeout(value = 14, unit = TimeUnit.MINUTES)
  void matrix() throws Exception {
    List<String> cases = List.of(System.getProperty("bench.cases",
        "clean,loss5,loss10,loss20,rate300,rate150,delay100j30,outage3,outage15,outage30,kill").split(","));
    Files.createDirectories(OUT);
    Path summary = OUT.resolve("summary.md");
    StringBuilder md = new StringBuilder(Files.exists(summary) ? Files.readString(summary)
        : "| case | run | alice: end, ok, fps | bob: end, ok, fps | sent kbit/s alice / bob (median; before → after) |"
            + " peak sent kbit/s a/b | stall lines a/b | notes |\n|---|---|---|---|---|---|---|---|\n");
    System.out.printf("[matrix] video %s, %d run(s) per case, %s, loadavg at start %s%n", video, runs, Instant.now(),
        Files.readString(Path.of("/proc/loadavg")).trim());
    try (NatLab built = NatLab.builder()
        .lan("a", NatType.PORT_RESTRICTED_CONE, 1)
        .lan("b", NatType.PORT_RESTRICTED_CONE, 1)
        .build()) {
      lab = built;
      lab.startCoturn();
      tokens = SimplecallProcesses.startAuthServer(lab, "plain", PORT);
      for (String c : cases) {
        for (int run = 1; run <= runs; run++) {
          String row = runCase(c.strip(), run);
          md.append(row).append('\n');
          System.out.println("[matrix] " + row);
          Files.writeString(summary, md);
        }
      }
    }
    plotRecovery();
    System.out.println("[matrix] " + OUT.resolve("summary.md").toAbsolutePath() + "\n" + md);
  }

  private String runCase(String caseName, int run) throws Exception {
    String room = "mx-" + caseName + "-" + run + "-" + (++rooms);
    boolean floor = caseName.endsWith("-floor");
    String name = floor ? caseName.substring(0, caseName.length() - "-floor".length()) : caseName;
    long call = name.startsWith("outage") ? outageAt + seconds(name) + 25 : callSeconds;
    List<AutoCloseable> impairments = new ArrayList<>();
    try {
      if (name.startsWith("loss")) {
        String p = String.valueOf(Integer.parseInt(name.substring(4)) / 100.0);
        for (String lan : List.of("a", "b")) {
          impairments.add(ForwardRule.insert(lab, lab.lan(lan), "matrix-loss", "DROP", "-i", "lan0", "-o", "wan",
              "-m", "statistic", "--mode", "random", "--probability", p));
        }
      } else if (name.startsWith("rate")) {
        for (String lan : List.of("a", "b")) impairments.add(rateLimit(lab.lan(lan).routerNs(), name.substring(4) + "kbit"));
      } else if (name.startsWith("delay")) { // delayDjJ: alice's UDP both ways, D ± J ms
        String[] dj = name.substring(5).split("j");
        impairments.add(DelayLine.start(lab, lab.host("a", 1), Integer.parseInt(dj[0]), Integer.parseInt(dj[1])));
      }
      LabProcess bob = SimplecallProcesses.peer(lab, lab.host("b", 1), "bob", args(room, "bob", null, call, floor));
      LabProcess alice = SimplecallProcesses.peer(lab, lab.host("a", 1), "alice", args(room, "alice", "bob", call, floor));
      String note = "";
      long cutAt = 0;
      long restoredAt = 0;
      try {
        String first = alice.awaitLine(l -> l.contains("first remote frame"), Duration.ofSeconds(60));
        if (first == null) note = "no media at alice within 60 s";
        if (name.startsWith("outage") && first != null) {
          Thread.sleep(outageAt * 1000); // the case's schedule, not a wait for an event
          try (ForwardRule cut = ForwardRule.insert(lab, lab.lan("a"), "matrix-outage", "DROP")) {
            cutAt = System.nanoTime();
            Thread.sleep(seconds(name) * 1000);
          }
          restoredAt = System.nanoTime();
        } else if (name.equals("kill") && first != null) {
          Thread.sleep(8000);
          long killed = System.nanoTime();
          ProcessHandle.of(bob.pid()).ifPresent(ProcessHandle::destroyForcibly);
          String ended = alice.awaitLine(l -> l.startsWith("call ended:"), Duration.ofSeconds(30));
          note = ended == null ? "alice did not end within 30 s" : String.format(Locale.ROOT,
              "alice ended %.1f s after the kill", (System.nanoTime() - killed) / 1e9);
        }
      } finally {
        Outcome a = SimplecallProcesses.await(alice, Duration.ofSeconds(call + 90));
        Outcome b = SimplecallProcesses.await(bob, Duration.ofSeconds(call + 90));
        List<TimedLine> aLines = alice.timedLines();
        List<TimedLine> bLines = bob.timedLines();
        alice.close();
        bob.close();
        Files.writeString(OUT.resolve(room + ".log"), "===== alice\n" + a.output() + "\n===== bob\n" + b.output());
        String sent;
        if (cutAt > 0) {
          writeSeries(room, aLines, bLines, cutAt);
          sent = beforeAfter(aLines, cutAt, restoredAt) + " / " + beforeAfter(bLines, cutAt, restoredAt);
          note = (note + " " + resumed(a) + "; " + resumed(b)).strip();
        } else {
          sent = medianSent(aLines, 0, Long.MAX_VALUE) + " / " + medianSent(bLines, 0, Long.MAX_VALUE);
        }
        sent += " | " + peakSent(aLines) + " / " + peakSent(bLines);
        return String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %d / %d | %s |", caseName, run, peer(a), peer(b), sent,
            count(a, "remote video stalled"), count(b, "remote video stalled"), note);
      }
    } finally {
      for (AutoCloseable c : impairments) c.close();
    }
  }

  private AutoCloseable rateLimit(String ns, String rate) {
    lab.exec(ns, Duration.ofSeconds(10), "tc", "qdisc", "add", "dev", "wan", "root", "tbf", "rate", rate,
        "burst", "16kbit", "latency", "400ms").check();
    return () -> lab.exec(ns, Duration.ofSeconds(10), "tc", "qdisc", "del", "dev", "wan", "root").check();
  }

  private List<String> args(String room, String id, String callee, long seconds, boolean floor) {
    List<String> args = new ArrayList<>(List.of("--signaling", SimplecallProcesses.wsUri(PORT), "--room", room,
        "--id", id, "--token", tokens.issue(id, room, Duration.ofMinutes(10)), "--duration", seconds + "s",
        "--video", video, "--wait", "60s", "--ice-server", STUN));
    if (callee != null) args.addAll(List.of("--call", callee));
    if (floor) args.addAll(List.of("--min-video-bitrate", "300"));
    if (Boolean.getBoolean("bench.verbose")) args.add("--verbose=debug");
    String extra = System.getProperty("bench.args", "").strip();
    if (!extra.isEmpty()) args.addAll(List.of(extra.split("\\s+")));
    return args;
  }

  private static String peer(Outcome o) {
    String ended = o.output().lines().filter(l -> l.startsWith("call ended: ")).findFirst()
        .map(l -> l.substring("call ended: ".length()).split("[\\s(]")[0]).orElse("-");
    return ended + ", " + o.get("ok") + ", " + o.get("fps");
  }

  /** Median sent kbit/s of the status lines read in [from, to) (System.nanoTime), skipping the first 5 s of media. */
  private static String medianSent(List<TimedLine> lines, long from, long to) {
    List<Long> v = sentKbps(lines, from, to);
    if (v.isEmpty()) return "-";
    v.sort(null);
    return String.valueOf(v.get(v.size() / 2));
  }

  /** The highest sent kbit/s of the status lines, skipping the first 5 s of media. */
  private static String peakSent(List<TimedLine> lines) {
    List<Long> v = sentKbps(lines, Long.MIN_VALUE, Long.MAX_VALUE);
    return v.isEmpty() ? "-" : String.valueOf(Collections.max(v));
  }

  /** The sent kbit/s of each status line read in [from, to), skipping those of the first 5 s of media. */
  private static List<Long> sentKbps(List<TimedLine> lines, long from, long to) {
    List<Long> v = new ArrayList<>();
    long start = -1;
    for (TimedLine l : lines) {
      Matcher m = STATUS.matcher(l.text().strip());
      if (!m.find()) continue;
      if (start < 0) start = l.nanos();
      if (l.nanos() - start < 5_000_000_000L || l.nanos() < from || l.nanos() >= to) continue;
      v.add(kbps(m));
    }
    return v;
  }

  /** A status line's sent rate in kbit/s. */
  private static long kbps(Matcher status) {
    double v = Double.parseDouble(status.group(3));
    return Math.round("Mbit".equals(status.group(4)) ? v * 1000 : v);
  }

  private static String beforeAfter(List<TimedLine> lines, long cut, long restored) {
    return medianSent(lines, cut - 15_000_000_000L, cut) + " → " + medianSent(lines, restored + 10_000_000_000L, Long.MAX_VALUE);
  }

  private static String resumed(Outcome o) {
    Matcher m = Pattern.compile("remote video resumed after (\\d+) ms").matcher(o.output());
    String r = m.find() ? "resumed after " + m.group(1) + " ms" : "no resume line";
    return o.label().replaceAll("@.*", "") + " " + r + (o.output().contains("ICE restart") ? ", ICE restart" : "");
  }

  private static long count(Outcome o, String text) {
    return o.output().lines().filter(l -> l.contains(text)).count();
  }

  /** {@code ROOM.series.csv}: seconds from the cut, peer, sent kbit/s and received fps, one row per status line. */
  private static void writeSeries(String room, List<TimedLine> a, List<TimedLine> b, long cut) throws IOException {
    StringBuilder csv = new StringBuilder("seconds,peer,out_kbps,fps\n");
    appendSeries(csv, "alice", a, cut);
    appendSeries(csv, "bob", b, cut);
    Files.writeString(OUT.resolve(room + ".series.csv"), csv);
  }

  private static void appendSeries(StringBuilder csv, String peer, List<TimedLine> lines, long cut) {
    for (TimedLine l : lines) {
      Matcher m = STATUS.matcher(l.text().strip());
      if (m.find()) {
        csv.append(String.format(Locale.ROOT, "%.1f,%s,%s,%s%n", (l.nanos() - cut) / 1e9, peer, kbps(m), m.group(2)));
      }
    }
  }

  /** recovery.png: sent kbit/s against seconds from the cut, one line per outage run and peer. */
  private static void plotRecovery() throws Exception {
    List<Path> series;
    try (var files = Files.list(OUT)) {
      series = files.filter(f -> f.getFileName().toString().endsWith(".series.csv")).sorted().toList();
    }
    if (series.isEmpty()) return;
    StringBuilder plot = new StringBuilder("set terminal png size 1100,500\nset output '" + OUT.resolve("recovery.png")
        + "'\nset datafile separator ','\nset xlabel 'seconds from the cut'\nset ylabel 'sent kbit/s'\n"
        + "set title 'sent kbit/s around an outage (router a forwards nothing from 0 s)'\nset key outside right\nplot ");
    List<String> parts = new ArrayList<>();
    for (Path f : series) {
      String name = f.getFileName().toString().replace(".series.csv", "");
      for (String peer : List.of("alice", "bob")) {
        parts.add("'" + f + "' using (strcol(2) eq '" + peer + "' ? $1 : NaN):3 with lines title '" + name + " " + peer + "'");
      }
    }
    plot.append(String.join(", ", parts)).append('\n');
    Path script = OUT.resolve("recovery.gp");
    Files.writeString(script, plot);
    try {
      Process p = new ProcessBuilder("gnuplot", script.toString()).inheritIO().start();
      p.waitFor();
    } catch (IOException e) {
      System.out.println("[matrix] no gnuplot (" + e.getMessage() + "): no plot; the data is in " + OUT);
    }
  }

  private static long seconds(String name) {
    return Long.parseLong(name.replaceAll("\\D", ""));
  }
}
