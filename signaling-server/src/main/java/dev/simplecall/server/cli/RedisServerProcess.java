package dev.simplecall.server.cli;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A redis-server child process on loopback, without persistence, for trying cluster mode on one machine
 * ({@code simplecall demo --cluster}) and for tests. Not a way to run Redis in production.
 */
public final class RedisServerProcess implements AutoCloseable {
  private static final long START_LIMIT_MS = 10_000;
  private final Process process;
  private final int port;
  private final Path log;

  private RedisServerProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts redis-server on {@code 127.0.0.1:port} and waits until it answers.
   *
   * @param port a free loopback port
   * @param password what clients must give ({@code requirepass}), or {@code null} for none
   * @return the running server; close it to stop it
   * @throws IllegalStateException when redis-server is not installed (the message names the Debian
   *     package) or does not answer within 10 s (the message holds its log)
   * @throws IOException when the process cannot be started
   * @throws InterruptedException when interrupted while waiting for it
   */
  public static RedisServerProcess start(int port, String password) throws IOException, InterruptedException {
    Path log = Files.createTempFile("redis-server-" + port + "-", ".log");
    List<String> command = new ArrayList<>(List.of(binary(), "--port", String.valueOf(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", log.getParent().toString()));
    if (password != null) command.addAll(List.of("--requirepass", password));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    RedisServerProcess redis = new RedisServerProcess(p, port, log);
    long deadline = System.currentTimeMillis() + START_LIMIT_MS;
    while (!redis.answersPing()) {
      if (!p.isAlive() || System.currentTimeMillis() > deadline) {
        p.destroyForcibly();
        String output = Files.readString(log);
        Files.deleteIfExists(log);
        throw new IllegalStateException("redis-server did not start on port " + port + ":\n" + output);
      }
      TimeUnit.MILLISECONDS.sleep(20); // polling a port that is not open yet; bounded above
    }
    return redis;
  }

  /**
   * The redis-server binary on the {@code PATH} (or in /usr/bin, /usr/sbin).
   *
   * @return its path
   * @throws IllegalStateException naming the Debian package to install when there is none
   */
  public static String binary() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
      File f = new File(dir, "redis-server");
      if (f.canExecute()) return f.getPath();
    }
    for (String f : new String[] {"/usr/bin/redis-server", "/usr/sbin/redis-server"}) {
      if (new File(f).canExecute()) return f;
    }
    throw new IllegalStateException("redis-server not found: install the Debian package redis-server"
        + " (sudo apt-get install -y redis-server)");
  }

  private boolean answersPing() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      s.setSoTimeout(500);
      OutputStream out = s.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String answer = new String(in.readNBytes(7), StandardCharsets.US_ASCII);
      return answer.equals("+PONG\r\n") || answer.equals("-NOAUTH"); // with requirepass: up, wants a password
    } catch (IOException e) {
      return false;
    }
  }

  /** @return its port on 127.0.0.1 */
  public int port() {
    return port;
  }

  /** @return {@code redis://127.0.0.1:PORT} */
  public URI uri() {
    return URI.create("redis://127.0.0.1:" + port);
  }

  /** Stops it (SIGTERM, then SIGKILL after 10 s) and deletes its log. */
  @Override
  public void close() throws IOException, InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    Files.deleteIfExists(log);
  }
}
