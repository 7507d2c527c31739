package dev.simplecall.server;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;

/** Builds the parts of a {@link SignalingServer} from its {@link ServerSettings}: the hub (and its cluster link) and the HTTP API. */
final class ServerWiring {
  /** Refusals over a per-address limit are summed into one log line per this interval. */
  private static final Duration REFUSAL_LOG_INTERVAL = Duration.ofSeconds(10);
  /** Most client addresses the TURN endpoint's rate limiter tracks between sweeps. */
  private static final int MAX_TRACKED_ADDRESSES = 100_000;

  private ServerWiring() {}

  static SignalingHub hub(ServerSettings settings, TurnCredentials turn, Logger log) {
    long logEvery = REFUSAL_LOG_INTERVAL.toNanos();
    AddressLimits perAddress = new AddressLimits(settings.maxSessionsPerIp(), settings.maxRoomsPerIp(),
        new RefusalLog(log, "joins over max-sessions-per-ip", logEvery, settings.nanoTime()),
        new RefusalLog(log, "joins over max-rooms-per-ip", logEvery, settings.nanoTime()));
    ClusterLink cluster = settings.cluster().isEmpty() ? null : new ClusterLink(settings.cluster().get(0));
    return new SignalingHub(new SignalingHub.Limits(settings.roomSize(), settings.maxRooms(), settings.maxPeers()),
        perAddress, (peer, tokenExpiry) -> turn == null ? settings.iceServers()
            : turn.iceServers(settings.iceServers(), peer, tokenExpiry), cluster);
  }

  static HttpApi httpApi(ServerSettings settings, ServerContext context, TurnCredentials turn, Logger log) {
    AddressBuckets turnBuckets = new AddressBuckets(settings.turnRequestsPerMinute() / 60, settings.turnRequestBurst(),
        MAX_TRACKED_ADDRESSES, settings.nanoTime());
    return new HttpApi(context, turn, settings.iceServers(), turnBuckets, new RefusalLog(log,
        "TURN credential requests over the per-address rate", REFUSAL_LOG_INTERVAL.toNanos(), settings.nanoTime()));
  }

  /**
   * Checks the Redis URIs of {@link SignalingServer.Builder#cluster}: none turns clustering off; one
   * {@code redis://} or {@code rediss://} URI with a host is a single Redis.
   *
   * @throws IllegalArgumentException naming a URI that is not a Redis one, or for more than one
   */
  static List<URI> clusterUris(URI... uris) {
    Objects.requireNonNull(uris, "redisUris == null");
    for (URI u : uris) {
      Objects.requireNonNull(u, "redis URI == null");
      if (!("redis".equals(u.getScheme()) || "rediss".equals(u.getScheme())) || u.getHost() == null) {
        throw new IllegalArgumentException("not a redis://HOST:PORT URI: " + dev.simplecall.protocol.Uris.redact(u));
      }
    }
    if (uris.length > 1) {
      throw new IllegalArgumentException("a Redis Cluster (" + uris.length + " URIs) is not supported yet: give one Redis");
    }
    return List.of(uris);
  }
}
