package dev.simplecall.samples.natlab;

import java.time.Duration;
import java.util.List;

/**
 * Creates a lab's namespaces, links, addresses, routes and NAT rules.
 *
 * <pre>
 * public ns:  br0 = 198.18.0.1/24 + 198.18.0.2/24, default route into dead0 (a veth whose peer
 *             answers nothing, so coturn's sends to unroutable peers fail silently)
 * NAT LAN N:  router ns: wan = 198.18.0.(10+N)/24 on br0, lan0 bridge = 10.77.N.1/24
 *             host ns:   eth0 = 10.77.N.(10+k)/24 on lan0, default via 10.77.N.1
 * OPEN LAN:   host ns:   eth0 = 198.18.0.(100+k)/24 straight on br0
 * </pre>
 * Every namespace gets a default route: without one libwebrtc gathers no host candidates at all.
 * IPv6 is switched off everywhere so the only candidates are the lab's IPv4 ones.
 */
final class Topology {
  /** iptables comment on the rules dropping unsolicited inbound packets on a router's WAN. */
  static final String UNSOLICITED = "natlab-unsolicited";
  /** iptables comment on the UDP_BLOCKED rule dropping all UDP from the LAN. */
  static final String UDP_BLOCK = "natlab-udp-block";
  private final NatLab lab;
  private int openHosts;

  Topology(NatLab lab) {
    this.lab = lab;
  }

  void create(List<NatLab.LanSpec> lanSpecs) {
    String pub = lab.publicNs();
    addNamespace(pub, true);
    ip(pub, "link", "add", "br0", "type", "bridge");
    ip(pub, "addr", "add", NatLab.PUBLIC_IP + "/24", "dev", "br0");
    ip(pub, "addr", "add", NatLab.PUBLIC_IP2 + "/24", "dev", "br0");
    ip(pub, "link", "set", "br0", "up");
    ip(pub, "link", "add", "dead0", "type", "veth", "peer", "name", "dead1");
    ip(pub, "link", "set", "dead0", "up");
    ip(pub, "link", "set", "dead1", "up");
    ip(pub, "neigh", "add", NatLab.deadGateway(), "lladdr", "02:00:00:00:00:01", "dev", "dead0", "nud", "permanent");
    ip(pub, "route", "add", "default", "via", NatLab.deadGateway(), "dev", "dead0", "onlink");
    int index = 0;
    for (NatLab.LanSpec spec : lanSpecs) {
      index++;
      String name = spec.name();
      NatType type = spec.type();
      int hostCount = spec.hosts();
      if (type == NatType.OPEN) {
        NatLab.Lan lan = new NatLab.Lan(name, type, index, null, null);
        lab.registerLan(lan);
        for (int k = 1; k <= hostCount; k++) {
          openHosts++;
          String ip = "198.18.0." + (100 + openHosts);
          String ns = lab.ns("h-" + name + k);
          addNamespace(ns, false);
          link(ns, pub, "o" + openHosts, "br0");
          ip(ns, "addr", "add", ip + "/24", "dev", "eth0");
          ip(ns, "link", "set", "eth0", "up");
          ip(ns, "route", "add", "default", "via", NatLab.PUBLIC_IP);
          lab.registerHost(new NatLab.Host(name + k, ns, ip, lan), k);
        }
        continue;
      }
      String router = lab.ns("r-" + name);
      String wanIp = "198.18.0." + (10 + index);
      addNamespace(router, false);
      ip("", "link", "add", "wan", "netns", router, "type", "veth", "peer", "name", "w" + index, "netns", pub);
      ip(pub, "link", "set", "w" + index, "master", "br0", "up");
      ip(router, "addr", "add", wanIp + "/24", "dev", "wan");
      ip(router, "link", "set", "wan", "up");
      ip(router, "route", "add", "default", "via", NatLab.PUBLIC_IP);
      ip(router, "link", "add", "lan0", "type", "bridge");
      ip(router, "addr", "add", "10.77." + index + ".1/24", "dev", "lan0");
      ip(router, "link", "set", "lan0", "up");
      natRules(router, type);
      NatLab.Lan lan = new NatLab.Lan(name, type, index, router, wanIp);
      lab.registerLan(lan);
      for (int k = 1; k <= hostCount; k++) {
        String ip = "10.77." + index + "." + (10 + k);
        String ns = lab.ns("h-" + name + k);
        addNamespace(ns, false);
        link(ns, router, "h" + k, "lan0");
        ip(ns, "addr", "add", ip + "/24", "dev", "eth0");
        ip(ns, "link", "set", "eth0", "up");
        ip(ns, "route", "add", "default", "via", "10.77." + index + ".1");
        lab.registerHost(new NatLab.Host(name + k, ns, ip, lan), k);
      }
    }
  }

  private void natRules(String router, NatType type) {
    Cmd.okInNs(router, "sysctl", "-qw", "net.ipv4.ip_forward=1");
    // Drop unsolicited inbound: the filtering half of a port-restricted cone NAT (see NatType).
    iptables(router, "-A", "INPUT", "-i", "wan", "-m", "conntrack", "--ctstate", "NEW,INVALID",
        "-m", "comment", "--comment", UNSOLICITED, "-j", "DROP");
    iptables(router, "-A", "FORWARD", "-i", "wan", "-m", "conntrack", "--ctstate", "NEW,INVALID",
        "-m", "comment", "--comment", UNSOLICITED, "-j", "DROP");
    if (type == NatType.UDP_BLOCKED) {
      iptables(router, "-A", "FORWARD", "-i", "lan0", "-o", "wan", "-p", "udp",
          "-m", "comment", "--comment", UDP_BLOCK, "-j", "DROP");
    }
    if (type == NatType.SYMMETRIC) {
      iptables(router, "-t", "nat", "-A", "POSTROUTING", "-o", "wan", "-j", "MASQUERADE", "--random-fully");
    } else {
      iptables(router, "-t", "nat", "-A", "POSTROUTING", "-o", "wan", "-j", "MASQUERADE");
    }
  }

  /** A veth pair: {@code eth0} in {@code hostNs}, {@code portName} in {@code switchNs} enslaved to {@code bridge}. */
  private void link(String hostNs, String switchNs, String portName, String bridge) {
    ip("", "link", "add", "eth0", "netns", hostNs, "type", "veth", "peer", "name", portName, "netns", switchNs);
    ip(switchNs, "link", "set", portName, "master", bridge, "up");
  }

  private void addNamespace(String ns, boolean first) {
    Cmd.Result r = Cmd.run(Duration.ofSeconds(20), "ip", "netns", "add", ns);
    if (!r.ok()) {
      if (first) {
        throw new IllegalStateException("the NAT lab needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN) to create"
            + " network namespaces, and `ip netns add " + ns + "` failed: " + r.output().strip()
            + ". Run ./scripts/test as root (in a container: --privileged or --cap-add NET_ADMIN,SYS_ADMIN).");
      }
      r.check();
    }
    lab.registerNamespace(ns);
    Cmd.okInNs(ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1");
    ip(ns, "link", "set", "lo", "up");
  }

  private static void iptables(String ns, String... args) {
    String[] cmd = new String[args.length + 1];
    cmd[0] = "iptables";
    System.arraycopy(args, 0, cmd, 1, args.length);
    Cmd.Result r = Cmd.inNs(ns, Duration.ofSeconds(20), cmd);
    if (!r.ok()) {
      throw new IllegalStateException("iptables failed inside lab namespace " + ns
          + " (needs the kernel's nf_tables/conntrack/nat support and the Debian package iptables): "
          + String.join(" ", args) + "\n" + r.output().strip());
    }
  }

  private static void ip(String ns, String... args) {
    String[] cmd = new String[args.length + (ns.isEmpty() ? 1 : 3)];
    int i = 0;
    cmd[i++] = "ip";
    if (!ns.isEmpty()) {
      cmd[i++] = "-n";
      cmd[i++] = ns;
    }
    System.arraycopy(args, 0, cmd, i, args.length);
    Cmd.ok(cmd);
  }
}
