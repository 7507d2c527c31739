package dev.simplecall.server;

import dev.simplecall.server.cli.RedisServerProcess;
import dev.simplecall.testing.TestPorts;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Redis Cluster on loopback: three masters and three replicas (redis-server with {@code
 * cluster-enabled yes}, made into a cluster by {@code redis-cli --cluster create}), a cluster node
 * timeout of 1 s so that a replica takes over a killed master within a few seconds. {@link #start} returns
 * once every node sees the cluster {@code ok} and every replica has its master's data (a replica that never
 * synced does not take over). Without persistence; its files live in a temporary directory that {@link
 * #close} deletes. Public for the samples' tests (test-jar).
 */
public final class RedisClusterProcess implements AutoCloseable {
  private static final long START_LIMIT_MS = 20_000;
  private final Path dir;
  private final Map<Integer, Process> nodes = new LinkedHashMap<>();

  private RedisClusterProcess(Path dir) {
    this.dir = dir;
  }

  public static RedisClusterProcess start() throws IOException, InterruptedException {
    RedisClusterProcess c = new RedisClusterProcess(Files.createTempDirectory("redis-cluster-"));
    try {
      for (int i = 0; i < 6; i++) c.startNode(freePortWithFreeBusPort());
      List<String> create = new ArrayList<>(List.of(binary("redis-cli"), "--cluster", "create"));
      for (int port : c.nodes.keySet()) create.add("127.0.0.1:" + port);
      create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
      Path out = c.dir.resolve("create.log");
      Process p = new ProcessBuilder(create).redirectErrorStream(true).redirectOutput(out.toFile()).start();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("redis-cli --cluster create failed:\n" + Files.readString(out));
      }
      for (int port : c.nodes.keySet()) c.awaitState(port, "ok"); // each node learns the slots on its own
      for (int port : c.nodes.keySet()) c.awaitReplicaInSync(port);
      return c;
    } catch (IOException | InterruptedException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  private void startNode(int port) throws IOException, InterruptedException {
    Path log = dir.resolve("redis-" + port + ".log");
    Process p = new ProcessBuilder(binary("redis-server"), "--port", String.valueOf(port), "--bind", "127.0.0.1",
        "--cluster-enabled", "yes", "--cluster-config-file", "nodes-" + port + ".conf", "--cluster-node-timeout", "1000",
        "--repl-diskless-sync-delay", "0",
        "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", dir.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    nodes.put(port, p);
    long deadline = System.currentTimeMillis() + START_LIMIT_MS;
    while (!answers(port)) {
      if (!p.isAlive() || System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("redis-server did not start on port " + port + ":\n" + Files.readString(log));
      }
      TimeUnit.MILLISECONDS.sleep(20); // polling a port that is not open yet; bounded above
    }
  }

  /** A port whose cluster bus port (10000 above) is free too. */
  private static int freePortWithFreeBusPort() {
    for (int i = 0; i < 100; i++) {
      int port = TestPorts.restartable();
      try (ServerSocket s = new ServerSocket()) {
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port + 10_000), 1);
        return port;
      } catch (IOException taken) {
        // try another
      }
    }
    throw new IllegalStateException("no port with a free cluster bus port");
  }

  /** redis-server ({@link RedisServerProcess#binary}), or the tool of the same package beside it. */
  private static String binary(String name) {
    Path server = Path.of(RedisServerProcess.binary());
    return name.equals("redis-server") ? server.toString() : server.resolveSibling(name).toString();
  }

  private static boolean answers(int port) {
    try {
      return "PONG".equals(command(port, c -> c.sync().ping()));
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static <T> T command(int port, java.util.function.Function<StatefulRedisConnection<String, String>, T> f) {
    RedisClient client = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(port)
        .withTimeout(Duration.ofSeconds(2)).build());
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      return f.apply(c);
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
    }
  }

  /** Waits until the node on {@code port} reports {@code cluster_state:STATE}. */
  public void awaitState(int port, String state) throws InterruptedException {
    long deadline = System.currentTimeMillis() + START_LIMIT_MS;
    while (true) {
      String info = "";
      try {
        info = command(port, c -> c.sync().clusterInfo());
      } catch (RuntimeException e) {
        // not answering yet
      }
      if (info.contains("cluster_state:" + state)) return;
      if (System.currentTimeMillis() > deadline) throw new IllegalStateException("cluster not " + state + ":\n" + info);
      TimeUnit.MILLISECONDS.sleep(100); // polling the cluster's own state; bounded above
    }
  }

  /** Waits until the node on {@code port}, if a replica, has finished its sync with its master. */
  private void awaitReplicaInSync(int port) throws InterruptedException {
    long deadline = System.currentTimeMillis() + START_LIMIT_MS;
    while (true) {
      String info = command(port, c -> c.sync().info("replication"));
      if (!info.contains("role:slave") || info.contains("master_link_status:up")) return;
      if (System.currentTimeMillis() > deadline) throw new IllegalStateException("replica on " + port + " not in sync:\n" + info);
      TimeUnit.MILLISECONDS.sleep(100); // polling the replica's own state; bounded above
    }
  }

  /** {@code redis://127.0.0.1:PORT} of each node given, for a client's seed list. */
  public List<URI> uris(int... ports) {
    List<URI> u = new ArrayList<>();
    for (int p : ports) u.add(URI.create("redis://127.0.0.1:" + p));
    return u;
  }

  public List<Integer> ports() {
    return List.copyOf(nodes.keySet());
  }

  /** The port of the master that holds the slot of {@code key}, as the node on {@code askPort} sees it. */
  public int masterOf(String key, int askPort) {
    return command(askPort, c -> {
      long slot = c.sync().clusterKeyslot(key);
      for (String line : c.sync().clusterNodes().split("\n")) {
        String[] f = line.split(" ");
        if (!f[2].contains("master") || f[2].contains("fail")) continue;
        for (int i = 8; i < f.length; i++) {
          String[] range = f[i].split("-");
          if (range[0].startsWith("[")) continue; // a slot being migrated
          long lo = Long.parseLong(range[0]);
          long hi = range.length > 1 ? Long.parseLong(range[1]) : lo;
          if (slot >= lo && slot <= hi) return Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1, f[1].indexOf('@')));
        }
      }
      throw new IllegalStateException("no master for slot " + slot);
    });
  }

  /** Kills the node on {@code port} with SIGKILL, as a crash would. */
  public void kill(int port) throws InterruptedException {
    Process p = nodes.remove(port);
    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    for (Process p : nodes.values()) p.destroyForcibly();
    for (Process p : nodes.values()) p.waitFor(10, TimeUnit.SECONDS);
    nodes.clear();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
