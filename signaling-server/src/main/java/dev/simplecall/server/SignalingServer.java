package dev.simplecall.server;

import static dev.simplecall.server.ServerSettings.atLeastOne;
import static dev.simplecall.server.ServerSettings.positive;

import dev.simplecall.protocol.IceServerInfo;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The simplecall signaling server: rooms, presence and routing for envelope v1 over WebSocket ({@code
 * /v1/ws}) and HTTP long-poll ({@code /v1/poll/...}), join tokens, TURN credentials, {@code /healthz}, {@code /readyz}, {@code /metrics}.
 * Embeddable: the CLI, demos and tests build one, {@link #start()} it and {@link #close()} it. With
 * {@link Builder#tls} its port serves {@code https://} and {@code wss://} instead of plain HTTP ({@link ServerTls}).
 *
 * <pre>{@code
 * try (SignalingServer server = SignalingServer.builder().port(0).build().start()) {
 *   URI ws = URI.create("ws://127.0.0.1:" + server.port() + "/v1/ws");
 *   ...
 * }
 * }</pre>
 *
 * Without an auth secret any peer may claim any id, so the server then only binds a loopback address
 * unless {@link Builder#insecure(boolean)} is set; with a TURN secret too it also needs {@link
 * Builder#allowOpenTurn(boolean)}. One client address may hold only so many sessions and rooms ({@link
 * Builder#maxSessionsPerIp}, {@link Builder#maxRoomsPerIp}), so no single client can fill the server.
 */
public final class SignalingServer implements AutoCloseable {
  private final ServerLifecycle lifecycle;

  private SignalingServer(ServerSettings settings) {
    this.lifecycle = new ServerLifecycle(settings, ServerParts.wire(settings));
  }

  /**
   * A builder with every setting at its default: loopback bind on port 8080, no auth, no TURN.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Binds and starts serving. A server that failed to start is closed and cannot be started again.
   *
   * @return this server, now serving
   * @throws IllegalStateException if already started or closed, or when the address cannot be bound (the cause
   *     says why, for example the port is in use)
   */
  public SignalingServer start() {
    lifecycle.start();
    return this;
  }

  /**
   * The bound port (the real one when built with port 0).
   *
   * @return the TCP port the server listens on
   * @throws IllegalStateException before {@link #start()} succeeded
   */
  public int port() {
    return lifecycle.port();
  }

  /**
   * Peers currently in rooms, over every transport.
   *
   * @return the peers joined through this server (WebSocket, long-poll and MQTT-bridged ones); in a
   *     cluster, this node's only
   */
  public int peerCount() {
    return parts().hub().peerCount();
  }

  /**
   * Rooms with at least one peer.
   *
   * @return the rooms holding a peer joined through this server; in a cluster, this node's only
   */
  public int roomCount() {
    return parts().hub().roomCount();
  }

  /** The hub, endpoints and guards, for the MQTT pieces and tests. */
  ServerParts parts() {
    return lifecycle.parts();
  }

  /**
   * Graceful shutdown: refuses new joins, sends every connected peer {@code error server-busy "server
   * shutting down"}, closes WebSockets with 1001, ends long-poll sessions, then stops. Idempotent.
   */
  @Override
  public void close() {
    lifecycle.close();
  }

  /** Builds a {@link SignalingServer}; every setting has a default fit for local use. */
  public static final class Builder {
    private String bind = "127.0.0.1";
    private int port = 8080;
    private String authSecret;
    private String previousAuthSecret;
    private Instant previousAuthSecretUntil;
    private String turnSecret;
    private List<String> turnUris = List.of();
    private Duration turnTtl = Duration.ofHours(1);
    private List<IceServerInfo> iceServers = List.of();
    private int roomSize = 16;
    private int maxRooms = 10_000;
    private int maxPeers = 50_000;
    private double ratePerSecond = 50;
    private int rateBurst = 200;
    private Duration pingInterval = Duration.ofSeconds(15);
    private Duration pollSessionTimeout = Duration.ofSeconds(60);
    private Duration maxPollWait = Duration.ofSeconds(30);
    private boolean insecure;
    private List<String> allowedOrigins = List.of();
    private AddressRanges metricsReaders = AddressRanges.NONE;
    private int maxSessionsPerIp = 100;
    private int maxRoomsPerIp = 50;
    private boolean allowOpenTurn;
    private ServerTls tls;
    private ConnectionLimits connectionLimits = ConnectionLimits.DEFAULTS;
    private double turnRequestsPerMinute = 10;
    private int turnRequestBurst = 20;
    private double joinsPerMinutePerIp = 600;
    private int joinBurstPerIp = 200;
    private Clock clock = Clock.systemUTC();
    private LongSupplier nanoTime = System::nanoTime;
    private List<URI> cluster = List.of();
    private Duration drainTimeout = ClusterDrain.TIMEOUT;
    private int maxThreads = JavalinHost.MAX_THREADS;

    private Builder() {}

    /**
     * Address to bind, default {@code 127.0.0.1}.
     *
     * @param bind a host name or IP literal, for example {@code 0.0.0.0} for every interface; one that
     *     resolves to any address other than loopback needs an auth secret or {@link #insecure(boolean)}
     * @return this builder
     * @throws NullPointerException when {@code bind} is {@code null}
     */
    public Builder bind(String bind) {
      this.bind = Objects.requireNonNull(bind, "bind == null");
      return this;
    }

    /**
     * TCP port, default 8080; 0 picks a free one (see {@link SignalingServer#port()}).
     *
     * @param port 0 to 65535
     * @return this builder
     * @throws IllegalArgumentException when {@code port} is out of range
     */
    public Builder port(int port) {
      if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
      this.port = port;
      return this;
    }

    /**
     * HS256 secret for join tokens (see {@link TokenIssuer}); {@code null} turns auth off.
     *
     * @param authSecret the secret, or {@code null} (the default) for no auth
     * @return this builder
     * @throws IllegalArgumentException when {@code authSecret} is empty
     */
    public Builder authSecret(String authSecret) {
      if (authSecret != null && authSecret.isEmpty()) throw new IllegalArgumentException("authSecret is empty");
      this.authSecret = authSecret;
      return this;
    }

    /**
     * Secret rotation: join tokens signed with the secret used before {@link #authSecret} are still
     * accepted until {@code until}, so peers holding tokens minted before the rotation can join; after it,
     * only the current secret. {@code null} (the default): no previous secret.
     *
     * @param previousSecret the secret used before the current one, or {@code null}; {@link #build()}
     *     refuses it without an auth secret or when it equals the auth secret
     * @param until the end of the rotation window, or {@code null} exactly when {@code previousSecret} is
     * @return this builder
     * @throws IllegalArgumentException when only one of the two is {@code null}, or the secret is empty
     */
    public Builder previousAuthSecret(String previousSecret, Instant until) {
      if ((previousSecret == null) != (until == null)) throw new IllegalArgumentException("previous secret and until go together");
      if (previousSecret != null && previousSecret.isEmpty()) throw new IllegalArgumentException("previous secret is empty");
      this.previousAuthSecret = previousSecret;
      this.previousAuthSecretUntil = until;
      return this;
    }

    /**
     * Shared secret with the TURN server ({@code static-auth-secret}); needs {@link #turnUris}.
     *
     * @param turnSecret the secret, or {@code null} (the default) for no TURN credentials; {@link #build()}
     *     refuses a secret without TURN URIs and TURN URIs without a secret
     * @return this builder
     * @throws IllegalArgumentException when {@code turnSecret} is empty
     */
    public Builder turnSecret(String turnSecret) {
      if (turnSecret != null && turnSecret.isEmpty()) throw new IllegalArgumentException("turnSecret is empty");
      this.turnSecret = turnSecret;
      return this;
    }

    /**
     * TURN URIs handed out with credentials, e.g. {@code turn:turn.example.org:3478?transport=udp}.
     *
     * @param turnUris the URIs, copied; empty (the default) for none
     * @return this builder
     * @throws NullPointerException when the list is or holds {@code null}
     */
    public Builder turnUris(List<String> turnUris) {
      this.turnUris = List.copyOf(Objects.requireNonNull(turnUris, "turnUris == null"));
      return this;
    }

    /**
     * Lifetime of TURN credentials, default 1 hour. With auth on they also never outlive the join token
     * they were issued on by more than this: expiry is {@code min(now + ttl, token expiry + ttl)}. SDK
     * peers refresh at 80 % of the lifetime, so a shorter TTL costs one small request per peer per
     * refresh; a longer one leaves a leaked credential usable for longer.
     *
     * @param turnTtl the lifetime; positive
     * @return this builder
     * @throws NullPointerException when {@code turnTtl} is {@code null}
     * @throws IllegalArgumentException when {@code turnTtl} is zero or negative
     */
    public Builder turnTtl(Duration turnTtl) {
      this.turnTtl = positive(turnTtl, "turnTtl");
      return this;
    }

    /**
     * ICE servers (say STUN) given to every peer in {@code welcome}, before any TURN entry.
     *
     * @param iceServers the servers, copied; empty (the default) for none
     * @return this builder
     * @throws NullPointerException when the list is or holds {@code null}
     */
    public Builder iceServers(List<IceServerInfo> iceServers) {
      this.iceServers = List.copyOf(Objects.requireNonNull(iceServers, "iceServers == null"));
      return this;
    }

    /**
     * Most peers in one room, default 16. A join beyond it gets {@code room-full}.
     *
     * @param roomSize at least 1
     * @return this builder
     * @throws IllegalArgumentException when {@code roomSize} is less than 1
     */
    public Builder roomSize(int roomSize) {
      this.roomSize = atLeastOne(roomSize, "roomSize");
      return this;
    }

    /**
     * Most rooms on this server, default 10 000; beyond it joins get {@code server-busy}.
     *
     * @param maxRooms at least 1
     * @return this builder
     * @throws IllegalArgumentException when {@code maxRooms} is less than 1
     */
    public Builder maxRooms(int maxRooms) {
      this.maxRooms = atLeastOne(maxRooms, "maxRooms");
      return this;
    }

    /**
     * Most peers on this server, default 50 000; beyond it joins get {@code server-busy}.
     *
     * @param maxPeers at least 1
     * @return this builder
     * @throws IllegalArgumentException when {@code maxPeers} is less than 1
     */
    public Builder maxPeers(int maxPeers) {
      this.maxPeers = atLeastOne(maxPeers, "maxPeers");
      return this;
    }

    /**
     * Most sessions one client address may hold at once, default 100: peers in rooms over WebSocket,
     * long-poll sessions, anything that holds a member (bridged MQTT peers are not counted). Beyond it
     * that address's joins get {@code server-busy}; other addresses are unaffected. The address is the
     * socket's remote address, or behind a {@link #trustedProxies trusted proxy} the one it names; an
     * IPv6 one counts by its /64. 100 leaves room for an office behind one NAT and is 0.2 % of the
     * default {@link #maxPeers}, so filling the server takes 500 addresses instead of one.
     *
     * @param maxSessionsPerIp at least 1
     * @return this builder
     * @throws IllegalArgumentException when {@code maxSessionsPerIp} is less than 1
     */
    public Builder maxSessionsPerIp(int maxSessionsPerIp) {
      this.maxSessionsPerIp = atLeastOne(maxSessionsPerIp, "maxSessionsPerIp");
      return this;
    }

    /**
     * Most live rooms created by one client address (counted as for {@link #maxSessionsPerIp}), default
     * 50; a room stops counting once it is empty, and joining a room someone else created does not count.
     * A join that would create one more gets {@code server-busy}.
     *
     * @param maxRoomsPerIp at least 1
     * @return this builder
     * @throws IllegalArgumentException when {@code maxRoomsPerIp} is less than 1
     */
    public Builder maxRoomsPerIp(int maxRoomsPerIp) {
      this.maxRoomsPerIp = atLeastOne(maxRoomsPerIp, "maxRoomsPerIp");
      return this;
    }

    /**
     * Lets a server hand TURN credentials to unauthenticated clients on a non-loopback bind (a TURN
     * secret without an auth secret). Off by default: such a server gives anyone who asks credentials
     * for your TURN relay, so {@link #build()} refuses it unless this says it is meant.
     *
     * @param allowOpenTurn {@code true} to allow it (default {@code false})
     * @return this builder
     */
    public Builder allowOpenTurn(boolean allowOpenTurn) {
      this.allowOpenTurn = allowOpenTurn;
      return this;
    }

    /**
     * Per-address token bucket for {@code GET /v1/turn-credentials}: {@code burst} requests at once,
     * refilled at {@code perMinute}; beyond it {@code 429 rate-limited}. Default 10 per minute, burst 20
     * (an SDK peer asks once per refresh, about every 48 minutes with the default TTL).
     *
     * @param perMinute requests per minute the bucket refills with; positive, fractions allowed
     * @param burst the bucket's size; at least 1
     * @return this builder
     * @throws IllegalArgumentException when {@code perMinute} is not positive (or NaN) or {@code burst} is
     *     less than 1
     */
    public Builder turnRateLimit(double perMinute, int burst) {
      if (!(perMinute > 0)) throw new IllegalArgumentException("perMinute must be positive: " + perMinute);
      this.turnRequestsPerMinute = perMinute;
      this.turnRequestBurst = atLeastOne(burst, "burst");
      return this;
    }

    /**
     * Per-address token bucket for joins (a WebSocket {@code join} on a connection not yet in a room, a
     * long-poll {@code POST /v1/poll}): {@code burst} joins at once, refilled at {@code perMinute}; beyond
     * it the join is answered {@code rate-limited} (long-poll: 429) before its token is checked, and the
     * client may try again once the bucket refills. Every attempt counts, refused ones too, so an address
     * cannot try tokens or fill rooms faster than this. A token refresh (a repeated join of a member's own
     * identity) counts against its connection's message rate instead. Default 600 per minute, burst 200
     * (twice the default {@link #maxSessionsPerIp}: an office behind one NAT can join at once, and the
     * session cap, not the rate, is what stops an address that only fills). Behind a reverse proxy see
     * {@link #trustedProxies}.
     *
     * @param perMinute joins per minute the bucket refills with; positive, fractions allowed
     * @param burst the bucket's size; at least 1
     * @return this builder
     * @throws IllegalArgumentException when {@code perMinute} is not positive (or NaN) or {@code burst} is
     *     less than 1
     */
    public Builder joinRateLimit(double perMinute, int burst) {
      if (!(perMinute > 0)) throw new IllegalArgumentException("joins per minute per address must be positive: " + perMinute);
      this.joinsPerMinutePerIp = perMinute;
      this.joinBurstPerIp = atLeastOne(burst, "join burst per address");
      return this;
    }

    /**
     * Serves {@code https://} and {@code wss://} with {@code tls}'s certificate; the port then serves no plain HTTP.
     *
     * @param tls the certificate and key files; by default the server speaks plain HTTP
     * @return this builder
     * @throws NullPointerException when {@code tls} is {@code null}
     */
    public Builder tls(ServerTls tls) {
      this.tls = Objects.requireNonNull(tls, "tls == null");
      return this;
    }

    /**
     * Longest a client may take to send a whole request (headers and announced body), default 10 s: the
     * first from the connection's accept (TLS handshake included), a later one from its first bytes. A
     * slower connection is closed without an answer, so trickling clients cannot hold sockets and
     * threads. Upgraded WebSockets and held long-polls are not affected.
     *
     * @param timeout positive
     * @return this builder
     * @throws NullPointerException when {@code timeout} is {@code null}
     * @throws IllegalArgumentException when {@code timeout} is zero or negative
     */
    public Builder requestReadTimeout(Duration timeout) {
      this.connectionLimits = connectionLimits.withRequestReadTimeout(timeout);
      return this;
    }

    /**
     * Longest a WebSocket may stay out of any room, default 10 s: after the upgrade, after a refused join
     * or after {@code leave}. Then it gets {@code error not-joined} and close code 4008, so connections
     * that never join cannot pile up. The SDK and the browser page join at once and close when they leave.
     *
     * @param timeout positive
     * @return this builder
     * @throws NullPointerException when {@code timeout} is {@code null}
     * @throws IllegalArgumentException when {@code timeout} is zero or negative
     */
    public Builder joinTimeout(Duration timeout) {
      this.connectionLimits = connectionLimits.withJoinTimeout(timeout);
      return this;
    }

    /**
     * Most TCP connections one client address (counted as for {@link #maxSessionsPerIp}) may hold open,
     * default 200: twice the default session cap, as a long-poll session may use two. One more is closed
     * as soon as it is accepted, without an answer; open ones are untouched. Raise it behind a proxy.
     *
     * @param max at least 1
     * @return this builder
     * @throws IllegalArgumentException when {@code max} is less than 1
     */
    public Builder maxConnectionsPerIp(int max) {
      this.connectionLimits = connectionLimits.withMaxConnectionsPerIp(max);
      return this;
    }

    /**
     * Reverse proxies (addresses or CIDR ranges, e.g. {@code 10.0.0.0/8}) whose {@code X-Forwarded-For}
     * names the client address the per-address limits count. The header is read from the right and its
     * first address outside these ranges is the client; from any other socket it is ignored. Sockets
     * from these proxies are not capped by {@link #maxConnectionsPerIp}. Default: none.
     *
     * @param ranges IP literals and CIDR ranges ({@code address/prefix}), IPv4 or IPv6; an empty list
     *     trusts none and replaces an earlier call
     * @return this builder
     * @throws NullPointerException when {@code ranges} is {@code null}
     * @throws IllegalArgumentException naming a range that is not an IP literal or CIDR range
     */
    public Builder trustedProxies(List<String> ranges) {
      Objects.requireNonNull(ranges, "ranges == null");
      this.connectionLimits = connectionLimits.withTrustedProxies(TrustedProxies.of(ranges));
      return this;
    }

    /**
     * Client addresses (addresses or CIDR ranges, e.g. {@code 127.0.0.1}) that may read {@code GET
     * /metrics}, the server's counters in the Prometheus text format; any other client gets 404. Behind
     * a {@link #trustedProxies trusted proxy} the address it names counts. Default: none, so {@code
     * /metrics} answers 404 to everyone.
     *
     * @param ranges IP literals and CIDR ranges ({@code address/prefix}), IPv4 or IPv6; an empty list
     *     lets no one read and replaces an earlier call
     * @return this builder
     * @throws NullPointerException when {@code ranges} is {@code null}
     * @throws IllegalArgumentException naming a range that is not an IP literal or CIDR range
     */
    public Builder metricsFrom(List<String> ranges) {
      Objects.requireNonNull(ranges, "ranges == null");
      this.metricsReaders = AddressRanges.of(ranges, "metrics reader");
      return this;
    }

    /**
     * Shares rooms, presence and routing with the other nodes through Redis: one Redis ({@code
     * redis://HOST:PORT}), or a Redis Cluster given by one or more of its nodes (a single URI whose server
     * is a cluster node is taken as a seed too). See docs/DEPLOYMENT.md.
     *
     * @param redisUris {@code redis://} or {@code rediss://} URIs with a host; none (the default) runs
     *     this server alone
     * @return this builder
     * @throws NullPointerException when the array is or holds {@code null}
     * @throws IllegalArgumentException for another scheme or a URI without a host
     */
    public Builder cluster(URI... redisUris) {
      this.cluster = ServerWiring.clusterUris(redisUris);
      return this;
    }

    /**
     * In a cluster, how long a stopping server waits for its peers to reconnect to other nodes before it
     * leaves the cluster (the room hears {@code peer-left} for those that did not), default 10 s. The
     * server closes their WebSockets with 1012, which the SDK's WebSocket transport answers by
     * reconnecting at once.
     *
     * @param drainTimeout zero (do not wait) or more
     * @return this builder
     * @throws NullPointerException when {@code drainTimeout} is {@code null}
     * @throws IllegalArgumentException when {@code drainTimeout} is negative
     */
    public Builder drainTimeout(Duration drainTimeout) {
      if (drainTimeout.isNegative()) throw new IllegalArgumentException("drainTimeout is negative: " + drainTimeout);
      this.drainTimeout = drainTimeout;
      return this;
    }

    /** Wall clock for TURN credential expiry; tests pass a fixed one. */
    Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /** Monotonic time for per-address rate limits and the refusal log; tests pass a fake. */
    Builder nanoTime(LongSupplier nanoTime) {
      this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime == null");
      return this;
    }

    /**
     * Per-connection token bucket: {@code burst} messages at once, refilled at {@code perSecond}. Default
     * 50/s, burst 200. A message beyond it is dropped and answered {@code rate-limited}.
     *
     * @param perSecond messages per second the bucket refills with; positive, fractions allowed
     * @param burst the bucket's size; at least 1
     * @return this builder
     * @throws IllegalArgumentException when {@code perSecond} is not positive (or NaN) or {@code burst} is
     *     less than 1
     */
    public Builder rateLimit(double perSecond, int burst) {
      if (!(perSecond > 0)) throw new IllegalArgumentException("perSecond must be positive: " + perSecond);
      this.ratePerSecond = perSecond;
      this.rateBurst = atLeastOne(burst, "burst");
      return this;
    }

    /**
     * Most threads that serve HTTP requests and WebSocket frames, default {@value JavalinHost#MAX_THREADS}.
     * Every endpoint is non-blocking except a join in a cluster, which waits for Redis (at most 2 s): raise
     * it when many peers join at once through a slow Redis. A larger pool costs CPU on every message:
     * Jetty spreads the work over more threads, with more thread switches (measured: 64 or 250 threads
     * switched threads twice as often per relayed message as 16, and used more CPU).
     *
     * @param maxThreads at least 8
     * @return this builder
     * @throws IllegalArgumentException when {@code maxThreads} is below 8
     */
    public Builder maxThreads(int maxThreads) {
      if (maxThreads < 8) throw new IllegalArgumentException("maxThreads must be at least 8: " + maxThreads);
      this.maxThreads = maxThreads;
      return this;
    }

    /**
     * WebSocket ping interval, default 15 s: a peer that sent nothing of its own (no message, no ping) for
     * this long is pinged, and one from which nothing at all came for 2.5 intervals is dropped ({@code
     * peer-left}).
     *
     * @param pingInterval positive
     * @return this builder
     * @throws NullPointerException when {@code pingInterval} is {@code null}
     * @throws IllegalArgumentException when {@code pingInterval} is zero or negative
     */
    public Builder pingInterval(Duration pingInterval) {
      this.pingInterval = positive(pingInterval, "pingInterval");
      return this;
    }

    /**
     * A long-poll session not polled for this long is dropped, default 60 s.
     *
     * @param pollSessionTimeout positive
     * @return this builder
     * @throws NullPointerException when {@code pollSessionTimeout} is {@code null}
     * @throws IllegalArgumentException when {@code pollSessionTimeout} is zero or negative
     */
    public Builder pollSessionTimeout(Duration pollSessionTimeout) {
      this.pollSessionTimeout = positive(pollSessionTimeout, "pollSessionTimeout");
      return this;
    }

    /**
     * Longest hold the server grants a long-poll {@code waitMs}, default 30 s.
     *
     * @param maxPollWait positive
     * @return this builder
     * @throws NullPointerException when {@code maxPollWait} is {@code null}
     * @throws IllegalArgumentException when {@code maxPollWait} is zero or negative
     */
    public Builder maxPollWait(Duration maxPollWait) {
      this.maxPollWait = positive(maxPollWait, "maxPollWait");
      return this;
    }

    /**
     * Allows a non-loopback bind without an auth secret (anyone may then claim any peer id).
     *
     * @param insecure {@code true} to allow it (default {@code false})
     * @return this builder
     */
    public Builder insecure(boolean insecure) {
      this.insecure = insecure;
      return this;
    }

    /**
     * Browser origins, besides the server's own, whose pages may use the API, e.g. {@code
     * https://app.example.com} (scheme, host and port; no path). A request with any other {@code Origin}
     * gets 403; requests without {@code Origin} (non-browser clients) are not affected. Default: none.
     *
     * @param allowedOrigins the origins, stored lower case without a default port; replaces an earlier call
     * @return this builder
     * @throws NullPointerException when the list is or holds {@code null}
     * @throws IllegalArgumentException naming a value that is not an http(s) origin
     */
    public Builder allowedOrigins(List<String> allowedOrigins) {
      Objects.requireNonNull(allowedOrigins, "allowedOrigins == null");
      List<String> copy = new ArrayList<>();
      for (String o : allowedOrigins) copy.add(OriginPolicy.normalizeListed(o));
      this.allowedOrigins = List.copyOf(copy);
      return this;
    }

    /**
     * A server with these settings, not yet started; the builder can go on being used.
     *
     * @return the new server; {@link SignalingServer#start()} binds it
     * @throws IllegalStateException when the settings contradict each other, for example a public bind
     *     without an auth secret and without {@link #insecure(boolean)}, or a public bind handing TURN
     *     credentials to unauthenticated clients without {@link #allowOpenTurn(boolean)}, or TLS files
     *     that cannot be read or hold no certificate chain with its private key (the message names them)
     */
    public SignalingServer build() {
      return new SignalingServer(new ServerSettings(bind, port, authSecret, previousAuthSecret, previousAuthSecretUntil,
          turnSecret, turnUris, turnTtl, iceServers, roomSize, maxRooms, maxPeers, ratePerSecond, rateBurst, pingInterval, pollSessionTimeout, maxPollWait,
          insecure, allowedOrigins, maxSessionsPerIp, maxRoomsPerIp, allowOpenTurn, turnRequestsPerMinute,
          turnRequestBurst, joinsPerMinutePerIp, joinBurstPerIp, tls, connectionLimits, metricsReaders, clock, nanoTime, cluster, drainTimeout, maxThreads));
    }
  }
}
