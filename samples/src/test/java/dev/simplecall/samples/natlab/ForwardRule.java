package dev.simplecall.samples.natlab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One rule at the top of a lab router's FORWARD chain, sending what {@code match} selects to
 * {@code target} (null: only counting it); close removes it.
 */
record ForwardRule(NatLab lab, NatLab.Lan lan, String comment, List<String> spec) implements AutoCloseable {
  static ForwardRule insert(NatLab lab, NatLab.Lan lan, String comment, String target, String... match) {
    List<String> spec = new ArrayList<>(List.of(match));
    spec.addAll(List.of("-m", "comment", "--comment", comment));
    if (target != null) {
      spec.addAll(List.of("-j", target));
    }
    ForwardRule rule = new ForwardRule(lab, lan, comment, List.copyOf(spec));
    rule.iptables("-I").check();
    return rule;
  }

  /** Packets the rule has matched so far. */
  long packets() {
    return lab.routerPackets(lan, "filter", "FORWARD", comment);
  }

  private Cmd.Result iptables(String op) {
    List<String> cmd = new ArrayList<>(List.of("iptables", op, "FORWARD"));
    cmd.addAll(spec);
    return lab.exec(lan.routerNs(), Duration.ofSeconds(10), cmd.toArray(String[]::new));
  }

  @Override
  public void close() {
    iptables("-D").check();
  }
}
