package dev.simplecall.server;

import dev.simplecall.server.ServerMetrics.Labelled;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parts of one {@link SignalingServer}, wired from its settings: the hub with its per-address
 * limits, the endpoints, the guards (requests, connections), the TLS connector ({@code null}: plain HTTP) and the server's one
 * timer. Made once per server, which decides under its lifecycle lock when to start and stop them.
 */
record ServerParts(
    SignalingHub hub,
    ServerContext context,
    WebSocketEndpoint webSocket,
    PollEndpoint poll,
    HttpApi httpApi,
    HttpGuard guard,
    TlsConnector tls,
    ConnectionGuard connections,
    ServerMetrics metrics,
    ScheduledExecutorService timer) {
  // The server's logger: refusal lines read as the server's own.
  private static final Logger log = LoggerFactory.getLogger(SignalingServer.class);
  /** Most client addresses the join and TURN rate limiters each track between sweeps. */
  private static final int MAX_TRACKED_ADDRESSES = 100_000;

  /** @throws IllegalStateException when the TLS files cannot be read or used (the message names them) */
  static ServerParts wire(ServerSettings settings) {
    TlsConnector tls = settings.tls() == null ? null : new TlsConnector(settings.tls());
    TurnCredentials turn = settings.turnCredentials();
    SignalingHub hub = ServerWiring.hub(settings, turn, log); // with its cluster link when clustered
    ScheduledExecutorService timer = ServerContext.newTimer();
    AddressBuckets joinBuckets = new AddressBuckets(settings.joinsPerMinutePerIp() / 60, settings.joinBurstPerIp(),
        MAX_TRACKED_ADDRESSES, settings.nanoTime());
    ServerContext context = new ServerContext(hub, settings.tokenVerifier(), settings.ratePerSecond(), settings.rateBurst(), timer,
        settings.connectionLimits().trustedProxies(), new ServerContext.JoinRate(joinBuckets, settings.joinsPerMinutePerIp(),
            settings.joinBurstPerIp(), refusalLog(settings, "joins over joins-per-minute-per-ip")));
    OriginPolicy origins = new OriginPolicy(settings.allowedOrigins(), ServerSettings.isLoopback(settings.bind()));
    Duration joinTimeout = settings.connectionLimits().joinTimeout();
    WebSocketEndpoint webSocket = new WebSocketEndpoint(context, settings.pingInterval(), origins, joinTimeout,
        refusalLog(settings, "WebSockets out of any room for " + joinTimeout.toMillis() + " ms (join-timeout), closed"));
    PollEndpoint poll = new PollEndpoint(context, timer, settings.pollSessionTimeout(), settings.maxPollWait());
    AddressBuckets turnBuckets = new AddressBuckets(settings.turnRequestsPerMinute() / 60, settings.turnRequestBurst(),
        MAX_TRACKED_ADDRESSES, settings.nanoTime());
    HttpApi httpApi = new HttpApi(context, turn, settings.iceServers(), turnBuckets,
        refusalLog(settings, "TURN credential requests over the per-address rate"));
    ConnectionLimits limits = settings.connectionLimits();
    ConnectionGuard connections = new ConnectionGuard(limits.requestReadTimeout(), limits.maxConnectionsPerIp(),
        limits.trustedProxies(),
        refusalLog(settings, "connections that sent no whole request within " + limits.requestReadTimeout().toMillis()
            + " ms (request-read-timeout), closed"),
        refusalLog(settings, "connections over max-connections-per-ip " + limits.maxConnectionsPerIp() + ", closed at once"),
        settings.nanoTime());
    ServerMetrics metrics = new ServerMetrics(settings.metricsReaders(), limits.trustedProxies())
        .gauge("simplecall_rooms", "Rooms with at least one peer on this node.", hub::roomCount)
        .gauge("simplecall_peers", "Peers in rooms on this node (WebSocket, long-poll and bridged).", hub::peerCount)
        .gauge("simplecall_poll_sessions", "Long-poll sessions on this node.", poll::sessionCount)
        .gauge("simplecall_connections", "Open TCP connections.", connections::watched)
        .counter("simplecall_messages_routed_total", "Messages delivered from one peer to another on this node.",
            hub::routedCount)
        .counter("simplecall_refused_total", "Joins, connections and requests refused by a limit.", "limit", List.of(
            new Labelled("max-sessions-per-ip", () -> hub.addressLimits(AddressLimits::refusedSessions)),
            new Labelled("max-rooms-per-ip", () -> hub.addressLimits(AddressLimits::refusedRooms)),
            new Labelled("max-connections-per-ip", connections::refusedOverLimit),
            new Labelled("request-read-timeout", connections::closedLate),
            new Labelled("join-timeout", webSocket::closedUnjoined),
            new Labelled("turn-requests-per-ip", httpApi::turnRateLimitedCount),
            new Labelled("joins-per-ip", context::joinsRateLimited)));
    ClusterLink cluster = hub.cluster();
    if (cluster != null) {
      metrics.gauge("simplecall_cluster_redis_up", "1 while this node's connection to Redis is up, else 0.",
              () -> cluster.connected() ? 1 : 0)
          .counter("simplecall_cluster_messages_total", "Messages for peers on other nodes, by what Redis answered.", "result",
              List.of(new Labelled("sent", cluster::routesSent), new Labelled("no-such-peer", cluster::routesNoSuchPeer),
                  new Labelled("not-sent", cluster::routesNotSent)))
          .counter("simplecall_cluster_route_microseconds_total",
              "Time from handing those messages to Redis to its answers, summed (divide by the messages for the mean).",
              cluster::routeMicros);
    }
    return new ServerParts(hub, context, webSocket, poll, httpApi, new HttpGuard(origins), tls, connections, metrics, timer);
  }

  /** Starts the periodic work on the timer: pings, poll and rate-limit sweeps, connection checks. */
  void startTimers() {
    webSocket.startPinging(timer);
    context.startSweeping();
    poll.startSweeping();
    httpApi.startSweeping(timer);
    connections.startSweeping(timer);
  }

  /**
   * Refuses new joins, tells every peer {@code server-busy} and closes its WebSocket (1001; in a cluster
   * 1012, reconnect elsewhere), ends the long-poll sessions, stops {@code http} ({@code null}: never
   * started) once that went out; in a cluster waits for the peers to join other nodes (at most {@code
   * drainTimeout}) before leaving it; then stops the timer.
   */
  void shutdown(JavalinHost http, Duration drainTimeout) {
    hub.shutdown();
    List<WsPeer> peers = webSocket.shutdown(hub.cluster() != null);
    poll.shutdown();
    webSocket.stopPinging();
    if (http != null) http.stop(peers); // after the goodbye frames and the answers to held polls went out
    hub.leaveCluster(drainTimeout);
    timer.shutdownNow();
  }

  private static RefusalLog refusalLog(ServerSettings settings, String what) {
    return ServerWiring.refusalLog(settings, log, what);
  }
}
