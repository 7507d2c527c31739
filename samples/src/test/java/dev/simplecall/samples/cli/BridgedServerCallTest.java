package dev.simplecall.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.samples.ChildJvm;
import dev.simplecall.samples.Main;
import dev.simplecall.server.TokenIssuer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code simplecall server --embedded-mqtt 0}: one process with the server, a broker and the bridge;
 * an MQTT peer and a WebSocket peer in the same room call each other through it.
 */
class BridgedServerCallTest {
  @Test
  void webSocketPeerCallsMqttPeerThroughTheEmbeddedBroker() throws Exception {
    try (ChildJvm server = ChildJvm.start("server", Map.of(), "server", "--port", "0", "--embedded-mqtt", "0")) {
      String broker = server.awaitLine("embedded MQTT broker: ", 60);
      String listening = server.awaitLine("signaling server listening", 60);
      assertNotNull(broker, server.describe());
      assertNotNull(listening, server.describe());
      assertTrue(listening.contains("bridged to MQTT"), listening);
      String mqtt = broker.replaceAll(".*?(mqtt://\\S+).*", "$1");
      String ws = listening.replaceAll(".*?(ws://\\S+).*", "$1");

      StringWriter bobOut = new StringWriter();
      StringWriter bobErr = new StringWriter();
      CompletableFuture<Integer> bob = CompletableFuture.supplyAsync(() -> Main.run(
          new String[] {"peer", "--signaling", mqtt, "--room", "bridge", "--id", "bob", "--duration", "3s", "--video", "320x240@30"},
          Map.of(), new PrintWriter(bobOut, true), new PrintWriter(bobErr, true)));
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int alice = Main.run(new String[] {"peer", "--signaling", ws, "--room", "bridge", "--id", "alice", "--call", "bob",
          "--duration", "3s", "--video", "320x240@30"}, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
      int bobCode = bob.get(120, TimeUnit.SECONDS);

      assertEquals(0, alice, "alice (websocket)\n" + out + err);
      assertEquals(0, bobCode, "bob (mqtt)\n" + bobOut + bobErr);
      assertTrue(last(out).startsWith("RESULT peer=alice transport=websocket ok=true "), out.toString());
      assertTrue(last(bobOut).startsWith("RESULT peer=bob transport=mqtt ok=true "), bobOut.toString());
    }
  }

  @Test
  void withAnAuthSecretTheMqttPeerLogsInWithItsJoinTokenAndOneWithoutIsRefused() throws Exception {
    String secret = "bridged-call-secret";
    TokenIssuer issuer = new TokenIssuer(secret);
    try (ChildJvm server = ChildJvm.start("server", Map.of(), "server", "--port", "0", "--embedded-mqtt", "0",
        "--auth-secret", secret)) {
      String broker = server.awaitLine("embedded MQTT broker: ", 60);
      String listening = server.awaitLine("signaling server listening", 60);
      assertNotNull(broker, server.describe());
      assertNotNull(listening, server.describe());
      String mqtt = broker.replaceAll(".*?(mqtt://\\S+).*", "$1");
      String ws = listening.replaceAll(".*?(ws://\\S+).*", "$1");

      StringWriter noTokenOut = new StringWriter();
      int noToken = Main.run(new String[] {"peer", "--signaling", mqtt, "--room", "bridge", "--id", "mallory",
          "--duration", "1s"}, Map.of(), new PrintWriter(noTokenOut, true), new PrintWriter(noTokenOut, true));
      assertTrue(noToken != 0 && noTokenOut.toString().contains("broker refused the credentials"),
          "a peer without a token got in (exit " + noToken + ")\n" + noTokenOut);
      assertTrue(broker.contains("join token"), broker);

      StringWriter bobOut = new StringWriter();
      StringWriter bobErr = new StringWriter();
      CompletableFuture<Integer> bob = CompletableFuture.supplyAsync(() -> Main.run(
          new String[] {"peer", "--signaling", mqtt, "--room", "bridge", "--id", "bob", "--duration", "3s",
              "--video", "320x240@30", "--token", issuer.issue("bob", "bridge", Duration.ofMinutes(5))},
          Map.of(), new PrintWriter(bobOut, true), new PrintWriter(bobErr, true)));
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int alice = Main.run(new String[] {"peer", "--signaling", ws, "--room", "bridge", "--id", "alice", "--call", "bob",
          "--duration", "3s", "--video", "320x240@30", "--token", issuer.issue("alice", "bridge", Duration.ofMinutes(5))},
          Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
      int bobCode = bob.get(120, TimeUnit.SECONDS);

      assertEquals(0, alice, "alice (websocket)\n" + out + err);
      assertEquals(0, bobCode, "bob (mqtt)\n" + bobOut + bobErr);
      assertTrue(last(out).startsWith("RESULT peer=alice transport=websocket ok=true "), out.toString());
      assertTrue(last(bobOut).startsWith("RESULT peer=bob transport=mqtt ok=true "), bobOut.toString());
    }
  }

  @Test
  void anOpenEmbeddedBrokerOnAPublicAddressIsRefused() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new String[] {"server", "--bind", "0.0.0.0", "--port", "0", "--embedded-mqtt", "0"},
        Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
    assertEquals(ExitCodes.USAGE, code, out + "\n" + err);
    assertTrue(err.toString().contains("embedded MQTT broker on 0.0.0.0 without an auth secret"), err.toString());
    assertTrue(!out.toString().contains("embedded MQTT broker: "), "it was started:\n" + out);
  }

  private static String last(StringWriter w) {
    String[] lines = w.toString().split("\\R");
    return lines[lines.length - 1];
  }
}
