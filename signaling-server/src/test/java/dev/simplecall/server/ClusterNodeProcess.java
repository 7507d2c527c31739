package dev.simplecall.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A cluster node in a child JVM, so a test can kill it with SIGKILL ({@link Process#destroyForcibly()}
 * on Linux) as {@code kill -9} would: no shutdown hook, no goodbye to Redis, sockets cut by the kernel.
 */
final class ClusterNodeProcess implements AutoCloseable {
  private final Process process;
  private final int port;

  private ClusterNodeProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** The child's entry point: serves on a free port with {@code --cluster args[0]} and prints {@code port=N}. */
  public static void main(String[] args) throws InterruptedException {
    SignalingServer server = SignalingServer.builder().port(0).cluster(URI.create(args[0])).build().start();
    System.out.println("port=" + server.port());
    System.out.flush();
    Thread.currentThread().join(); // until killed
  }

  static ClusterNodeProcess start(URI redis) throws Exception {
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    String java = ProcessHandle.current().info().command().orElse("java");
    Process p = new ProcessBuilder(List.of(java, "-cp", classPath, ClusterNodeProcess.class.getName(), redis.toString()))
        .redirectErrorStream(true).start();
    BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<Integer> port = CompletableFuture.supplyAsync(() -> {
      try {
        for (String line; (line = in.readLine()) != null; ) {
          if (line.startsWith("port=")) {
            // keep draining the child's output so it never blocks on a full pipe
            Thread drain = new Thread(() -> in.lines().forEach(l -> { }), "cluster-node-output");
            drain.setDaemon(true);
            drain.start();
            return Integer.valueOf(line.substring(5));
          }
        }
        throw new IllegalStateException("the child node exited before it served");
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    });
    try {
      return new ClusterNodeProcess(p, port.get(30, TimeUnit.SECONDS));
    } catch (Exception e) {
      p.destroyForcibly();
      throw e;
    }
  }

  int port() {
    return port;
  }

  /** SIGKILL, and waits until the process is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    kill();
  }
}
