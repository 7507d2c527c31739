package dev.simplecall.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar simplecall-server-VERSION.jar}: the same options as {@code simplecall server}, its own name and exit codes. */
@Tag("fast")
class ServerMainTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(Map<String, String> env, String... args) {
    return ServerMain.run(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void versionPrintsThePomVersion() {
    String expected = System.getProperty("simplecall.expectedVersion");
    assertNotNull(expected, "surefire passes the POM's version as simplecall.expectedVersion");

    assertEquals(ServerExitCodes.OK, run(Map.of(), "--version"), err.toString());
    assertEquals("simplecall-server " + expected, out.toString().strip());
  }

  @Test
  void helpNamesTheJarsCommandAndItsExitCodes() {
    assertEquals(ServerExitCodes.OK, run(Map.of(), "--help"), err.toString());
    String help = out.toString();
    assertTrue(help.contains("Usage: simplecall-server "), help);
    for (String option : new String[] {"--bind", "--port", "--auth-secret-file", "--tls-cert", "--embedded-mqtt", "--config"}) {
      assertTrue(help.contains(option), option + " in\n" + help);
    }
    assertTrue(help.contains("Exit codes: 0 stopped; 2 bad flags"), help);
  }

  @Test
  void anUnknownOptionIsAUsageError() {
    assertEquals(ServerExitCodes.USAGE, run(Map.of(), "--no-such-option"));
    assertTrue(err.toString().startsWith("simplecall-server: Unknown option: '--no-such-option'"), err.toString());
    assertTrue(err.toString().contains("Try 'simplecall-server --help'"), err.toString());
  }

  @Test
  void anEmptySecretFileIsAUsageErrorNamingIt(@TempDir Path dir) throws Exception {
    Path secret = Files.writeString(dir.resolve("auth.secret"), "\n");

    assertEquals(ServerExitCodes.USAGE, run(Map.of("SIMPLECALL_AUTH_SECRET_FILE", secret.toString()), "--port", "0"));
    assertEquals("simplecall-server: --auth-secret-file " + secret + " is empty", err.toString().strip());
  }

  @Test
  void aMissingConfigFileIsAUsageError(@TempDir Path dir) {
    assertEquals(ServerExitCodes.USAGE, run(Map.of(), "--config", dir.resolve("missing.properties").toString()));
    assertTrue(err.toString().contains("config file not found"), err.toString());
  }

  @Test
  void aPortInUseEndsWithExitCode3(@TempDir Path dir) throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Path config = Files.writeString(dir.resolve("server.properties"), "server.port=" + taken.getLocalPort() + "\n");

      assertEquals(ServerExitCodes.SIGNALING, run(Map.of(), "--config", config.toString()));
      assertTrue(err.toString().startsWith("simplecall-server: cannot start the server on 127.0.0.1:" + taken.getLocalPort()), err.toString());
    }
  }
}
