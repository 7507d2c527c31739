package dev.simplecall.server;

import static dev.simplecall.server.ServerSettings.positive;

import java.time.Duration;

/**
 * Limits on connections before they carry signaling, as {@link SignalingServer.Builder} collects them:
 * how long a client may take to send a whole request ({@link ConnectionGuard}), how long a WebSocket
 * may stay out of any room ({@link WebSocketEndpoint}). Each {@code with...} validates its value and
 * returns a copy.
 */
record ConnectionLimits(Duration requestReadTimeout, Duration joinTimeout) {
  static final ConnectionLimits DEFAULTS = new ConnectionLimits(Duration.ofSeconds(10), Duration.ofSeconds(10));

  ConnectionLimits withRequestReadTimeout(Duration timeout) {
    return new ConnectionLimits(positive(timeout, "requestReadTimeout"), joinTimeout);
  }

  ConnectionLimits withJoinTimeout(Duration timeout) {
    return new ConnectionLimits(requestReadTimeout, positive(timeout, "joinTimeout"));
  }
}
