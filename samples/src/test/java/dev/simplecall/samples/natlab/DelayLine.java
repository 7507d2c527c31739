package dev.simplecall.samples.natlab;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Delay and jitter on one lab host's UDP traffic, both ways: every UDP packet the host sends, and every
 * one it receives on {@code eth0}, passes through a TUN device whose reader ({@code
 * src/test/python/delay_tun.py}) holds it for {@code delayMs} plus a uniform random amount within
 * {@code ±jitterMs} and writes it back, so packets whose times cross arrive reordered. The kernel has
 * no {@code sch_netem} here, hence the TUN device.
 *
 * <p>It works in the host's own namespace, not on its router: a packet re-injected on a router would
 * reach the NAT after conntrack had bound its flow untranslated. In the host, policy routing sends
 * marked outgoing UDP (mangle OUTPUT) and UDP arriving on {@code eth0} to the TUN device (the {@code
 * local} table moves behind that rule), and the host forwards what the device gives back: onwards out
 * of {@code eth0}, or to itself ({@code accept_local}, no reverse-path filter on the device). TCP
 * (signaling) is not delayed. Close undoes all of it.
 *
 * <pre>{@code
 * try (DelayLine line = DelayLine.start(lab, lab.host("a", 1), 100, 30)) { ... }
 * }</pre>
 */
final class DelayLine implements AutoCloseable {
  private static final Path SCRIPT = Path.of("src/test/python/delay_tun.py");
  private static final String DEVICE = "delay0";
  private static final String MARK = "0x5d";
  private static final String TABLE = "93";
  private static final Duration STEP = Duration.ofSeconds(10);

  private final NatLab lab;
  private final String ns;
  private final LabProcess reader;
  private final List<String[]> undo = new ArrayList<>();

  private DelayLine(NatLab lab, String ns, LabProcess reader) {
    this.lab = lab;
    this.ns = ns;
    this.reader = reader;
  }

  /**
   * Puts {@code host}'s UDP traffic behind the delay line.
   *
   * @throws IllegalStateException when the device does not come up or a step fails (what was done is undone)
   */
  static DelayLine start(NatLab lab, NatLab.Host host, int delayMs, int jitterMs) {
    LabProcess reader = lab.spawn(host.ns(), "delay-" + host.name(), List.of("/usr/bin/python3", SCRIPT.toAbsolutePath().toString(),
        DEVICE, Integer.toString(delayMs), Integer.toString(jitterMs)));
    DelayLine line = new DelayLine(lab, host.ns(), reader);
    try {
      if (reader.awaitLine("ready"::equals, STEP) == null) {
        throw new IllegalStateException("the delay line's TUN reader did not start: " + reader.tail(10));
      }
      line.run(null, "ip", "link", "set", DEVICE, "up");
      line.run(null, "sysctl", "-qw", "net.ipv4.ip_forward=1", "net.ipv4.conf.all.rp_filter=0",
          "net.ipv4.conf." + DEVICE + ".rp_filter=0", "net.ipv4.conf." + DEVICE + ".accept_local=1");
      line.run(new String[] {"iptables", "-t", "mangle", "-D", "OUTPUT", "-p", "udp", "-j", "MARK", "--set-mark", MARK},
          "iptables", "-t", "mangle", "-A", "OUTPUT", "-p", "udp", "-j", "MARK", "--set-mark", MARK);
      line.run(null, "ip", "route", "add", "default", "dev", DEVICE, "table", TABLE); // goes with the device
      line.run(new String[] {"ip", "rule", "del", "pref", "10"}, "ip", "rule", "add", "pref", "10", "fwmark", MARK, "lookup", TABLE);
      line.run(new String[] {"ip", "rule", "del", "pref", "20"},
          "ip", "rule", "add", "pref", "20", "iif", "eth0", "ipproto", "udp", "lookup", TABLE);
      line.run(new String[] {"ip", "rule", "del", "pref", "1000"}, "ip", "rule", "add", "pref", "1000", "lookup", "local");
      line.run(new String[] {"ip", "rule", "add", "pref", "0", "lookup", "local"}, "ip", "rule", "del", "pref", "0");
      return line;
    } catch (RuntimeException e) {
      line.close();
      throw e;
    }
  }

  /** Runs {@code command} in the host's namespace; {@code reverse} (if any) is run on close, last first. */
  private void run(String[] reverse, String... command) {
    lab.exec(ns, STEP, command).check();
    if (reverse != null) undo.add(0, reverse);
  }

  @Override
  public void close() {
    for (String[] command : undo) lab.exec(ns, STEP, command);
    undo.clear();
    reader.close();
  }
}
