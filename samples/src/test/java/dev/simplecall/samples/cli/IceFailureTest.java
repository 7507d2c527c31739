package dev.simplecall.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.samples.Main;
import dev.simplecall.server.SignalingServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code --ice-policy relay} without any TURN server: no candidate can exist, so ICE must fail and
 * both peers must say so in one line, exit 4 and print RESULT ok=false with the reason.
 */
class IceFailureTest {
  @Test
  void relayOnlyWithoutTurnFailsWithExitFourAndAHint() throws Exception {
    try (SignalingServer server = SignalingServer.builder().bind("127.0.0.1").port(0).build().start()) {
      String ws = "ws://127.0.0.1:" + server.port() + "/v1/ws";
      StringWriter bobOut = new StringWriter();
      StringWriter bobErr = new StringWriter();
      CompletableFuture<Integer> bob = CompletableFuture.supplyAsync(() -> Main.run(
          new String[] {"peer", "--signaling", ws, "--room", "r1", "--id", "bob", "--ice-policy", "relay", "--ice-timeout", "5s", "--wait", "60s"},
          Map.of(), new PrintWriter(bobOut, true), new PrintWriter(bobErr, true)));
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code = Main.run(new String[] {"peer", "--signaling", ws, "--room", "r1", "--id", "alice", "--call", "bob",
          "--ice-policy", "relay", "--ice-timeout", "5s"}, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
      int bobCode = bob.get(90, TimeUnit.SECONDS);

      assertEquals(ExitCodes.ICE_FAILED, code, out + "\n" + err);
      String[] lines = out.toString().split("\\R");
      String last = lines[lines.length - 1];
      assertTrue(last.startsWith("RESULT peer=alice transport=websocket ok=false "), last);
      assertTrue(last.contains("reason=\"") && last.toLowerCase().contains("turn"), last);
      assertTrue(err.toString().lines().anyMatch(l -> l.startsWith("simplecall peer: ") && l.toLowerCase().contains("turn")), err.toString());
      assertFalse(err.toString().contains("\tat "), "no stack trace: " + err);
      assertTrue(bobCode == ExitCodes.ICE_FAILED || bobCode == ExitCodes.NO_CALL, "bob: " + bobCode + "\n" + bobOut + bobErr);
    }
  }
}
