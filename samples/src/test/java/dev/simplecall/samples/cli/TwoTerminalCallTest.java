package dev.simplecall.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.samples.ChildJvm;
import dev.simplecall.server.SignalingServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The README's two-terminal call, as separate processes: {@code simplecall server} in one, and one
 * {@code simplecall peer} per side, each checked for exit code 0 and an ok RESULT as its last line.
 */
class TwoTerminalCallTest {
  @Test
  void serverAndTwoPeerProcessesCallEachOther() throws Exception {
    try (ChildJvm server = ChildJvm.start("server", Map.of(), "server", "--port", "0")) {
      String listening = server.awaitLine("signaling server listening", 60);
      assertNotNull(listening, server.describe());
      String ws = listening.replaceAll(".*?(ws://\\S+).*", "$1");
      // configuration through the environment, as the README shows for the callee
      try (ChildJvm bob = ChildJvm.start("bob", Map.of("SIMPLECALL_SIGNALING", ws, "SIMPLECALL_ROOM", "r1",
              "SIMPLECALL_ID", "bob"), "peer", "--duration", "3s", "--video", "320x240@30");
          ChildJvm alice = ChildJvm.start("alice", Map.of(), "peer", "--signaling", ws, "--room", "r1", "--id", "alice",
              "--call", "bob", "--duration", "3s", "--video", "320x240@30")) {
        int aliceExit = alice.awaitExit(120);
        int bobExit = bob.awaitExit(60);
        assertEquals(0, aliceExit, "alice\n" + alice.describe());
        assertEquals(0, bobExit, "bob\n" + bob.describe());
        assertOkLast(alice.stdout(), "alice");
        assertOkLast(bob.stdout(), "bob");
        assertTrue(String.join("\n", alice.stdout()).contains("connected"), alice.describe());
      }
    }
  }

  private static void assertOkLast(List<String> stdout, String peer) {
    assertTrue(!stdout.isEmpty(), peer + " printed nothing");
    String last = stdout.get(stdout.size() - 1);
    assertTrue(last.startsWith("RESULT peer=" + peer + " transport=websocket ok=true "), peer + ": " + stdout);
  }
}
