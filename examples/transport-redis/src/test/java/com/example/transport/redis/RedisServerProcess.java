package com.example.transport.redis;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real redis-server on 127.0.0.1, no persistence (a restart forgets everything, as a crash would). */
final class RedisServerProcess {
  private static final long START_LIMIT_MS = 10_000;
  private final Process process;
  private final int port;
  private final Path log;

  private RedisServerProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  static RedisServerProcess start(int port) throws IOException, InterruptedException {
    return start(port, null);
  }

  /** With a {@code password}, clients must authenticate ({@code requirepass}); {@code null}: open. */
  static RedisServerProcess start(int port, String password) throws IOException, InterruptedException {
    String binary = find();
    Path log = Files.createTempFile("redis-server-" + port + "-", ".log");
    List<String> command = new ArrayList<>(List.of(binary, "--port", String.valueOf(port),
        "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "yes",
        "--dir", log.getParent().toString()));
    if (password != null) command.addAll(List.of("--requirepass", password));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    RedisServerProcess redis = new RedisServerProcess(p, port, log);
    long deadline = System.currentTimeMillis() + START_LIMIT_MS;
    while (!redis.answersPing()) {
      if (!p.isAlive() || System.currentTimeMillis() > deadline) {
        p.destroyForcibly();
        throw new IllegalStateException("redis-server did not start on port " + port + ":\n" + Files.readString(log));
      }
      TimeUnit.MILLISECONDS.sleep(20); // polling a port that is not open yet; the loop is bounded above
    }
    return redis;
  }

  /** The redis-server binary; a clear failure naming the Debian package when it is missing. */
  private static String find() {
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
      byte[] reply = in.readNBytes(7);
      String answer = new String(reply, StandardCharsets.US_ASCII);
      return answer.equals("+PONG\r\n") || answer.equals("-NOAUTH"); // with requirepass: up, wants a password
    } catch (IOException e) {
      return false;
    }
  }

  int port() {
    return port;
  }

  /** SIGTERM, wait for the exit (every client connection is dropped, the port closed). */
  void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    try {
      Files.deleteIfExists(log);
    } catch (IOException ignored) {
      // a temp file
    }
  }
}
