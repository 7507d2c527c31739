package dev.simplecall.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.samples.ChildJvm;
import dev.simplecall.samples.Main;
import dev.simplecall.server.TestPki;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code simplecall server --tls-cert --tls-key} prints and serves {@code wss://} and {@code
 * https://}; {@code simplecall peer --ca-cert} trusts the test CA that signed it, so a WebSocket peer
 * and a long-poll peer call each other; without {@code --ca-cert} the peer stops at once, naming the
 * refused certificate.
 */
class TlsCliTest {
  @TempDir Path dir;

  @Test
  void peersWithTheCaCertCallEachOtherOverWssAndHttps() throws Exception {
    TestPki pki = TestPki.create(dir);
    try (ChildJvm server = ChildJvm.start("server", Map.of(), "server", "--port", "0",
        "--tls-cert", pki.certificateFile().toString(), "--tls-key", pki.keyFile().toString())) {
      String listening = server.awaitLine("signaling server listening", 60);
      assertNotNull(listening, server.describe());
      String wss = listening.replaceAll(".*?(wss://\\S+).*", "$1");
      String https = listening.replaceAll(".*?(https://\\S+).*", "$1");
      assertTrue(wss.matches("wss://127\\.0\\.0\\.1:\\d+/v1/ws"), listening);
      assertTrue(https.matches("https://127\\.0\\.0\\.1:\\d+"), listening);

      StringWriter bobOut = new StringWriter();
      CompletableFuture<Integer> bob = CompletableFuture.supplyAsync(() -> Main.run(
          new String[] {"peer", "--signaling", https, "--ca-cert", pki.caFile().toString(), "--room", "tls", "--id", "bob",
              "--duration", "2s", "--video", "320x240@30"},
          Map.of(), new PrintWriter(bobOut, true), new PrintWriter(bobOut, true)));
      StringWriter out = new StringWriter();
      int alice = Main.run(new String[] {"peer", "--signaling", wss, "--ca-cert", pki.caFile().toString(), "--room", "tls",
          "--id", "alice", "--call", "bob", "--duration", "2s", "--video", "320x240@30"},
          Map.of(), new PrintWriter(out, true), new PrintWriter(out, true));
      int bobCode = bob.get(120, TimeUnit.SECONDS);

      assertEquals(0, alice, "alice (wss)\n" + out);
      assertEquals(0, bobCode, "bob (https long-poll)\n" + bobOut);
      assertTrue(out.toString().contains("RESULT peer=alice transport=websocket ok=true "), out.toString());
      assertTrue(bobOut.toString().contains("RESULT peer=bob transport=http-poll ok=true "), bobOut.toString());
    }
  }

  @Test
  void withoutTheCaCertThePeerStopsAtOnceNamingTheCertificate() throws Exception {
    TestPki pki = TestPki.create(dir);
    try (ChildJvm server = ChildJvm.start("server", Map.of(), "server", "--port", "0",
        "--tls-cert", pki.certificateFile().toString(), "--tls-key", pki.keyFile().toString())) {
      String listening = server.awaitLine("signaling server listening", 60);
      assertNotNull(listening, server.describe());
      String wss = listening.replaceAll(".*?(wss://\\S+).*", "$1");
      String port = wss.replaceAll(".*:(\\d+)/.*", "$1");

      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      long t0 = System.nanoTime();
      int code = Main.run(new String[] {"peer", "--signaling", wss, "--room", "tls", "--id", "alice", "--join-timeout", "60s"},
          Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);

      assertEquals(ExitCodes.SIGNALING, code, out + "\n" + err);
      String line = err.toString().lines().filter(l -> l.startsWith("simplecall peer: ")).findFirst().orElse("");
      assertTrue(line.contains("TLS: the certificate of 127.0.0.1:" + port + " was refused"), err.toString());
      assertTrue(seconds < 30, "took " + seconds + " s: the refused certificate was retried");
    }
  }
}
