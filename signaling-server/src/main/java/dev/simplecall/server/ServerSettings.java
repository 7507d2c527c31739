package dev.simplecall.server;

import dev.simplecall.protocol.IceServerInfo;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Everything {@link SignalingServer.Builder} collects, validated: each value by the builder's setter
 * (with {@link #atLeastOne} and {@link #positive}), their combination here.
 */
record ServerSettings(
    String bind,
    int port,
    String authSecret,
    String previousAuthSecret,
    Instant previousAuthSecretUntil,
    String turnSecret,
    List<String> turnUris,
    Duration turnTtl,
    List<IceServerInfo> iceServers,
    int roomSize,
    int maxRooms,
    int maxPeers,
    double ratePerSecond,
    int rateBurst,
    Duration pingInterval,
    Duration pollSessionTimeout,
    Duration maxPollWait,
    boolean insecure,
    List<String> allowedOrigins,
    int maxSessionsPerIp,
    int maxRoomsPerIp,
    boolean allowOpenTurn,
    double turnRequestsPerMinute,
    int turnRequestBurst,
    double joinsPerMinutePerIp,
    int joinBurstPerIp,
    ServerTls tls,
    ConnectionLimits connectionLimits,
    AddressRanges metricsReaders,
    Clock clock,
    LongSupplier nanoTime,
    List<URI> cluster,
    Duration drainTimeout,
    int maxThreads) {

  /** @throws IllegalStateException when the settings contradict each other (see {@link SignalingServer.Builder#build()}) */
  ServerSettings {
    if (previousAuthSecret != null && (authSecret == null || authSecret.equals(previousAuthSecret))) {
      throw new IllegalStateException("a previous auth secret needs a current auth secret that differs from it");
    }
    if ((turnSecret == null) != turnUris.isEmpty()) {
      throw new IllegalStateException("turnSecret and turnUris go together (TURN credentials need both)");
    }
    if (authSecret == null && !insecure && !isLoopback(bind)) {
      throw new IllegalStateException("refusing to bind " + bind + " without an auth secret: anyone could claim"
          + " any peer id. Set an auth secret (--auth-secret), bind 127.0.0.1, or pass insecure (--insecure)");
    }
    if (turnSecret != null && authSecret == null && !allowOpenTurn && !isLoopback(bind)) {
      throw new IllegalStateException("refusing to hand out TURN credentials without an auth secret on " + bind
          + ": anyone who can reach it could get credentials and use your TURN server as an open relay. Set an"
          + " auth secret (--auth-secret), bind 127.0.0.1, or pass allowOpenTurn (--allow-open-turn)");
    }
  }

  /** What checks join tokens (the previous secret too while its rotation window lasts); {@code null}: no auth. */
  TokenVerifier tokenVerifier() {
    return authSecret == null ? null : new TokenVerifier(authSecret, previousAuthSecret, previousAuthSecretUntil, clock);
  }

  /** What hands out TURN credentials; {@code null}: no TURN secret. */
  TurnCredentials turnCredentials() {
    return turnSecret == null ? null : new TurnCredentials(turnSecret, turnUris, turnTtl, clock);
  }

  /** Whether every address {@code host} resolves to is a loopback one. */
  static boolean isLoopback(String host) {
    try {
      for (InetAddress a : InetAddress.getAllByName(host)) if (!a.isLoopbackAddress()) return false;
      return true;
    } catch (UnknownHostException e) {
      throw new IllegalStateException("cannot resolve bind address " + host, e);
    }
  }

  static int atLeastOne(int value, String name) {
    if (value < 1) throw new IllegalArgumentException(name + " must be at least 1: " + value);
    return value;
  }

  static Duration positive(Duration d, String name) {
    Objects.requireNonNull(d, name + " == null");
    if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive: " + d);
    return d;
  }
}
