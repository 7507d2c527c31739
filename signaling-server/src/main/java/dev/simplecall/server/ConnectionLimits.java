package dev.simplecall.server;

import static dev.simplecall.server.ServerSettings.atLeastOne;
import static dev.simplecall.server.ServerSettings.positive;

import java.time.Duration;

/**
 * Limits on connections before they carry signaling, as {@link SignalingServer.Builder} collects them:
 * how long a client may take to send a whole request and how many connections one client address may
 * hold open ({@link ConnectionGuard}), how long a WebSocket may stay out of any room ({@link
 * WebSocketEndpoint}), and which proxies' {@code X-Forwarded-For} names the client address ({@link
 * TrustedProxies}). Each {@code with...} validates its value and returns a copy.
 */
record ConnectionLimits(Duration requestReadTimeout, Duration joinTimeout, int maxConnectionsPerIp,
    TrustedProxies trustedProxies) {
  static final ConnectionLimits DEFAULTS =
      new ConnectionLimits(Duration.ofSeconds(10), Duration.ofSeconds(10), 200, TrustedProxies.NONE);

  ConnectionLimits withRequestReadTimeout(Duration timeout) {
    return new ConnectionLimits(positive(timeout, "requestReadTimeout"), joinTimeout, maxConnectionsPerIp, trustedProxies);
  }

  ConnectionLimits withJoinTimeout(Duration timeout) {
    return new ConnectionLimits(requestReadTimeout, positive(timeout, "joinTimeout"), maxConnectionsPerIp, trustedProxies);
  }

  ConnectionLimits withMaxConnectionsPerIp(int max) {
    return new ConnectionLimits(requestReadTimeout, joinTimeout, atLeastOne(max, "maxConnectionsPerIp"), trustedProxies);
  }

  ConnectionLimits withTrustedProxies(TrustedProxies proxies) {
    return new ConnectionLimits(requestReadTimeout, joinTimeout, maxConnectionsPerIp, proxies);
  }
}
