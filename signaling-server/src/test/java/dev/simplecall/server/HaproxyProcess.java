package dev.simplecall.server;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A real haproxy ({@code -db}: in the foreground) running a config written to a temporary file; its output goes to a log file. */
public final class HaproxyProcess implements AutoCloseable {
  private final Process process;
  private final Path config;
  private final Path log;

  private HaproxyProcess(Process process, Path config, Path log) {
    this.process = process;
    this.config = config;
    this.log = log;
  }

  /** The repository's haproxy config (docs/DEPLOYMENT.md), from a module directory. */
  private static final Path SHIPPED = Path.of("..", "config", "haproxy", "simplecall.cfg");

  /**
   * Runs the repository's config in front of two nodes, with its ports (8080, 8081, 8082) replaced by
   * {@code front}, {@code node1} and {@code node2}.
   */
  public static HaproxyProcess startShipped(int front, int node1, int node2) throws IOException, InterruptedException {
    String cfg = Files.readString(SHIPPED).replace("127.0.0.1:8080", "127.0.0.1:" + front)
        .replace("127.0.0.1:8081", "127.0.0.1:" + node1).replace("127.0.0.1:8082", "127.0.0.1:" + node2);
    return start(cfg, front);
  }

  /** Starts haproxy on {@code config} and waits (at most 10 s) until it accepts on 127.0.0.1:{@code frontPort}. */
  public static HaproxyProcess start(String config, int frontPort) throws IOException, InterruptedException {
    Path file = Files.createTempFile("haproxy-", ".cfg");
    Files.writeString(file, config);
    Path log = Files.createTempFile("haproxy-", ".log");
    Process p = new ProcessBuilder(binary(), "-db", "-f", file.toString()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    HaproxyProcess h = new HaproxyProcess(p, file, log);
    long deadline = System.currentTimeMillis() + 10_000;
    while (!listening(frontPort)) {
      if (!p.isAlive() || System.currentTimeMillis() > deadline) {
        String out = Files.readString(log);
        h.close();
        throw new IllegalStateException("haproxy did not start:\n" + out);
      }
      TimeUnit.MILLISECONDS.sleep(20); // polling a port that is not open yet; bounded above
    }
    return h;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    process.destroy();
    process.waitFor(10, TimeUnit.SECONDS);
    Files.deleteIfExists(config);
    Files.deleteIfExists(log);
  }

  private static boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String binary() {
    for (String f : new String[] {"/usr/sbin/haproxy", "/usr/bin/haproxy"}) {
      if (new File(f).canExecute()) return f;
    }
    throw new IllegalStateException("haproxy not found: install the Debian package haproxy"
        + " (sudo apt-get install -y haproxy; ./scripts/test does it)");
  }
}
