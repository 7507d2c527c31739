package dev.simplecall.samples.natlab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.samples.cli.ExitCodes;
import dev.simplecall.samples.natlab.SimplecallProcesses.Outcome;
import dev.simplecall.server.TokenIssuer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A group call across three NATs: {@code simplecall peer --group} members alice, bob and carol, each
 * behind its own port-restricted cone NAT, STUN from the lab's coturn, signaling through a real
 * {@code simplecall server}. Mid-call carol's router forwards nothing for 8 s: alice and bob carry on
 * with each other, and carol's connections come back once her network does. Every member ends
 * {@code ok=true peers_ok=2/2}. The members' output and the routers' rules are kept in
 * {@code target/natlab/group.log}.
 */
class NatGroupCallTest {
  private static final int PORT = 8080;
  private static final String STUN = "stun:" + NatLab.PUBLIC_IP + ":" + Coturn.PORT;
  private static final Duration OUTAGE = Duration.ofSeconds(8);
  private static final List<String> MEMBERS = List.of("alice", "bob", "carol");
  private static final List<String> LANS = List.of("a", "b", "c");

  private static NatLab lab;
  private static TokenIssuer tokens;

  @BeforeAll
  static void buildLab() {
    lab = NatLab.builder()
        .lan("a", NatType.PORT_RESTRICTED_CONE, 1)
        .lan("b", NatType.PORT_RESTRICTED_CONE, 1)
        .lan("c", NatType.PORT_RESTRICTED_CONE, 1)
        .build();
    lab.startCoturn();
    tokens = SimplecallProcesses.startAuthServer(lab, "group", PORT);
  }

  @AfterAll
  static void closeLab() {
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void aMemberWhoseNetworkBreaksComesBackAndTheOthersCarryOn() {
    List<LabProcess> members = new ArrayList<>();
    List<Outcome> outcomes = new ArrayList<>();
    long dropped;
    try {
      for (int i = 0; i < MEMBERS.size(); i++) {
        String id = MEMBERS.get(i);
        members.add(SimplecallProcesses.peer(lab, lab.host(LANS.get(i), 1), id, List.of("--group", "--peers", "3",
            "--signaling", SimplecallProcesses.wsUri(PORT), "--room", "grp", "--id", id,
            "--token", tokens.issue(id, "grp", Duration.ofMinutes(10)), "--duration", "30s",
            "--video", "320x240@15", "--wait", "60s", "--ice-server", STUN)));
      }
      for (LabProcess p : members) {
        if (p.awaitLine(l -> l.startsWith("connected to all 2"), Duration.ofSeconds(60)) == null) {
          throw new AssertionError(p.label() + ": not connected to both others:\n" + p.tail(40));
        }
      }
      sleep(Duration.ofSeconds(3)); // media flows a while first
      try (ForwardRule cut = ForwardRule.insert(lab, lab.lan("c"), "natlab-group-outage", "DROP")) {
        for (LabProcess p : members.subList(0, 2)) {
          if (p.awaitLine(l -> l.startsWith("carol: remote video stalled"), Duration.ofSeconds(6)) == null) {
            throw new AssertionError(p.label() + ": carol's video did not stall:\n" + p.tail(40));
          }
        }
        sleep(OUTAGE); // the outage's length: not a wait for an event
        dropped = cut.packets();
      }
      for (LabProcess p : members) outcomes.add(SimplecallProcesses.await(p, Duration.ofSeconds(90)));
    } finally {
      keepLog(outcomes);
      for (LabProcess p : members) p.close();
    }
    assertTrue(dropped > 0, "the outage rule dropped nothing, so the case proved nothing");
    for (Outcome o : outcomes) {
      assertEquals(ExitCodes.OK, o.exitCode(), o.describe());
      assertTrue(o.ok(), o.describe());
      assertEquals("2/2", o.get("peers_ok"), o.describe());
    }
    // alice and bob carried on with each other: neither saw the other's video stall
    assertEquals(0, count(outcomes.get(0), "bob: remote video stalled"), outcomes.get(0).describe());
    assertEquals(0, count(outcomes.get(1), "alice: remote video stalled"), outcomes.get(1).describe());
    // and carol's video came back to both of them after the outage
    for (Outcome o : outcomes.subList(0, 2)) {
      List<String> lines = o.output().lines().toList();
      int stalled = lines.indexOf(lines.stream().filter(l -> l.startsWith("carol: remote video stalled")).findFirst()
          .orElseThrow());
      boolean back = lines.subList(stalled, lines.size()).stream().anyMatch(l -> l.startsWith("carol: remote video resumed")
          || l.startsWith("carol: first remote frame"));
      assertTrue(back, "carol's video never came back: " + o.describe());
    }
  }

  private static long count(Outcome o, String prefix) {
    return o.output().lines().filter(l -> l.startsWith(prefix)).count();
  }

  private static void keepLog(List<Outcome> outcomes) {
    StringBuilder b = new StringBuilder();
    for (Outcome o : outcomes) {
      b.append("===== ").append(o.label()).append(" exit=").append(o.exitCode()).append('\n').append(o.output()).append('\n');
    }
    Path file = Path.of("target", "natlab", "group.log").toAbsolutePath();
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, b);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.out.println("[natlab] group call: " + file);
    for (Outcome o : outcomes) System.out.println("  " + o.result());
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
