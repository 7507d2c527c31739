package dev.simplecall.server;

import dev.simplecall.spi.Envelope;
import dev.simplecall.spi.ErrorCode;

/**
 * What every endpoint shares: the hub, the token check and the per-connection limits. Immutable.
 */
final class ServerContext {
  private final SignalingHub hub;
  private final TokenVerifier verifier; // null: no auth
  private final double ratePerSecond;
  private final int rateBurst;

  ServerContext(SignalingHub hub, TokenVerifier verifier, double ratePerSecond, int rateBurst) {
    this.hub = hub;
    this.verifier = verifier;
    this.ratePerSecond = ratePerSecond;
    this.rateBurst = rateBurst;
  }

  SignalingHub hub() {
    return hub;
  }

  TokenVerifier verifier() {
    return verifier;
  }

  TokenBucket newBucket() {
    return new TokenBucket(ratePerSecond, rateBurst);
  }

  /**
   * Checks that a join may claim its peer id: with auth on, {@code token} (the join's own, or the
   * long-poll {@code Authorization: Bearer}) must name that peer and room. Returns the error to answer
   * with, or {@code null}.
   */
  Envelope.Error authorize(Envelope.Join join, String token) {
    if (verifier == null) return null;
    String problem = verifier.check(token, join.from(), join.room());
    return problem == null ? null : SignalingHub.error(join, join.from(), ErrorCode.UNAUTHORIZED, problem);
  }

  /** Authorizes and joins; the result carries the member or the error. */
  SignalingHub.JoinResult join(Envelope.Join join, String token, PeerConnection connection) {
    Envelope.Error refused = authorize(join, token);
    if (refused != null) return new SignalingHub.JoinResult(null, refused);
    return hub.join(join, connection);
  }
}
