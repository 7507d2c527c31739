package dev.simplecall.server;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;

/** Builds parts of a {@link SignalingServer} from its {@link ServerSettings}: the hub (and its cluster link) and the refusal logs. */
final class ServerWiring {
  /** Refusals over a per-address limit are summed into one log line per this interval. */
  private static final Duration REFUSAL_LOG_INTERVAL = Duration.ofSeconds(10);

  private ServerWiring() {}

  static SignalingHub hub(ServerSettings settings, TurnCredentials turn, Logger log) {
    AddressLimits perAddress = new AddressLimits(settings.maxSessionsPerIp(), settings.maxRoomsPerIp(),
        refusalLog(settings, log, "joins over max-sessions-per-ip"), refusalLog(settings, log, "joins over max-rooms-per-ip"));
    ClusterLink cluster = settings.cluster().isEmpty() ? null : new ClusterLink(settings.cluster());
    return new SignalingHub(new SignalingHub.Limits(settings.roomSize(), settings.maxRooms(), settings.maxPeers()),
        perAddress, (peer, tokenExpiry) -> turn == null ? settings.iceServers()
            : turn.iceServers(settings.iceServers(), peer, tokenExpiry), cluster);
  }

  /** Counts refusals of one kind and logs them to {@code log} as one summed line per {@link #REFUSAL_LOG_INTERVAL} at most. */
  static RefusalLog refusalLog(ServerSettings settings, Logger log, String what) {
    return new RefusalLog(log, what, REFUSAL_LOG_INTERVAL.toNanos(), settings.nanoTime());
  }

  /**
   * Checks the Redis URIs of {@link SignalingServer.Builder#cluster}: none turns clustering off; each must
   * be a {@code redis://} or {@code rediss://} URI with a host. One is a single Redis (or a node of a Redis
   * Cluster, found out at start); several are seed nodes of one Redis Cluster.
   *
   * @throws IllegalArgumentException naming a URI that is not a Redis one
   */
  static List<URI> clusterUris(URI... uris) {
    Objects.requireNonNull(uris, "redisUris == null");
    for (URI u : uris) {
      Objects.requireNonNull(u, "redis URI == null");
      if (!("redis".equals(u.getScheme()) || "rediss".equals(u.getScheme())) || u.getHost() == null) {
        throw new IllegalArgumentException("not a redis://HOST:PORT URI: " + dev.simplecall.protocol.Uris.redact(u));
      }
    }
    return List.of(uris);
  }
}
