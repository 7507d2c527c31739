package dev.simplecall.server;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's link to the other signaling nodes through one Redis: room membership and presence in
 * shared hashes, one inbox stream per node for what other nodes send its peers, and a heartbeat key whose
 * expiry tells the others the node is gone. {@link SignalingHub} calls it; it calls the hub back from its
 * own threads. The Redis side is {@link ClusterScripts}.
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
  static final String PREFIX = "simplecall:";
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
  private final RedisURI uri;
  private RedisClient client; // set by start
  private StatefulRedisConnection<String, String> connection;
  private RedisAsyncCommands<String, String> commands;
  private ClusterInbox inbox;
  private final ScheduledExecutorService executor;
  private volatile boolean stopped;

  ClusterLink(URI redis) {
    this.uri = RedisURI.create(redis);
    this.uri.setTimeout(COMMAND_TIMEOUT);
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
    client = RedisClient.create(uri);
    try {
      connection = client.connect();
      commands = connection.async();
      sweep(null).toCompletableFuture().join(); // registers this node (also checks the password)
    } catch (RuntimeException e) {
      halt();
      throw new IllegalStateException("cannot reach Redis at " + dev.simplecall.protocol.Uris.redact(uri.toURI()) + ": " + e.getMessage(), e);
    }
    inbox = new ClusterInbox(client, PREFIX + "inbox:" + nodeId, hub);
    inbox.start();
    long every = HEARTBEAT_EVERY.toMillis();
    executor.scheduleWithFixedDelay(() -> heartbeat(hub), every, every, TimeUnit.MILLISECONDS);
    log.info("cluster node {} on Redis {}", nodeId, dev.simplecall.protocol.Uris.redact(uri.toURI()));
  }

  private void heartbeat(SignalingHub hub) {
    try {
      Long known = sweep(null).toCompletableFuture().get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
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

  private CompletionStage<Long> sweep(String mode) {
    return commands.<Long>eval(ClusterScripts.SWEEP, ScriptOutputType.INTEGER, new String[0],
        PREFIX, nodeId, mode != null ? mode : Long.toString(HEARTBEAT_TTL.toMillis()));
  }

  /**
   * Registers {@code peer} in {@code room} on this node, cluster-wide: refuses a full room, tells the
   * node that held the same peer to drop it, or tells the room's other nodes it joined. Waits for Redis;
   * returns {@code null} when Redis does not answer in time.
   */
  Claim claim(String room, String peer, int roomSize, boolean keepElsewhere) {
    List<Object> r;
    try {
      r = commands.<List<Object>>eval(ClusterScripts.CLAIM, ScriptOutputType.MULTI, new String[0], PREFIX, room, peer,
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
    commands.<Long>eval(ClusterScripts.LEAVE, ScriptOutputType.INTEGER, new String[0], PREFIX, room, peer, nodeId)
        .exceptionally(e -> {
          log.warn("cluster: leave of {}/{} not recorded: {}", room, peer, e.toString());
          return 0L;
        });
  }

  /**
   * Sends {@code json} (an envelope already stamped with its sender) to {@code to}'s node; runs {@code
   * noSuchPeer} on the cluster thread when no node holds {@code to}.
   */
  void route(String room, String to, String json, Runnable noSuchPeer) {
    if (stopped) return; // this node is going away; its peers are being told so
    commands.<Long>eval(ClusterScripts.ROUTE, ScriptOutputType.INTEGER, new String[0], PREFIX, room, to, nodeId, json)
        .whenCompleteAsync((sent, failure) -> {
          if (failure != null) log.warn("cluster: message to {}/{} not sent: {}", room, to, failure.toString());
          if (failure != null || sent == null || sent != 1L) noSuchPeer.run();
        }, executor);
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
    StatefulRedisConnection<String, String> c = connection;
    return !stopped && c != null && c.isOpen();
  }
}
