package dev.simplecall.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.samples.Main;
import dev.simplecall.server.SignalingServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one-line errors and exit codes of {@code simplecall peer} against real failures. */
class PeerErrorsTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int peer(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "peer";
    System.arraycopy(args, 0, all, 1, args.length);
    return Main.run(all, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
  }

  private List<String> stdout() {
    return Arrays.asList(out.toString().split("\\R"));
  }

  @Test
  void unreachableServerIsExitThreeWithOneLine() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // closed again: nothing listens there
    }
    int code = peer("--signaling", "ws://127.0.0.1:" + port + "/v1/ws", "--room", "r1", "--id", "alice",
        "--join-timeout", "3s");
    assertEquals(ExitCodes.SIGNALING, code, out + "\n" + err);
    String line = err.toString().lines().filter(l -> l.startsWith("simplecall peer: ")).findFirst().orElse("");
    assertTrue(line.contains("cannot reach signaling server ws://127.0.0.1:" + port), err.toString());
    assertFalse(err.toString().contains("\tat "), "no stack trace: " + err);
    String last = stdout().get(stdout().size() - 1);
    assertTrue(last.startsWith("RESULT peer=alice transport=websocket ok=false "), last);
    assertTrue(last.contains("reason=\"cannot reach signaling server"), last);
  }

  @Test
  void refusedTokenIsExitThreeWithOneLine() {
    try (SignalingServer server = SignalingServer.builder().bind("127.0.0.1").port(0).authSecret("right-secret").build().start()) {
      StringWriter tokenOut = new StringWriter();
      assertEquals(0, Main.run(new String[] {"token", "--secret", "wrong-secret", "--room", "r1", "--id", "alice"},
          Map.of(), new PrintWriter(tokenOut, true), new PrintWriter(err, true)));
      String badToken = tokenOut.toString().trim();
      int code = peer("--signaling", "ws://127.0.0.1:" + server.port() + "/v1/ws", "--room", "r1", "--id", "alice",
          "--token", badToken, "--join-timeout", "10s");
      assertEquals(ExitCodes.SIGNALING, code, out + "\n" + err);
      String line = err.toString().lines().filter(l -> l.startsWith("simplecall peer: ")).findFirst().orElse("");
      assertTrue(line.contains("refused"), err.toString());
      assertFalse(err.toString().contains("\tat "), "no stack trace: " + err);
    }
  }

  @Test
  void credentialsInSignalingUrisAreNeverPrinted() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // closed again: nothing listens there
    }
    int code = peer("--signaling", "ws://alice:pa55-peer-secret@127.0.0.1:" + port + "/v1/ws?token=tok-secret",
        "--room", "r1", "--id", "alice", "--join-timeout", "2s");
    assertEquals(ExitCodes.SIGNALING, code, out + "\n" + err);
    assertTrue(err.toString().contains("ws://alice:***@127.0.0.1:" + port), err.toString());
    code = peer("--signaling", "mqtt://alice:pa55-peer-secret@127.0.0.1:" + port + "/no-path", "--room", "r1", "--id", "alice");
    assertEquals(ExitCodes.SIGNALING, code, out + "\n" + err);
    assertTrue(err.toString().contains("mqtt://alice:***@127.0.0.1:" + port + "/no-path"), err.toString());

    StringWriter serverOut = new StringWriter();
    code = Main.run(new String[] {"server", "--port", "0", "--mqtt-bridge", "tcp://bridge:pa55-bridge-secret@127.0.0.1:" + port},
        Map.of(), new PrintWriter(serverOut, true), new PrintWriter(err, true));
    assertEquals(ExitCodes.SIGNALING, code, serverOut + "\n" + err);
    assertTrue(err.toString().contains("tcp://bridge:***@127.0.0.1:" + port), err.toString());
    String all = out + "\n" + err + "\n" + serverOut;
    for (String secret : List.of("pa55-peer-secret", "tok-secret", "pa55-bridge-secret")) {
      assertFalse(all.contains(secret), secret + " printed:\n" + all);
    }
  }

  @Test
  void unknownSchemeNamesTheUri() {
    int code = peer("--signaling", "carrier-pigeon://coop", "--room", "r1", "--id", "alice");
    assertEquals(ExitCodes.USAGE, code, out + "\n" + err);
    assertTrue(err.toString().contains("carrier-pigeon://coop"), err.toString());
  }
}
