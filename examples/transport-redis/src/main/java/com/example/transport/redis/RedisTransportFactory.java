package com.example.transport.redis;

import dev.simplecall.protocol.Uris;
import dev.simplecall.spi.SignalingTransport;
import dev.simplecall.spi.SignalingTransportFactory;
import dev.simplecall.spi.TransportOptions;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.protocol.ProtocolVersion;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Signaling over Redis pub/sub, no signaling server needed: {@code redis://[user:password@]host:6379}
 * and {@code rediss://} (TLS). Presence lives in keys with a TTL that a heartbeat refreshes, so a
 * crashed peer leaves the room within about {@code presenceTtl * 4/3}. Redis pub/sub stores nothing:
 * a message sent while its receiver is disconnected is lost (the SDK's negotiation recovers by ICE
 * restart), and Redis does not authenticate {@code from} unless its ACL restricts channels per user.
 *
 * <pre>{@code
 * CallClient client = CallClient.builder()
 *     .addTransportFactory(new RedisTransportFactory(Duration.ofSeconds(10)))
 *     .build();
 * // then SessionOptions.builder().signaling(URI.create("redis://127.0.0.1:6379"))...
 * }</pre>
 */
public final class RedisTransportFactory implements SignalingTransportFactory {
  private final Duration presenceTtl;
  private RedisClient client; // one per factory: its event loops are shared by the factory's transports

  /** Presence TTL 15 s; for {@link java.util.ServiceLoader}. */
  public RedisTransportFactory() {
    this(Duration.ofSeconds(15));
  }

  public RedisTransportFactory(Duration presenceTtl) {
    Objects.requireNonNull(presenceTtl, "presenceTtl == null");
    if (presenceTtl.toMillis() < 300) throw new IllegalArgumentException("presenceTtl < 300ms: " + presenceTtl);
    this.presenceTtl = presenceTtl;
  }

  @Override
  public Set<String> schemes() {
    return Set.of("redis", "rediss");
  }

  @Override
  public SignalingTransport create(URI endpoint, TransportOptions options, SignalingTransport.Listener listener) {
    Objects.requireNonNull(options, "options == null");
    Objects.requireNonNull(listener, "listener == null");
    String path = endpoint.getPath() == null ? "" : endpoint.getPath();
    if (!schemes().contains(String.valueOf(endpoint.getScheme()).toLowerCase(java.util.Locale.ROOT))
        || endpoint.getHost() == null || !path.matches("/?[0-9]*") || endpoint.getQuery() != null) {
      throw new IllegalArgumentException("unusable Redis endpoint " + Uris.redact(endpoint)
          + " (expected redis://[user:password@]host[:port][/db] or rediss://...)");
    }
    RedisURI uri = RedisURI.create(endpoint);
    uri.setTimeout(options.connectTimeout()); // bounds the handshake and each command
    return new RedisTransport(client(), uri, presenceTtl, options, listener);
  }

  private synchronized RedisClient client() {
    if (client == null) {
      client = RedisClient.create(); // with its own event loops, which end with the client
      client.setOptions(ClientOptions.builder()
          .autoReconnect(false) // the transport reconnects itself, with the SDK's backoff and give-up
          .protocolVersion(ProtocolVersion.RESP3)
          .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
          .build());
    }
    return client;
  }

  /** Shuts the Lettuce client and its event loops down; a transport made later starts a new one. */
  @Override
  public void close() {
    RedisClient c;
    synchronized (this) {
      c = client;
      client = null;
    }
    if (c != null) c.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }

  @Override
  public String toString() {
    return "RedisTransportFactory" + schemes();
  }
}
