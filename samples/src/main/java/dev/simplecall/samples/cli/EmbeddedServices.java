package dev.simplecall.samples.cli;

import dev.simplecall.InMemorySignaling;
import dev.simplecall.server.SignalingServer;
import dev.simplecall.server.mqtt.EmbeddedBroker;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * What the demo starts in-process for a transport: the signaling server on a free loopback port
 * (websocket, http-poll), an embedded MQTT broker (mqtt), or an in-memory hub (memory); with a cluster,
 * two signaling servers sharing rooms through Redis (a redis-server it starts, or the one given).
 * Closing stops them.
 */
final class EmbeddedServices implements AutoCloseable {
  private final List<SignalingServer> servers;
  private final EmbeddedBroker broker;
  private final InMemorySignaling hub;
  private final List<URI> signaling;
  private final LocalRedis redis;
  private final URI redisUri;

  private EmbeddedServices(List<SignalingServer> servers, EmbeddedBroker broker, InMemorySignaling hub, List<URI> signaling,
      LocalRedis redis, URI redisUri) {
    this.servers = servers;
    this.broker = broker;
    this.hub = hub;
    this.signaling = signaling;
    this.redis = redis;
    this.redisUri = redisUri;
  }

  static EmbeddedServices start(String transport) throws IOException {
    switch (Transports.requireName(transport)) {
      case "memory": {
        return new EmbeddedServices(List.of(), null, new InMemorySignaling(), List.of(URI.create("memory://demo")), null, null);
      }
      case "mqtt": {
        EmbeddedBroker broker = EmbeddedBroker.start("127.0.0.1", 0);
        return new EmbeddedServices(List.of(), broker, null, List.of(URI.create("mqtt://127.0.0.1:" + broker.port())), null, null);
      }
      default: {
        SignalingServer server = SignalingServer.builder().bind("127.0.0.1").port(0).build().start();
        return new EmbeddedServices(List.of(server), null, null, List.of(uri(transport, server)), null, null);
      }
    }
  }

  /**
   * Two signaling servers on loopback, nodes of one cluster on {@code redisUri}, or on a redis-server
   * started here when it is {@code null}. For websocket and http-poll only.
   */
  static EmbeddedServices startCluster(String transport, URI redisUri) throws IOException {
    String t = Transports.requireName(transport);
    if (!t.equals("websocket") && !t.equals("http-poll")) {
      throw new CliException(ExitCodes.USAGE, "--cluster is for the websocket and http-poll transports, not " + t);
    }
    LocalRedis redis = redisUri == null ? LocalRedis.start() : null;
    URI store = redis != null ? redis.uri() : redisUri;
    List<SignalingServer> servers = new ArrayList<>();
    List<URI> uris = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        SignalingServer s = SignalingServer.builder().bind("127.0.0.1").port(0).cluster(store)
            .drainTimeout(java.time.Duration.ofSeconds(1)).build().start();
        servers.add(s);
        uris.add(uri(t, s));
      }
    } catch (RuntimeException e) {
      servers.forEach(SignalingServer::close);
      if (redis != null) redis.close();
      throw new CliException(ExitCodes.SIGNALING, "cluster demo: " + e.getMessage());
    }
    return new EmbeddedServices(List.copyOf(servers), null, null, List.copyOf(uris), redis, store);
  }

  private static URI uri(String transport, SignalingServer server) {
    String base = "127.0.0.1:" + server.port();
    return transport.equals("websocket") ? URI.create("ws://" + base + "/v1/ws") : URI.create("http://" + base);
  }

  /** The signaling URI of the first server (or broker, or hub). */
  URI signaling() {
    return signaling.get(0);
  }

  /** The signaling URI for peer number {@code i}: with a cluster, peers alternate between the two nodes. */
  URI signaling(int i) {
    return signaling.get(i % signaling.size());
  }

  /** The in-memory hub (memory transport only), else null. */
  InMemorySignaling hub() {
    return hub;
  }

  String describe() {
    if (servers.size() > 1) {
      return "two signaling servers clustered on " + (redis != null ? "a redis-server at " : "Redis ") + redisUri + " ("
          + String.join(", ", signaling.stream().map(URI::toString).toList()) + ")";
    }
    if (!servers.isEmpty()) return "embedded signaling server at " + signaling();
    if (broker != null) return "embedded MQTT broker at " + signaling();
    return "in-memory signaling (" + signaling() + ")";
  }

  @Override
  public void close() {
    servers.forEach(SignalingServer::close);
    if (broker != null) broker.close();
    if (redis != null) redis.close();
  }
}
