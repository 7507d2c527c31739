package dev.simplecall.samples.ice;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A real coturn (Debian package coturn) on 127.0.0.1 for tests: TURN REST credentials
 * ({@code use-auth-secret}), relaying allowed to loopback peers only, and allocations that must be
 * refreshed every {@link #ALLOCATION_LIFETIME} (libwebrtc refreshes at half a short lifetime), so
 * that credentials which expire are noticed within seconds.
 * {@code
 * try (LoopbackCoturn turn = LoopbackCoturn.start()) { String url = turn.url(); }
 * }
 */
final class LoopbackCoturn implements AutoCloseable {
  static final Duration ALLOCATION_LIFETIME = Duration.ofSeconds(8);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

  private final Process process;
  private final Path dir;
  private final String secret;
  private final int port;
  private final StringBuffer output = new StringBuffer();

  private LoopbackCoturn(Process process, Path dir, String secret, int port) {
    this.process = process;
    this.dir = dir;
    this.secret = secret;
    this.port = port;
  }

  static LoopbackCoturn start() throws IOException, InterruptedException {
    if (!onPath("turnserver")) {
      throw new IllegalStateException("turnserver not found: install the Debian package coturn");
    }
    byte[] rnd = new byte[16];
    new SecureRandom().nextBytes(rnd);
    return start(HexFormat.of().formatHex(rnd), freePort());
  }

  /**
   * Stops this coturn (every allocation is lost) and starts a new one on the same port with the same
   * secret: what a TURN server restart or fail-over looks like to its clients.
   */
  LoopbackCoturn restart() throws IOException, InterruptedException {
    close();
    return start(secret, port);
  }

  private static LoopbackCoturn start(String secret, int port) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("simplecall-coturn");
    ProcessBuilder pb = new ProcessBuilder("turnserver", "-n", "--no-cli", "--no-tls", "--no-dtls",
        "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1", "--listening-port=" + port,
        "--use-auth-secret", "--static-auth-secret=" + secret, "--realm=ice.test.simplecall.dev",
        "--allow-loopback-peers", "--allowed-peer-ip=127.0.0.1",
        "--max-allocate-lifetime=" + ALLOCATION_LIFETIME.getSeconds(),
        "--pidfile=" + dir.resolve("turnserver.pid"), "--userdb=" + dir.resolve("turndb"),
        "--log-file=stdout", "--simple-log").redirectErrorStream(true);
    Process p = pb.start();
    LoopbackCoturn turn = new LoopbackCoturn(p, dir, secret, port);
    CountDownLatch ready = new CountDownLatch(1);
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          turn.output.append(line).append('\n');
          if (line.contains("Total General servers")) ready.countDown();
        }
      } catch (IOException e) {
        turn.output.append("[read failed: ").append(e).append("]\n");
      }
    }, "coturn-output");
    reader.setDaemon(true);
    reader.start();
    if (!ready.await(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) || !p.isAlive()) {
      turn.close();
      throw new IllegalStateException("coturn did not start on 127.0.0.1:" + port + ":\n" + turn.output);
    }
    return turn;
  }

  String secret() {
    return secret;
  }

  String url() {
    return "turn:127.0.0.1:" + port;
  }

  String output() {
    return output.toString();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) Files.deleteIfExists(f);
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A port free for both UDP and TCP on 127.0.0.1 right now. */
  private static int freePort() throws IOException {
    InetAddress lo = InetAddress.getByName("127.0.0.1");
    for (int i = 0; i < 20; i++) {
      try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(lo, 0))) {
        int port = udp.getLocalPort();
        try (ServerSocket tcp = new ServerSocket()) {
          tcp.bind(new InetSocketAddress(lo, port));
          return port;
        } catch (IOException taken) {
          // try another
        }
      }
    }
    throw new IOException("no port free for both UDP and TCP on 127.0.0.1");
  }

  private static boolean onPath(String tool) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, tool))) return true;
    }
    return false;
  }
}
