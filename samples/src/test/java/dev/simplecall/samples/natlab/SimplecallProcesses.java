package dev.simplecall.samples.natlab;

import dev.simplecall.server.TokenIssuer;
import java.io.File;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts the samples CLI ({@code dev.simplecall.samples.Main}, what {@code ./simplecall} runs) inside
 * lab namespaces: the signaling server on the public address and {@code peer} processes on LAN hosts.
 * The JVM and class path are the test JVM's own, so the processes run the code under test.
 * {@code
 * LabProcess server = SimplecallProcesses.server(lab, "plain", 8080, List.of("--auth-secret", s));
 * SimplecallProcesses.awaitServer(server);
 * LabProcess alice = SimplecallProcesses.peer(lab, lab.host("a", 1), List.of("--signaling", uri, ...));
 * }
 */
final class SimplecallProcesses {
  static final String MAIN = "dev.simplecall.samples.Main";
  private static final Duration SERVER_START = Duration.ofSeconds(60);
  private static final Pattern PAIR = Pattern.compile("(\\w+)=(\"[^\"]*\"|\\S*)");

  private SimplecallProcesses() {}

  /** The java command line up to the main class, with the test JVM's executable and class path. */
  static List<String> java() {
    String javaBin = ProcessHandle.current().info().command()
        .orElse(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
    // surefire runs tests from a manifest-only booter jar; its real class path is in this property
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    return new ArrayList<>(List.of(javaBin, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-Djava.awt.headless=true", "-cp", cp, MAIN));
  }

  /** Starts {@code simplecall server} on the lab's public address; see {@link #awaitServer}. */
  static LabProcess server(NatLab lab, String label, int port, List<String> extraArgs) {
    List<String> cmd = java();
    cmd.addAll(List.of("server", "--bind", NatLab.PUBLIC_IP, "--port", String.valueOf(port)));
    cmd.addAll(extraArgs);
    return lab.spawn(lab.publicNs(), "server-" + label, cmd);
  }

  /**
   * Starts {@code simplecall server --auth-secret} with a fresh random secret on the lab's public
   * address and waits until it listens.
   *
   * @return the issuer of tokens for that secret
   */
  static TokenIssuer startAuthServer(NatLab lab, String label, int port) {
    byte[] rnd = new byte[16];
    new SecureRandom().nextBytes(rnd);
    String secret = HexFormat.of().formatHex(rnd);
    awaitServer(server(lab, label, port, List.of("--auth-secret", secret)));
    return new TokenIssuer(secret);
  }

  /** Waits until a server started by {@link #server} says it listens; throws with its output if not. */
  static void awaitServer(LabProcess server) {
    String up = server.awaitLine(l -> l.contains("signaling server listening"), SERVER_START);
    if (up == null) {
      throw new IllegalStateException(server.label() + " did not start within " + SERVER_START
          + ":\n" + server.tail(40));
    }
  }

  static String wsUri(int port) {
    return "ws://" + NatLab.PUBLIC_IP + ":" + port + "/v1/ws";
  }

  /** Starts {@code simplecall peer ARGS} in {@code host}'s namespace. */
  static LabProcess peer(NatLab lab, NatLab.Host host, String id, List<String> args) {
    List<String> cmd = java();
    cmd.add("peer");
    cmd.addAll(args);
    return lab.spawn(host.ns(), "peer-" + id + "@" + host.name(), cmd);
  }

  /** What one peer process ended with: its exit code, RESULT keys and whole output. */
  record Outcome(String label, Integer exitCode, Map<String, String> result, String output) {
    String get(String key) {
      return result.get(key);
    }

    boolean ok() {
      return "true".equals(result.get("ok"));
    }

    /** For assertion messages: the RESULT line, or the tail of the output when there is none. */
    String describe() {
      return label + " exit=" + exitCode + " RESULT " + result + "\n--- output tail ---\n"
          + output.substring(Math.max(0, output.length() - 4000));
    }
  }

  /** Waits for the peer to exit and parses its RESULT line (the last line starting with "RESULT "). */
  static Outcome await(LabProcess peer, Duration timeout) {
    Integer code = peer.awaitExit(timeout);
    if (code == null) {
      peer.close();
    }
    Map<String, String> result = new LinkedHashMap<>();
    List<String> lines = peer.lines();
    for (int i = lines.size() - 1; i >= 0; i--) {
      String line = lines.get(i).strip();
      if (line.startsWith("RESULT ")) {
        Matcher m = PAIR.matcher(line.substring(7));
        while (m.find()) {
          String v = m.group(2);
          result.put(m.group(1), v.startsWith("\"") ? v.substring(1, v.length() - 1) : v);
        }
        break;
      }
    }
    return new Outcome(peer.label(), code, Map.copyOf(result), peer.output());
  }
}
