package dev.simplecall.server;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.protocol.EnvelopeException;
import dev.simplecall.spi.support.RecentIds;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.sync.RedisStreamCommands;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads this node's inbox stream ({@code {simplecall}:inbox:<node>}) on its own thread, {@code
 * simplecall-cluster-inbox}, and hands each entry to the hub in stream order. It remembers the id of the
 * last entry read, so after a Redis blip it goes on from there: entries added meanwhile are read, none
 * twice. A message whose room, sender and envelope id were already delivered (Lettuce re-sends a
 * command that was in flight when the connection broke) is dropped.
 */
final class ClusterInbox {
  private static final Logger log = LoggerFactory.getLogger(ClusterInbox.class);
  private static final Duration BLOCK = Duration.ofSeconds(1);
  private static final Duration RETRY = Duration.ofMillis(500);

  /** A connection of its own (to one Redis, or to a Redis Cluster) and its stream commands. */
  record Reader(StatefulConnection<String, String> connection, RedisStreamCommands<String, String> streams) {}

  /** Opens a {@link Reader}; called again after a connection fails. */
  @FunctionalInterface
  interface Readers {
    Reader open();
  }

  private final Readers readers;
  private final String key;
  private final SignalingHub hub;
  private final RecentIds delivered = new RecentIds(4096);
  private final Thread thread;
  private volatile boolean stopped;
  private String lastId = "0-0"; // confined to thread

  ClusterInbox(Readers readers, String key, SignalingHub hub) {
    this.readers = readers;
    this.key = key;
    this.hub = hub;
    this.thread = new Thread(this::run, "simplecall-cluster-inbox");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  void stop() {
    stopped = true;
    thread.interrupt();
  }

  private void run() {
    while (!stopped) {
      Reader r = null;
      try {
        r = readers.open();
        r.connection().setTimeout(BLOCK.plus(ClusterLink.COMMAND_TIMEOUT));
        while (!stopped) {
          List<StreamMessage<String, String>> batch = r.streams().xread(
              XReadArgs.Builder.block(BLOCK).count(256), XReadArgs.StreamOffset.from(key, lastId));
          for (StreamMessage<String, String> m : batch) {
            lastId = m.getId();
            handle(m.getId(), m.getBody());
          }
        }
      } catch (RuntimeException e) {
        if (stopped) return; // the client's shutdown closes the connection
        if (r != null) r.connection().closeAsync();
        log.warn("cluster inbox: {}; reading again from {} in {} ms", e.toString(), lastId, RETRY.toMillis());
        try {
          Thread.sleep(RETRY.toMillis()); // back-off before reconnecting, not synchronisation
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  private void handle(String id, Map<String, String> entry) {
    String kind = entry.get("k");
    String room = entry.get("room");
    String peer = entry.get("peer");
    if (kind == null || room == null || peer == null) return;
    switch (kind) {
      case "m" -> {
        Envelope e;
        try {
          e = EnvelopeCodec.decode(entry.get("env"));
        } catch (EnvelopeException | RuntimeException ex) {
          log.warn("cluster inbox: dropping an entry that does not decode: {}", ex.toString());
          return;
        }
        // a duplicate is the same sender's same message: ids are the senders' own, and two peers may
        // pick the same one (sequential ids), so the id alone would drop the second peer's message
        if (delivered.firstSeen(room + "/" + e.from() + "/" + e.id())) hub.remoteDeliver(room, peer, e);
      }
      case "j" -> hub.remotePresence(id, room, peer, true);
      case "l" -> hub.remotePresence(id, room, peer, false);
      case "r" -> hub.remoteReplaced(room, peer);
      default -> log.debug("cluster inbox: unknown entry kind {}", kind);
    }
  }
}
