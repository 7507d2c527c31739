package com.example.transport.redis;

import dev.simplecall.protocol.Names;
import dev.simplecall.spi.SignalingTransport;
import dev.simplecall.spi.TransportException;
import dev.simplecall.spi.TransportOptions;
import dev.simplecall.spi.support.BrokerRoom;
import dev.simplecall.spi.support.TransportLoop;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.pubsub.api.async.RedisPubSubAsyncCommands;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signaling over Redis pub/sub, one RESP3 connection per peer (RESP3 lets a subscribed connection
 * run ordinary commands, so everything this peer writes goes out in one ordered stream). The server's
 * part (welcome, peer-joined/left, stamping, errors, dedupe) is {@link BrokerRoom}'s; this class only
 * connects, subscribes, publishes and keeps presence alive:
 *
 * <pre>
 * simplecall/v1/{room}/to/{to}/from/{from}   channel: one envelope (PSUBSCRIBE .../to/{self}/from/*)
 * simplecall/v1/{room}/presence/{peer}       channel: {"state":"online"}, or empty when leaving
 * simplecall/v1/{room}/presence/{peer}       key: {"state":"online"} with a TTL, refreshed by a heartbeat
 * </pre>
 *
 * A crashed peer's key expires; every heartbeat lists the room's keys and reports who is gone.
 * Threading: all state on the {@link TransportLoop}; Lettuce callbacks post to it, tagged with the
 * {@link #generation} of the connection they belong to.
 */
final class RedisTransport implements SignalingTransport {
  private static final Logger log = LoggerFactory.getLogger(RedisTransport.class);
  private static final String PREFIX = "simplecall/v1/";
  private static final String ONLINE = "{\"state\":\"online\"}";
  private static final Duration CLOSE_LIMIT = Duration.ofSeconds(3);

  private final RedisClient client;
  private final RedisURI uri;
  private final Duration ttl;
  private final String room;
  private final String self;
  private final TransportOptions options;
  private final String description;
  private final TransportLoop loop;
  private final BrokerRoom.Wire wire; // publishes on the current connection, refuses without one
  private final BrokerRoom members;
  private final AtomicBoolean closeCalled = new AtomicBoolean();
  // only touched on the loop
  private int generation;
  private boolean closing;
  private StatefulRedisPubSubConnection<String, String> connection;
  private ScheduledFuture<?> timer; // the attempt's connect timeout, then the heartbeat

  RedisTransport(RedisClient client, RedisURI uri, Duration ttl, TransportOptions options, Listener listener) {
    this.client = client;
    this.uri = uri;
    this.ttl = ttl;
    this.room = options.room();
    this.self = options.peerId();
    this.options = options;
    this.description = "redis " + uri.getHost() + ":" + uri.getPort() + " room " + room + " peer " + self;
    this.loop = new TransportLoop("simplecall-redis-" + self, this, listener, options, this::release);
    this.wire = new BrokerRoom.Wire() {
      @Override public boolean publish(String to, String text) {
        if (connection == null) return false;
        connection.async().publish(PREFIX + room + "/to/" + to + "/from/" + self, text);
        return true;
      }

      @Override public boolean announce(boolean online) {
        if (connection == null) return false;
        RedisTransport.this.announce(connection.async(), online);
        return true;
      }
    };
    this.members = new BrokerRoom(loop, options, description, wire);
    loop.execute(this::attempt);
  }

  @Override
  public boolean send(String text) {
    if (text == null || closeCalled.get()) return false;
    return loop.enqueue(() -> members.send(text));
  }

  @Override
  public void close() {
    if (closeCalled.compareAndSet(false, true)) loop.execute(this::closeGracefully);
  }

  @Override
  public String toString() {
    return description;
  }

  /** One attempt: connect, subscribe, announce, list who is here; bounded by the connect timeout. */
  private void attempt() {
    if (closing || connection != null) return;
    int gen = ++generation;
    members.connecting();
    timer = loop.schedule(() -> broken(gen, new TimeoutException("no answer within " + options.connectTimeout())),
        options.connectTimeout());
    client.connectPubSubAsync(StringCodec.UTF8, uri).whenComplete((c, error) -> {
      if (!loop.execute(() -> connected(gen, c, error)) && c != null) c.closeAsync();
    });
  }

  private void connected(int gen, StatefulRedisPubSubConnection<String, String> c, Throwable error) {
    if (gen != generation) {
      if (c != null) c.closeAsync();
      return;
    }
    if (error != null) {
      broken(gen, error);
      return;
    }
    connection = c;
    ((RedisChannelHandler<?, ?>) c).addListener(new RedisConnectionStateListener() {
      @Override public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
        loop.execute(() -> broken(gen, new IOException("connection to Redis lost")));
      }
    });
    c.addListener(new RedisPubSubAdapter<>() {
      @Override public void message(String pattern, String channel, String text) {
        loop.execute(() -> arrived(gen, channel, text));
      }
    });
    RedisPubSubAsyncCommands<String, String> redis = c.async();
    // one ordered stream: subscribed before announcing, announced before listing and before our sends
    redis.psubscribe(PREFIX + room + "/to/" + self + "/from/*", PREFIX + room + "/presence/*");
    if (!members.hasLeft()) announce(redis, true);
    members.linked();
    redis.keys(PREFIX + room + "/presence/*").whenComplete((keys, e) -> loop.execute(() -> {
      if (gen != generation) return;
      if (e != null) {
        broken(gen, e);
        return;
      }
      cancelTimer();
      members.present(peers(keys));
      members.settled();
      timer = loop.schedule(() -> heartbeat(gen), ttl.dividedBy(3));
    }));
  }

  /** Keeps our key alive and reconciles the room with the keys that are left (a crashed peer's expired). */
  private void heartbeat(int gen) {
    if (gen != generation) return;
    RedisPubSubAsyncCommands<String, String> redis = connection.async();
    if (!members.hasLeft()) redis.set(PREFIX + room + "/presence/" + self, ONLINE, SetArgs.Builder.px(ttl));
    redis.keys(PREFIX + room + "/presence/*").whenComplete((keys, e) -> loop.execute(() -> {
      if (gen != generation) return;
      if (e != null) {
        broken(gen, e);
        return;
      }
      members.present(peers(keys));
      timer = loop.schedule(() -> heartbeat(gen), ttl.dividedBy(3));
    }));
  }

  private CompletionStage<Long> announce(RedisPubSubAsyncCommands<String, String> redis, boolean online) {
    String key = PREFIX + room + "/presence/" + self;
    if (online) redis.set(key, ONLINE, SetArgs.Builder.px(ttl)); else redis.del(key);
    return redis.publish(key, online ? ONLINE : "");
  }

  private void arrived(int gen, String channel, String text) {
    if (gen != generation || !channel.startsWith(PREFIX + room + "/")) return;
    String rest = channel.substring(PREFIX.length() + room.length() + 1);
    String inbox = "to/" + self + "/from/";
    if (rest.startsWith("presence/") && Names.isValid(rest.substring(9))) {
      members.presence(rest.substring(9), !text.isEmpty());
    } else if (rest.startsWith(inbox) && Names.isValid(rest.substring(inbox.length()))) {
      members.message(rest.substring(inbox.length()), text);
    }
  }

  private Set<String> peers(List<String> keys) {
    Set<String> peers = new HashSet<>();
    for (String k : keys) peers.add(k.substring(k.lastIndexOf('/') + 1));
    return peers;
  }

  /** An attempt failed or the link broke: refused credentials are terminal, anything else is retried. */
  private void broken(int gen, Throwable cause) {
    if (gen != generation || closing) return;
    generation++;
    cancelTimer();
    if (connection != null) connection.closeAsync();
    connection = null;
    members.down();
    String why = "";
    for (Throwable t = cause; t != null; t = t.getCause()) why += t + "; ";
    if (why.contains("WRONGPASS") || why.contains("NOAUTH") || why.contains("NOPERM")) {
      loop.failed(new TransportException(TransportException.Kind.UNAUTHORIZED,
          "Redis refused the credentials (" + description + ")", cause));
      return;
    }
    if (why.contains("DB index is out of range") || why.contains("NOPROTO")) {
      loop.failed(new TransportException(TransportException.Kind.CONFIGURATION,
          "Redis cannot serve this endpoint (" + description + "): " + why, cause));
      return;
    }
    log.debug("{}: link down: {}", description, why);
    loop.disconnected(cause);
    loop.schedule(this::attempt, loop.nextBackoff());
  }

  /** Sends what is queued, clears our presence, then ends once Redis has answered (or after a limit). */
  private void closeGracefully() {
    closing = true;
    generation++;
    cancelTimer();
    if (connection == null) {
      members.close(null);
      loop.closed();
      return;
    }
    members.close(wire);
    loop.schedule(loop::closed, CLOSE_LIMIT);
    announce(connection.async(), false).whenComplete((n, e) -> loop.execute(loop::closed));
  }

  /** The loop's cleanup, run once just before the terminal callback. */
  private void release() {
    closeCalled.set(true);
    closing = true;
    generation++;
    cancelTimer();
    if (connection != null) connection.closeAsync();
    connection = null;
  }

  private void cancelTimer() {
    if (timer != null) timer.cancel(false);
    timer = null;
  }
}
