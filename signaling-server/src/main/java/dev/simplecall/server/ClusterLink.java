package dev.simplecall.server;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's link to the other signaling nodes through Redis: room membership and presence in shared
 * hashes, one inbox stream per node for what other nodes send its peers, and a heartbeat key whose
 * expiry tells the others the node is gone. {@link SignalingHub} calls it; it calls the hub back from its
 * own threads. The Redis side is {@link ClusterScripts}.
 *
 * <p>Redis is one server (with replicas or not) or a Redis Cluster: several URIs, or one URI of a server
 * that reports {@code cluster_enabled:1}, are taken as seeds of a Redis Cluster. Every key carries the
 * hash tag {@code {simplecall}}, so all of them live in one hash slot: the scripts may touch any of them
 * atomically, and a Redis Cluster gives failover (a replica takes over the slot) but not sharding.
 *
 * <p>Order: every change goes out as one script on one connection ({@code commands}), issued by the hub
 * under its lock, so Redis applies them in the hub's order and each inbox receives one node's entries
 * in that order. Only {@link #claim} waits for Redis (at most {@link #COMMAND_TIMEOUT}); routing and
 * leaving do not.
 *
 * <p>Threads: {@code simplecall-cluster} runs the heartbeat and sweep and the answers of routed
 * messages; {@link ClusterInbox} reads this node's stream on {@code simplecall-cluster-inbox}.
 */
final class ClusterLink {
  private static final Logger log = LoggerFactory.getLogger(ClusterLink.class);
  /** Every key's prefix; the hash tag puts all of them into one slot of a Redis Cluster. */
  static final String PREFIX = "{simplecall}:";
  /** The key a script names to Redis, so a Redis Cluster runs it on the node that holds the slot. */
  private static final String[] SLOT_KEY = {PREFIX + "nodes"};
  /** How often a Redis Cluster client reads the cluster's topology, besides when a command is redirected. */
  static final Duration TOPOLOGY_REFRESH = Duration.ofSeconds(2);
  static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
  /** A node whose heartbeat is this old is gone: its peers leave their rooms on every node. */
  static final Duration HEARTBEAT_TTL = Duration.ofSeconds(5);
  static final Duration HEARTBEAT_EVERY = Duration.ofSeconds(1);

  /**
   * What a join found in Redis: the room was full, another node holds the peer (only when asked to keep
   * it), or the node that held the peer before ({@code null}: none), the id of the last entry in this
   * node's inbox at that moment ({@code "0-0"}: none) and the other peers in the room.
   */
  record Claim(boolean full, boolean taken, String oldNode, String since, List<String> others) {}

  private final String nodeId = UUID.randomUUID().toString();
  private final List<RedisURI> uris;
  private AbstractRedisClient client; // set by start
  private StatefulConnection<String, String> connection;
  private RedisClusterAsyncCommands<String, String> commands;
  private boolean redisCluster;
  private ClusterInbox inbox;
  private final ScheduledExecutorService executor;
  private volatile boolean stopped;
  private long lastHeartbeatNanos; // set by start, then confined to the executor
  private final LongAdder routesSent = new LongAdder();
  private final LongAdder routesNoSuchPeer = new LongAdder();
  private final LongAdder routesNotSent = new LongAdder();
  private final LongAdder routeMicros = new LongAdder();
  /** Messages Redis did not take: one summed WARN per 10 s at most, so an outage cannot flood the log. */
  private final RefusalLog notSentLog = new RefusalLog(log, org.slf4j.event.Level.WARN,
      "messages to peers on other nodes not sent (Redis did not answer)", TimeUnit.SECONDS.toNanos(10), System::nanoTime);

  ClusterLink(List<URI> redis) {
    List<RedisURI> u = new ArrayList<>();
    for (URI r : redis) {
      RedisURI ru = RedisURI.create(r);
      ru.setTimeout(COMMAND_TIMEOUT);
      u.add(ru);
    }
    this.uris = List.copyOf(u);
    ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "simplecall-cluster");
      t.setDaemon(true);
      return t;
    });
    e.setRemoveOnCancelPolicy(true);
    this.executor = e;
  }

  String nodeId() {
    return nodeId;
  }

  /** Connects, registers this node (heartbeat) and starts reading its inbox into {@code hub}. */
  void start(SignalingHub hub) {
    ClusterInbox.Readers readers;
    try {
      redisCluster = uris.size() > 1 || clusterEnabled(uris.get(0));
      if (redisCluster) {
        RedisClusterClient c = RedisClusterClient.create(uris);
        client = c;
        c.setOptions(ClusterClientOptions.builder().topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
            .enablePeriodicRefresh(TOPOLOGY_REFRESH).enableAllAdaptiveRefreshTriggers().build()).build());
        StatefulRedisClusterConnection<String, String> conn = c.connect();
        connection = conn;
        commands = conn.async();
        readers = () -> {
          StatefulRedisClusterConnection<String, String> r = c.connect();
          return new ClusterInbox.Reader(r, r.sync());
        };
      } else {
        RedisClient c = RedisClient.create(uris.get(0));
        client = c;
        StatefulRedisConnection<String, String> conn = c.connect();
        connection = conn;
        commands = conn.async();
        readers = () -> {
          StatefulRedisConnection<String, String> r = c.connect();
          return new ClusterInbox.Reader(r, r.sync());
        };
      }
      sweep(null).toCompletableFuture().join(); // registers this node (also checks the password)
      lastHeartbeatNanos = System.nanoTime();
    } catch (RuntimeException e) {
      halt();
      throw new IllegalStateException("cannot reach Redis at " + where() + ": " + e.getMessage(), e);
    }
    inbox = new ClusterInbox(readers, PREFIX + "inbox:" + nodeId, hub);
    inbox.start();
    long every = HEARTBEAT_EVERY.toMillis();
    executor.scheduleWithFixedDelay(() -> heartbeat(hub), every, every, TimeUnit.MILLISECONDS);
    log.info("cluster node {} on {} {}", nodeId, redisCluster ? "the Redis Cluster of" : "Redis", where());
  }

  /** Whether the server at {@code uri} is a node of a Redis Cluster ({@code INFO cluster}). */
  private static boolean clusterEnabled(RedisURI uri) {
    RedisClient probe = RedisClient.create(uri);
    try (StatefulRedisConnection<String, String> c = probe.connect()) {
      return c.sync().info("cluster").contains("cluster_enabled:1");
    } finally {
      probe.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  /** The Redis URIs, passwords masked, for the log. */
  private String where() {
    List<String> s = new ArrayList<>();
    for (RedisURI u : uris) s.add(dev.simplecall.protocol.Uris.redact(u.toURI()));
    return String.join(",", s);
  }

  private void heartbeat(SignalingHub hub) {
    try {
      // a node that could not renew its heartbeat for a while was cut off from Redis, and so were the
      // others, most likely (a failover, a restart): it takes no one for dead until they had a TTL to renew
      boolean cutOff = System.nanoTime() - lastHeartbeatNanos > 2 * HEARTBEAT_EVERY.toNanos() + COMMAND_TIMEOUT.toNanos();
      Long known = sweep(cutOff ? "cut-off" : null).toCompletableFuture().get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      lastHeartbeatNanos = System.nanoTime();
      if (known != null && known == 0L) {
        log.warn("cluster node {} is missing from Redis (its heartbeat lapsed, or Redis lost its data): registering its peers again", nodeId);
        reclaim(hub);
      }
    } catch (Exception e) {
      if (!stopped) log.warn("cluster heartbeat failed: {}", e.toString());
    }
  }

  /**
   * After this node was taken for dead (its heartbeat lapsed and another node removed its peers):
   * registers its peers again; one that meanwhile joined on another node is dropped here.
   */
  private void reclaim(SignalingHub hub) {
    for (Member m : hub.members()) {
      Claim c = claim(m.room(), m.peer(), Integer.MAX_VALUE, true);
      if (c != null && c.taken()) hub.remoteReplaced(m.room(), m.peer());
      else if (c != null && !m.active()) left(m.room(), m.peer()); // it left while being registered
    }
  }

  /** Renews this node's heartbeat and removes dead nodes; {@code mode} {@code goodbye} removes this one, {@code cut-off} holds off removals. */
  private CompletionStage<Long> sweep(String mode) {
    return commands.<Long>eval(ClusterScripts.SWEEP, ScriptOutputType.INTEGER, SLOT_KEY,
        PREFIX, nodeId, "goodbye".equals(mode) ? mode : Long.toString(HEARTBEAT_TTL.toMillis()), "cut-off".equals(mode) ? "1" : "");
  }

  /**
   * Registers {@code peer} in {@code room} on this node, cluster-wide: refuses a full room, tells the
   * node that held the same peer to drop it, or tells the room's other nodes it joined. Waits for Redis;
   * returns {@code null} when Redis does not answer in time.
   */
  Claim claim(String room, String peer, int roomSize, boolean keepElsewhere) {
    List<Object> r;
    try {
      r = commands.<List<Object>>eval(ClusterScripts.CLAIM, ScriptOutputType.MULTI, SLOT_KEY, PREFIX, room, peer,
          nodeId, Integer.toString(roomSize), keepElsewhere ? "keep" : "").get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      log.warn("cluster: join of {} to {} not registered: {}", peer, room, e.toString());
      return null;
    }
    if (r.size() == 1 && "full".equals(r.get(0))) return new Claim(true, false, null, null, List.of());
    if (r.size() == 1 && "taken".equals(r.get(0))) return new Claim(false, true, null, null, List.of());
    String old = (String) r.get(0);
    String since = (String) r.get(1);
    List<String> others = new ArrayList<>();
    for (int i = 2; i < r.size(); i++) others.add((String) r.get(i));
    return new Claim(false, false, old.isEmpty() ? null : old, since.isEmpty() ? "0-0" : since, others);
  }

  /** Whether stream entry id {@code a} ({@code ms-seq}) comes after {@code b}. */
  static boolean after(String a, String b) {
    int da = a.indexOf('-');
    int db = b.indexOf('-');
    int c = Long.compare(Long.parseLong(a.substring(0, da)), Long.parseLong(b.substring(0, db)));
    return c != 0 ? c > 0 : Long.parseLong(a.substring(da + 1)) > Long.parseLong(b.substring(db + 1));
  }

  /** Every peer in {@code room} on any node; waits for Redis (empty when it does not answer in time). */
  List<String> peersIn(String room) {
    try {
      return commands.hkeys(PREFIX + "room:" + room).get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      log.warn("cluster: peers of {} not read: {}", room, e.toString());
      return List.of();
    }
  }

  /** Takes {@code peer} out of {@code room} cluster-wide if this node still holds it; the other nodes tell their peers. */
  void left(String room, String peer) {
    if (stopped) return;
    commands.<Long>eval(ClusterScripts.LEAVE, ScriptOutputType.INTEGER, SLOT_KEY, PREFIX, room, peer, nodeId)
        .exceptionally(e -> {
          log.warn("cluster: leave of {}/{} not recorded: {}", room, peer, e.toString());
          return 0L;
        });
  }

  /**
   * Sends {@code json} (an envelope already stamped with its sender) to {@code to}'s node; on the cluster
   * thread, runs {@code noSuchPeer} when no node holds {@code to}, or {@code notSent} when Redis did not
   * take the message (it is down, or a failover is under way).
   */
  void route(String room, String to, String json, Runnable noSuchPeer, Runnable notSent) {
    if (stopped) return; // this node is going away; its peers are being told so
    long t0 = System.nanoTime();
    commands.<Long>eval(ClusterScripts.ROUTE, ScriptOutputType.INTEGER, SLOT_KEY, PREFIX, room, to, nodeId, json)
        .whenCompleteAsync((sent, failure) -> {
          routeMicros.add((System.nanoTime() - t0) / 1000);
          if (failure != null) {
            routesNotSent.increment();
            notSentLog.record(room + "/" + to + ": " + failure);
            notSent.run();
          } else if (sent == null || sent != 1L) {
            routesNoSuchPeer.increment();
            noSuchPeer.run();
          } else {
            routesSent.increment();
          }
        }, executor);
  }

  /** Messages this node handed to Redis for another node that Redis took, since start. */
  long routesSent() {
    return routesSent.sum();
  }

  /** Messages for a peer that no node held, since start. */
  long routesNoSuchPeer() {
    return routesNoSuchPeer.sum();
  }

  /** Messages Redis did not take (down, failing over), since start. */
  long routesNotSent() {
    return routesNotSent.sum();
  }

  /** The summed time from handing a message to Redis to its answer, in microseconds, since start. */
  long routeMicros() {
    return routeMicros.sum();
  }

  /** Clean stop: this node's peers leave every room (the other nodes hear {@code peer-left}), then disconnects. */
  void close() {
    if (stopped) return;
    try {
      sweep("goodbye").toCompletableFuture().get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      log.warn("cluster: goodbye not recorded, the other nodes drop this node's peers when its heartbeat expires: {}", e.toString());
    }
    halt();
  }

  /** Stops at once without telling Redis anything, as a killed process would (tests; also the end of {@link #close}). */
  void halt() {
    stopped = true;
    executor.shutdownNow();
    if (inbox != null) inbox.stop();
    if (client != null) client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }

  boolean stopped() {
    return stopped;
  }

  /** Whether the connection to Redis is up now (Lettuce reconnects by itself after it drops). */
  boolean connected() {
    StatefulConnection<String, String> c = connection;
    return !stopped && c != null && c.isOpen();
  }
}
