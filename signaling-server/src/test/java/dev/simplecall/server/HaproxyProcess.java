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
