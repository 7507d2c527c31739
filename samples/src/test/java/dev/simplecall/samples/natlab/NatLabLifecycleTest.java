package dev.simplecall.samples.natlab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The lab leaves nothing behind: close() kills and deletes, and a dead run's leftovers are swept. */
class NatLabLifecycleTest {

  @Test
  void closeKillsLabProcessesAndDeletesEveryNamespace() {
    NatLab lab = NatLab.builder().lan("x", NatType.SYMMETRIC, 1).lan("y", NatType.OPEN, 1).build();
    String hostNs = lab.host("x", 1).ns();
    List<String> names = List.of(lab.publicNs(), lab.lan("x").routerNs(), hostNs, lab.host("y", 1).ns());
    assertTrue(namespaces().containsAll(names), "lab namespaces missing: " + namespaces());
    LabProcess sleeper = lab.spawn(hostNs, "sleeper", List.of("sleep", "300"));
    assertTrue(sleeper.isAlive());
    lab.close();
    assertFalse(sleeper.isAlive(), "a lab process survived close()");
    List<String> left = namespaces();
    for (String ns : names) {
      assertFalse(left.contains(ns), ns + " survived close()");
    }
    assertFalse(Files.exists(lab.workDir()), "work dir survived close()");
    lab.close(); // idempotent
    assertThrows(IllegalStateException.class, () -> lab.spawn(hostNs, "late", List.of("true")));
  }

  @Test
  void leftoversOfADeadRunAreSweptAndThoseOfALiveRunKept() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    assertEquals(0, gone.waitFor());
    String dead = NatLab.PREFIX + gone.pid() + "-dead-pub";
    long livePid = ProcessHandle.current().parent().orElseThrow().pid();
    String live = NatLab.PREFIX + livePid + "-live-pub";
    Cmd.ok("ip", "netns", "add", dead);
    Cmd.ok("ip", "netns", "add", live);
    try {
      Process orphan = new ProcessBuilder("ip", "netns", "exec", dead, "sleep", "300").start();
      assertTrue(orphan.isAlive());
      NatLab.sweepLeftovers();
      assertFalse(namespaces().contains(dead), "a dead run's namespace was not swept");
      assertTrue(orphan.waitFor(10, TimeUnit.SECONDS), "a dead run's process was not killed");
      assertTrue(namespaces().contains(live), "a live run's namespace was swept");
    } finally {
      Cmd.run(Duration.ofSeconds(10), "ip", "netns", "del", dead);
      Cmd.run(Duration.ofSeconds(10), "ip", "netns", "del", live);
    }
  }

  @Test
  void badLanNamesAreRefusedBeforeAnythingIsCreated() {
    assertThrows(IllegalArgumentException.class, () -> NatLab.builder().lan("Bad-Name", NatType.OPEN, 1));
    assertThrows(IllegalArgumentException.class, () -> NatLab.builder().lan("a", NatType.OPEN, 0));
    assertThrows(IllegalArgumentException.class,
        () -> NatLab.builder().lan("a", NatType.OPEN, 1).lan("a", NatType.SYMMETRIC, 1));
    assertThrows(IllegalStateException.class, () -> NatLab.builder().build());
  }

  @Test
  void withoutCapabilitiesTheLabRefusesWithAClearMessage() {
    Tools.require("setpriv", "util-linux");
    List<String> cmd = new ArrayList<>(List.of("setpriv", "--bounding-set=-all", "--inh-caps=-all", "--"));
    List<String> java = SimplecallProcesses.java();
    java.set(java.size() - 1, NoPrivilegeProbe.class.getName());
    cmd.addAll(java);
    Cmd.Result r = Cmd.run(Duration.ofSeconds(60), cmd);
    assertEquals(3, r.exitCode(), r.output());
    assertTrue(r.output().contains("REFUSED the NAT lab needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN)"), r.output());
  }

  private static List<String> namespaces() {
    String out = Cmd.ok("ip", "netns", "list").output();
    return out.lines().map(l -> l.strip().split("\\s+")[0]).toList();
  }
}
