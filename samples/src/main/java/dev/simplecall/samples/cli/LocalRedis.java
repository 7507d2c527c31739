package dev.simplecall.samples.cli;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A redis-server for {@code demo --cluster}: started on a free loopback port without persistence,
 * stopped on close. Fails with the Debian package to install when redis-server is missing.
 */
final class LocalRedis implements AutoCloseable {
  private static final long START_LIMIT_MS = 10_000;
  private final Process process;
  private final int port;
  private final Path log;

  private LocalRedis(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  static LocalRedis start() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path log = Files.createTempFile("simplecall-demo-redis-", ".log");
    Process p = new ProcessBuilder(binary(), "--port", String.valueOf(port), "--bind", "127.0.0.1", "--save", "",
        "--appendonly", "no", "--daemonize", "no", "--dir", log.getParent().toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    LocalRedis redis = new LocalRedis(p, port, log);
    long deadline = System.currentTimeMillis() + START_LIMIT_MS;
    while (!redis.answersPing()) {
      if (!p.isAlive() || System.currentTimeMillis() > deadline) {
        redis.close();
        throw new CliException(ExitCodes.SIGNALING, "redis-server did not start on port " + port + " (log: " + log + ")");
      }
      try {
        TimeUnit.MILLISECONDS.sleep(20); // polling a port that is not open yet; bounded above
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        redis.close();
        throw new IOException("interrupted while redis-server started", e);
      }
    }
    return redis;
  }

  private static String binary() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
      File f = new File(dir, "redis-server");
      if (f.canExecute()) return f.getPath();
    }
    for (String f : new String[] {"/usr/bin/redis-server", "/usr/sbin/redis-server"}) {
      if (new File(f).canExecute()) return f;
    }
    throw new CliException(ExitCodes.USAGE, "demo --cluster needs redis-server: sudo apt-get install -y redis-server"
        + " (or give --cluster redis://HOST:PORT)");
  }

  private boolean answersPing() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      s.setSoTimeout(500);
      OutputStream out = s.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      return new String(in.readNBytes(7), StandardCharsets.US_ASCII).equals("+PONG\r\n");
    } catch (IOException e) {
      return false;
    }
  }

  URI uri() {
    return URI.create("redis://127.0.0.1:" + port);
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try {
      Files.deleteIfExists(log);
    } catch (IOException ignored) {
      // a temporary file; the OS cleans it up
    }
  }
}
