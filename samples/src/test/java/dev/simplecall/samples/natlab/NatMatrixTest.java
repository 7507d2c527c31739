package dev.simplecall.samples.natlab;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.samples.cli.ExitCodes;
import dev.simplecall.samples.natlab.SimplecallProcesses.Outcome;
import dev.simplecall.server.TokenIssuer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The NAT traversal matrix: two real {@code simplecall peer} processes per row, in lab namespaces
 * behind real NATs, signaling through a real {@code simplecall server} and STUN/TURN through a real
 * coturn on the lab's public network. Each row asserts both RESULT lines (media and data flowed,
 * {@code ok=true}) and the selected candidate types; the failure row asserts the ICE-failure reason
 * and its time bound.
 */
class NatMatrixTest {
  private static final String CALL = "4s";
  private static final Duration PEER_BOUND = Duration.ofSeconds(90);
  /** The failure row: both peers give up with the reason within this, JVM start included (core default 20 s). */
  private static final Duration ICE_FAILURE_BOUND = Duration.ofSeconds(50);
  private static final String STUN = "stun:" + NatLab.PUBLIC_IP + ":" + Coturn.PORT;
  private static final String TURN_UDP = "turn:" + NatLab.PUBLIC_IP + ":" + Coturn.PORT;
  private static final String TURN_TCP = TURN_UDP + "?transport=tcp";
  /** TURN over TLS on coturn's TLS port; the lab's certificate is self-signed, hence --ice-insecure-tls. */
  private static final String TURNS = "turns:" + NatLab.PUBLIC_IP + ":" + Coturn.TLS_PORT + "?transport=tcp";
  /** Server without TURN (ICE servers come only from the peers' flags). */
  private static final int PLAIN_PORT = 8080;
  /** Server with --turn-secret: TURN credentials arrive in {@code welcome}. */
  private static final int TURN_PORT = 8081;
  private static final AtomicInteger ROOMS = new AtomicInteger();
  /** The path-break rows: long enough for a break, its detection, an ICE restart and the repair. */
  private static final String LONG_CALL = "16s";
  private static final String BLACKHOLE = "natlab-blackhole";
  /** The permanent-break row: from the break to both peers' exit (detection + --ice-timeout 8s + JVM exit). */
  private static final Duration PERMANENT_BREAK_BOUND = Duration.ofSeconds(30);

  private static NatLab lab;
  private static Coturn turn;
  private static TokenIssuer tokens;

  @BeforeAll
  static void buildLab() {
    lab = NatLab.builder()
        .lan("ca", NatType.PORT_RESTRICTED_CONE, 2)
        .lan("cb", NatType.PORT_RESTRICTED_CONE, 1)
        .lan("sa", NatType.SYMMETRIC, 1)
        .lan("sb", NatType.SYMMETRIC, 1)
        .lan("noudp", NatType.UDP_BLOCKED, 1)
        .lan("open", NatType.OPEN, 2)
        .build();
    turn = lab.startCoturn();
    byte[] rnd = new byte[16];
    new SecureRandom().nextBytes(rnd);
    String authSecret = HexFormat.of().formatHex(rnd);
    tokens = new TokenIssuer(authSecret);
    // both servers start in parallel: spawn both, then wait for each
    LabProcess plain = SimplecallProcesses.server(lab, "plain", PLAIN_PORT, List.of("--auth-secret", authSecret));
    LabProcess withTurn = SimplecallProcesses.server(lab, "turn", TURN_PORT, List.of("--auth-secret", authSecret,
        "--turn-secret", turn.secret(), "--turn-uri", TURN_UDP, "--turn-uri", TURN_TCP));
    SimplecallProcesses.awaitServer(plain);
    SimplecallProcesses.awaitServer(withTurn);
  }

  @AfterAll
  static void closeLab() {
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void sameLanSelectsHostCandidates() {
    Outcome[] r = call(PLAIN_PORT, lab.host("ca", 1), List.of("--ice-server", STUN),
        lab.host("ca", 2), List.of("--ice-server", STUN));
    for (Outcome o : r) {
      assertTrue(o.ok(), o.describe());
      assertEquals("host", o.get("candidate"), o.describe());
      assertEquals("host", o.get("remote_candidate"), o.describe());
    }
  }

  @Test
  void coneNatsConnectDirectlyThroughStun() {
    Outcome[] r = call(PLAIN_PORT, lab.host("ca", 1), List.of("--ice-server", STUN),
        lab.host("cb", 1), List.of("--ice-server", STUN));
    for (Outcome o : r) {
      assertTrue(o.ok(), o.describe());
      assertEquals("srflx", o.get("candidate"), o.describe());
      assertNotEquals("relay", o.get("remote_candidate"), o.describe());
    }
  }

  @Test
  void symmetricNatsFallBackToTurnRelayFromWelcomeCredentials() {
    // no TURN flag: the TURN URIs and REST credentials come from the server's welcome
    Outcome[] r = call(TURN_PORT, lab.host("sa", 1), List.of("--ice-server", STUN),
        lab.host("sb", 1), List.of("--ice-server", STUN));
    for (Outcome o : r) {
      assertTrue(o.ok(), o.describe());
      assertTrue("relay".equals(o.get("candidate")) || "relay".equals(o.get("remote_candidate")),
          "the path is not relayed: " + o.describe());
    }
    assertTrue("relay".equals(r[0].get("candidate")) || "relay".equals(r[1].get("candidate")),
        "no side selected its relay candidate:\n" + r[0].describe() + "\n" + r[1].describe());
  }

  @Test
  void udpBlockedSideRelaysOverTurnTcp() {
    NatLab.Host blocked = lab.host("noudp", 1);
    long udpDroppedBefore = lab.routerPackets(blocked.lan(), "filter", "FORWARD", Topology.UDP_BLOCK);
    Outcome[] r = call(PLAIN_PORT,
        blocked, List.of("--ice-server", STUN, "--ice-server", turn.iceServerArg(TURN_TCP, "blocked")),
        lab.host("cb", 1), List.of("--ice-server", STUN, "--ice-server", turn.iceServerArg(TURN_UDP, "cone")));
    for (Outcome o : r) {
      assertTrue(o.ok(), o.describe());
    }
    assertEquals("relay", r[0].get("candidate"), r[0].describe());
    assertEquals("tcp", r[0].get("candidate_protocol"), "the blocked side's path to TURN: " + r[0].describe());
    assertTrue(lab.routerPackets(blocked.lan(), "filter", "FORWARD", Topology.UDP_BLOCK) > udpDroppedBefore,
        "the blocked peer sent no UDP at all, so the row proved nothing about blocking");
  }

  @Test
  void udpBlockedSideRelaysOverTurnTls() {
    NatLab.Host blocked = lab.host("noudp", 1);
    long udpDroppedBefore = lab.routerPackets(blocked.lan(), "filter", "FORWARD", Topology.UDP_BLOCK);
    Outcome[] r = call(PLAIN_PORT,
        blocked, List.of("--ice-server", STUN, "--ice-server", turn.iceServerArg(TURNS, "blocked-tls"),
            "--ice-insecure-tls"),
        lab.host("cb", 1), List.of("--ice-server", STUN, "--ice-server", turn.iceServerArg(TURN_UDP, "cone")));
    for (Outcome o : r) {
      assertTrue(o.ok(), o.describe());
    }
    assertEquals("relay", r[0].get("candidate"), r[0].describe());
    assertEquals("tls", r[0].get("candidate_protocol"), "the blocked side's path to TURN: " + r[0].describe());
    assertTrue(lab.routerPackets(blocked.lan(), "filter", "FORWARD", Topology.UDP_BLOCK) > udpDroppedBefore,
        "the blocked peer sent no UDP at all, so the row proved nothing about blocking");
  }

  @Test
  void symmetricNatsWithoutTurnEndWithTheIceFailureReason() {
    long start = System.nanoTime();
    Outcome[] r = call(PLAIN_PORT, lab.host("sa", 1), List.of("--ice-server", STUN),
        lab.host("sb", 1), List.of("--ice-server", STUN));
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    for (Outcome o : r) {
      assertNotNull(o.exitCode(), "peer hung: " + o.describe());
      assertEquals(ExitCodes.ICE_FAILED, o.exitCode(), o.describe());
      assertEquals("false", o.get("ok"), o.describe());
      String reason = String.valueOf(o.get("reason")).toLowerCase();
      assertTrue(reason.contains("turn") || reason.contains("ice") || reason.contains("no route"),
          "the reason does not say ICE found no route: " + o.describe());
    }
    assertTrue(took.compareTo(ICE_FAILURE_BOUND) < 0, "ICE failure took " + took + ", bound " + ICE_FAILURE_BOUND);
  }

  @Test
  void relayPolicyRelaysBothSidesOnAnOpenNetwork() {
    List<String> a = List.of("--ice-policy", "relay", "--ice-server", turn.iceServerArg(TURN_UDP, "o1"));
    List<String> b = List.of("--ice-policy", "relay", "--ice-server", turn.iceServerArg(TURN_UDP, "o2"));
    Outcome[] r = call(PLAIN_PORT, lab.host("open", 1), a, lab.host("open", 2), b);
    for (Outcome o : r) {
      assertTrue(o.ok(), o.describe());
      assertEquals("relay", o.get("candidate"), o.describe());
    }
  }

  /**
   * Mid-call, router cb drops all UDP (in the raw table, so conntrack sees nothing and its 2 s UDP
   * entries expire) and starts mapping to other ports: when the path comes back, the old pair's
   * ports are gone on both NATs (alice's checks hit a port cb no longer maps, bob's arrive at ca from
   * a port ca never saw), so only an ICE restart with fresh srflx candidates can reconnect.
   */
  @Test
  void pathBreakMidCallIsRepairedByIceRestart() {
    NatLab.Host bobHost = lab.host("cb", 1);
    NatLab.Lan cut = bobHost.lan();
    long[] blackholeMs = new long[1];
    long[] dropped = new long[1];
    String[] timeouts = shortUdpConntrack(cut);
    Outcome[] r;
    try {
      r = call(PLAIN_PORT, lab.host("ca", 1), List.of("--ice-server", STUN),
          bobHost, List.of("--ice-server", STUN), LONG_CALL, peers -> {
            awaitAll(peers, l -> l.contains("first remote frame"), Duration.ofSeconds(60), "media flowing");
            long start = System.nanoTime();
            blackhole(cut, true);
            remap(cut, true);
            try {
              // both notice the dead path and restart ICE (3 s after "disconnected"); then the path comes back
              awaitAll(peers, l -> l.endsWith("ICE restart"), Duration.ofSeconds(30), "an ICE restart during the break");
              awaitNoUdpMappings(cut, bobHost.ip(), Duration.ofSeconds(10));
            } finally {
              dropped[0] = lab.routerPackets(cut, "raw", "PREROUTING", BLACKHOLE);
              blackhole(cut, false);
              blackholeMs[0] = (System.nanoTime() - start) / 1_000_000;
            }
          });
    } finally {
      remap(cut, false);
      restoreUdpConntrack(cut, timeouts);
    }
    System.out.println("[natlab] path broken for " + blackholeMs[0] + " ms, " + dropped[0] + " packets dropped");
    assertTrue(dropped[0] > 0, "the blackhole dropped nothing, so the row proved nothing");
    for (Outcome o : r) {
      assertTrue(o.ok(), o.describe());
      assertTrue(o.output().contains("connection lost; reconnecting"), "never went RECONNECTING: " + o.describe());
      assertTrue(o.output().lines().anyMatch(l -> l.endsWith("reconnected")), "never came back: " + o.describe());
    }
  }

  @Test
  void permanentPathBreakEndsWithTheReasonWithinTheBound() {
    NatLab.Lan cut = lab.host("cb", 1).lan();
    long[] brokeAt = new long[1];
    List<String> args = List.of("--ice-server", STUN, "--ice-timeout", "8s");
    Outcome[] r;
    try {
      r = call(PLAIN_PORT, lab.host("ca", 1), args, lab.host("cb", 1), args, LONG_CALL, peers -> {
        awaitAll(peers, l -> l.contains("first remote frame"), Duration.ofSeconds(60), "media flowing");
        brokeAt[0] = System.nanoTime();
        blackhole(cut, true);
      });
    } finally {
      blackhole(cut, false);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - brokeAt[0]);
    System.out.println("[natlab] permanent break: both peers exited " + took.toMillis() + " ms after it");
    for (Outcome o : r) {
      assertEquals(ExitCodes.ICE_FAILED, o.exitCode(), o.describe());
      assertEquals("false", o.get("ok"), o.describe());
      assertTrue(String.valueOf(o.get("reason")).contains("no route: try a TURN server"), o.describe());
      assertTrue(o.output().contains("connection lost; reconnecting"), "never went RECONNECTING: " + o.describe());
    }
    assertTrue(took.compareTo(PERMANENT_BREAK_BOUND) < 0, "gave up after " + took + ", bound " + PERMANENT_BREAK_BOUND);
  }

  /**
   * Drops (or stops dropping) every UDP packet reaching the router of {@code lan}, both ways, before
   * conntrack sees it (raw table), so the NAT's UDP mappings are not kept alive meanwhile.
   */
  private static void blackhole(NatLab.Lan lan, boolean on) {
    Cmd.Result r = lab.exec(lan.routerNs(), Duration.ofSeconds(10), "iptables", "-t", "raw", on ? "-I" : "-D",
        "PREROUTING", "-p", "udp", "-m", "comment", "--comment", BLACKHOLE, "-j", "DROP");
    if (on) {
      r.check();
    }
  }

  /** New UDP mappings of the router of {@code lan} take ports 20000-20999 (below the peers' ephemeral ports). */
  private static void remap(NatLab.Lan lan, boolean on) {
    Cmd.Result r = lab.exec(lan.routerNs(), Duration.ofSeconds(10), "iptables", "-t", "nat", on ? "-I" : "-D",
        "POSTROUTING", "-o", "wan", "-p", "udp", "-m", "comment", "--comment", "natlab-remap",
        "-j", "MASQUERADE", "--to-ports", "20000-20999");
    if (on) {
      r.check();
    }
  }

  private static final String[] UDP_TIMEOUTS = {"net.netfilter.nf_conntrack_udp_timeout",
      "net.netfilter.nf_conntrack_udp_timeout_stream"};

  /** Makes the router's UDP conntrack entries expire 2 s after their last packet; returns the old values. */
  private static String[] shortUdpConntrack(NatLab.Lan lan) {
    String[] old = new String[UDP_TIMEOUTS.length];
    for (int i = 0; i < old.length; i++) {
      old[i] = lab.exec(lan.routerNs(), Duration.ofSeconds(10), "sysctl", "-n", UDP_TIMEOUTS[i]).check().output().strip();
      lab.exec(lan.routerNs(), Duration.ofSeconds(10), "sysctl", "-qw", UDP_TIMEOUTS[i] + "=2").check();
    }
    return old;
  }

  private static void restoreUdpConntrack(NatLab.Lan lan, String[] old) {
    for (int i = 0; i < old.length; i++) {
      lab.exec(lan.routerNs(), Duration.ofSeconds(10), "sysctl", "-qw", UDP_TIMEOUTS[i] + "=" + old[i]);
    }
  }

  /** Waits until the router holds no UDP conntrack entry (NAT mapping) for {@code ip}; fails otherwise. */
  private static void awaitNoUdpMappings(NatLab.Lan lan, String ip, Duration bound) {
    await().atMost(bound).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
      String left = lab.exec(lan.routerNs(), Duration.ofSeconds(10), "cat", "/proc/net/nf_conntrack").output().lines()
          .filter(l -> l.contains(" udp ") && l.contains("src=" + ip + " ")).collect(Collectors.joining("\n"));
      assertTrue(left.isEmpty(), () -> "the NAT still maps " + ip + ":\n" + left);
    });
  }

  private static void awaitAll(LabProcess[] peers, java.util.function.Predicate<String> line, Duration bound,
      String what) {
    for (LabProcess p : peers) {
      if (p.awaitLine(line, bound) == null) {
        throw new AssertionError(p.label() + ": no " + what + " within " + bound + ":\n" + p.tail(40));
      }
    }
  }

  private static Outcome[] call(int serverPort, NatLab.Host a, List<String> aArgs, NatLab.Host b, List<String> bArgs) {
    return call(serverPort, a, aArgs, b, bArgs, CALL, peers -> { });
  }

  /**
   * Runs caller (alice, on {@code a}) and callee (bob, on {@code b}) in a fresh room; returns both
   * outcomes. Both peers' whole output and the NAT routers' conntrack tables and rule counters are
   * kept in {@code target/natlab/ROOM.log}, named in every assertion message.
   */
  private static Outcome[] call(int serverPort, NatLab.Host a, List<String> aArgs, NatLab.Host b, List<String> bArgs,
      String duration, java.util.function.Consumer<LabProcess[]> midCall) {
    String room = "nat" + ROOMS.incrementAndGet();
    LabProcess bob = SimplecallProcesses.peer(lab, b, "bob", peerArgs(serverPort, room, "bob", null, duration, bArgs));
    LabProcess alice = SimplecallProcesses.peer(lab, a, "alice", peerArgs(serverPort, room, "alice", "bob", duration, aArgs));
    try {
      midCall.accept(new LabProcess[] {alice, bob});
      Outcome ra = SimplecallProcesses.await(alice, PEER_BOUND);
      Outcome rb = SimplecallProcesses.await(bob, PEER_BOUND);
      Path log = keepLog(room, List.of(a, b), ra, rb);
      System.out.println("[natlab] " + room + " " + a.name() + "->" + b.name() + " (" + log + ")\n  "
          + ra.result() + "\n  " + rb.result());
      String note = "\n[both peers' output and the routers' state: " + log + "]";
      return new Outcome[] {
          new Outcome(ra.label(), ra.exitCode(), ra.result(), ra.output() + note),
          new Outcome(rb.label(), rb.exitCode(), rb.result(), rb.output() + note)};
    } finally {
      alice.close();
      bob.close();
    }
  }

  private static Path keepLog(String room, List<NatLab.Host> hosts, Outcome... outcomes) {
    StringBuilder b = new StringBuilder();
    for (Outcome o : outcomes) {
      b.append("===== ").append(o.label()).append(" exit=").append(o.exitCode()).append('\n').append(o.output()).append('\n');
    }
    for (NatLab.Lan lan : hosts.stream().map(NatLab.Host::lan).distinct().toList()) {
      if (lan.routerNs() != null) {
        String ns = lan.routerNs();
        b.append("===== router ").append(lan.name()).append(" conntrack\n")
            .append(lab.exec(ns, Duration.ofSeconds(10), "cat", "/proc/net/nf_conntrack").output())
            .append("\n===== router ").append(lan.name()).append(" rules\n")
            .append(lab.exec(ns, Duration.ofSeconds(10), "iptables-save", "-c").output()).append('\n');
      }
    }
    Path file = Path.of("target", "natlab", room + ".log").toAbsolutePath();
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, b);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  private static List<String> peerArgs(int port, String room, String id, String callee, String duration,
      List<String> extra) {
    List<String> args = new ArrayList<>(List.of("--signaling", SimplecallProcesses.wsUri(port), "--room", room,
        "--id", id, "--token", tokens.issue(id, room, Duration.ofMinutes(10)), "--duration", duration,
        "--video", "320x240@15", "--wait", "60s"));
    if (Boolean.getBoolean("natlab.verbose")) {
      args.add("--verbose=debug,webrtc"); // libwebrtc's own log: candidates, pairs, checks
    }
    if (callee != null) {
      args.addAll(List.of("--call", callee));
    }
    args.addAll(extra);
    return args;
  }
}
