package dev.simplecall.server;

import dev.simplecall.testing.TestPorts;
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
 * A real redis-server on a free loopback port, without persistence, for cluster tests; public for the
 * transports' tests (test-jar).
 */
public final class RedisProcess implements AutoCloseable {
  private static final long START_LIMIT_MS = 10_000;
  private final Process process;
  private final int port;
  private final Path log;

  private RedisProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  public static RedisProcess start() throws IOException, InterruptedException {
    return start(TestPorts.restartable(), null);
  }

  /** One that wants {@code password} from every client ({@code requirepass}). */
  static RedisProcess startWithPassword(String password) throws IOException, InterruptedException {
    return start(TestPorts.restartable(), password);
  }

  /** Stops this one and starts an empty one on the same port, as a restart without persistence does. */
  RedisProcess restart() throws IOException, InterruptedException {
    close();
    return start(port, null);
  }

  private static RedisProcess start(int port, String password) throws IOException, InterruptedException {
    Path log = Files.createTempFile("redis-server-" + port + "-", ".log");
    List<String> command = new ArrayList<>(List.of(binary(), "--port", String.valueOf(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", log.getParent().toString()));
    if (password != null) command.addAll(List.of("--requirepass", password));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    RedisProcess redis = new RedisProcess(p, port, log);
    long deadline = System.currentTimeMillis() + START_LIMIT_MS;
    while (!redis.answersPing()) {
      if (!p.isAlive() || System.currentTimeMillis() > deadline) {
        p.destroyForcibly();
        throw new IllegalStateException("redis-server did not start on port " + port + ":\n" + Files.readString(log));
      }
      TimeUnit.MILLISECONDS.sleep(20); // polling a port that is not open yet; bounded above
    }
    return redis;
  }

  /** The redis-server binary; a clear failure naming the Debian package when it is missing. */
  private static String binary() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
      File f = new File(dir, "redis-server");
      if (f.canExecute()) return f.getPath();
    }
    for (String f : new String[] {"/usr/bin/redis-server", "/usr/sbin/redis-server"}) {
      if (new File(f).canExecute()) return f;
    }
    throw new IllegalStateException("redis-server not found: install the Debian package redis-server"
        + " (sudo apt-get install -y redis-server; ./scripts/test does it)");
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

  public URI uri() {
    return URI.create("redis://127.0.0.1:" + port);
  }

  @Override
  public void close() throws InterruptedException, IOException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    Files.deleteIfExists(log);
  }
}
