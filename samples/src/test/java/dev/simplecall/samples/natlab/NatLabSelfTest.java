package dev.simplecall.samples.natlab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Proves the lab is what the matrix rows claim, with coturn's own client tools run inside the LAN
 * namespaces: the cone NAT maps endpoint-independently and filters unsolicited packets, the
 * symmetric NAT gives a new public port per destination, the UDP-blocked NAT lets no UDP out, and
 * coturn relays over UDP, TCP and TLS with TURN REST credentials (and refuses a wrong secret).
 */
class NatLabSelfTest {
  private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(20);
  private static final Pattern REFLEXIVE = Pattern.compile("UDP reflexive addr: ([0-9.]+):(\\d+)");
  private static final Pattern TOTALS = Pattern.compile("start_mclient: tot_send_msgs=(\\d+), tot_recv_msgs=(\\d+)");
  private static NatLab lab;
  private static Coturn turn;

  @BeforeAll
  static void buildLab() {
    lab = NatLab.builder()
        .lan("cone", NatType.PORT_RESTRICTED_CONE, 1)
        .lan("sym", NatType.SYMMETRIC, 1)
        .lan("noudp", NatType.UDP_BLOCKED, 1)
        .lan("open", NatType.OPEN, 1)
        .build();
    turn = lab.startCoturn();
    LabProcess peer = lab.spawn(lab.publicNs(), "turnutils_peer",
        List.of("turnutils_peer", "-L", NatLab.PUBLIC_IP2, "-p", "3480"));
    assertTrue(lab.awaitListening(lab.publicNs(), "udp", NatLab.PUBLIC_IP2, 3480, TOOL_TIMEOUT),
        "turnutils_peer did not listen:\n" + peer.tail(20));
  }

  @AfterAll
  static void closeLab() {
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void coneNatMapsEndpointIndependentlyToItsWanAddress() {
    String out = natDiscovery(lab.host("cone", 1), "-m");
    assertTrue(out.contains("NAT with Endpoint Independent Mapping"), out);
    assertAllReflexiveIps(out, lab.lan("cone").wanIp());
  }

  @Test
  void symmetricNatGivesANewPortPerDestination() {
    String out = natDiscovery(lab.host("sym", 1), "-m");
    assertTrue(out.contains("NAT with Address and Port Dependent Mapping"), out);
    assertAllReflexiveIps(out, lab.lan("sym").wanIp());
    long ports = REFLEXIVE.matcher(out).results().map(m -> m.group(2)).distinct().count();
    assertTrue(ports >= 2, "expected a different mapped port per destination:\n" + out);
  }

  @Test
  void openHostIsNotTranslated() {
    NatLab.Host open = lab.host("open", 1);
    String out = natDiscovery(open, "-m");
    assertAllReflexiveIps(out, open.ip());
  }

  @Test
  void coneNatDropsUnsolicitedInboundWhereAnOpenHostDoesNot() {
    // RFC 5780 filtering test II asks the server to answer from its other address and port.
    // An open host receives that answer; behind the cone NAT it is dropped on the router's WAN
    // (counted by the INPUT NEW,INVALID rule), and the tool waits in vain until killed.
    String open = lab.exec(lab.host("open", 1).ns(), TOOL_TIMEOUT,
        "turnutils_natdiscovery", "-f", NatLab.PUBLIC_IP).check().output();
    assertTrue(open.contains("Endpoint Independent Filtering"), open);

    NatLab.Lan cone = lab.lan("cone");
    long before = lab.routerPackets(cone, "filter", "INPUT", Topology.UNSOLICITED);
    Cmd.Result behindNat = lab.exec(lab.host("cone", 1).ns(), Duration.ofSeconds(6),
        "turnutils_natdiscovery", "-f", NatLab.PUBLIC_IP);
    assertTrue(behindNat.output().contains("Filtering Behavior Discovery"), behindNat.output());
    assertFalse(behindNat.output().contains("Endpoint Independent Filtering"), behindNat.output());
    long after = lab.routerPackets(cone, "filter", "INPUT", Topology.UNSOLICITED);
    assertTrue(after > before, "the router dropped no unsolicited packet (" + before + " -> " + after + ")");
  }

  @Test
  void udpBlockedNatLetsNoStunThroughButTurnOverTcpWorks() {
    NatLab.Host host = lab.host("noudp", 1);
    long before = lab.routerPackets(host.lan(), "filter", "FORWARD", Topology.UDP_BLOCK);
    Cmd.Result stun = lab.exec(host.ns(), Duration.ofSeconds(5), "turnutils_stunclient", NatLab.PUBLIC_IP);
    assertFalse(REFLEXIVE.matcher(stun.output()).find(), "STUN answered through a UDP-blocked NAT:\n" + stun.output());
    assertTrue(lab.routerPackets(host.lan(), "filter", "FORWARD", Topology.UDP_BLOCK) > before, "no UDP was dropped");
    assertRelays(host, "-t");
  }

  @Test
  void turnRelaysUdpFromBehindConeAndSymmetricNats() {
    assertRelays(lab.host("cone", 1));
    assertRelays(lab.host("sym", 1));
  }

  @Test
  void turnRelaysOverTcpAndTls() {
    assertRelays(lab.host("sym", 1), "-t");
    assertRelays(lab.host("cone", 1), "-t", "-S");
  }

  @Test
  void turnRefusesCredentialsMadeWithAnotherSecret() {
    Cmd.Result r = lab.exec(lab.host("cone", 1).ns(), TOOL_TIMEOUT, "turnutils_uclient",
        "-W", "not-the-" + turn.secret(), "-u", "mallory", "-e", NatLab.PUBLIC_IP2, "-r", "3480",
        "-n", "5", "-z", "5", "-c", NatLab.PUBLIC_IP);
    assertFalse(r.ok() && r.output().contains("tot_recv_msgs=5"), "a wrong TURN secret was accepted:\n" + r.output());
    assertTrue(r.output().contains("Cannot complete Allocation"), r.output());
  }

  /**
   * Sends 10 messages through a TURN allocation to turnutils_peer, which echoes them back through
   * the relay (uclient talks to the peer only through TURN). All must be sent and echoes must come
   * back; a few may be missing when the machine is loaded (uclient stops waiting after a while).
   */
  private static void assertRelays(NatLab.Host host, String... transportFlags) {
    List<String> cmd = new ArrayList<>(List.of("turnutils_uclient"));
    cmd.addAll(List.of(transportFlags));
    cmd.addAll(List.of("-W", turn.secret(), "-u", host.name(), "-e", NatLab.PUBLIC_IP2, "-r", "3480",
        "-n", "10", "-z", "5", "-c", NatLab.PUBLIC_IP));
    Cmd.Result r = lab.exec(host.ns(), TOOL_TIMEOUT, cmd.toArray(String[]::new));
    String what = host.name() + " " + String.join(" ", transportFlags);
    assertEquals(0, r.exitCode(), what + ":\n" + r.output());
    Matcher m = TOTALS.matcher(r.output());
    assertTrue(m.find(), what + ":\n" + r.output());
    assertEquals(10, Integer.parseInt(m.group(1)), "not all sent, " + what + ":\n" + r.output());
    assertTrue(Integer.parseInt(m.group(2)) > 0, "nothing came back through the relay, " + what + ":\n" + r.output());
  }

  private static String natDiscovery(NatLab.Host host, String mode) {
    Cmd.Result r = lab.exec(host.ns(), TOOL_TIMEOUT, "turnutils_natdiscovery", mode, NatLab.PUBLIC_IP);
    assertEquals(0, r.exitCode(), r.output());
    return r.output();
  }

  private static void assertAllReflexiveIps(String out, String expectedIp) {
    Matcher m = REFLEXIVE.matcher(out);
    int n = 0;
    while (m.find()) {
      n++;
      assertEquals(expectedIp, m.group(1), out);
    }
    assertTrue(n >= 2, "expected reflexive addresses in:\n" + out);
  }
}
