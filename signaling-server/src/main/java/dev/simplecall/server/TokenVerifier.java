package dev.simplecall.server;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.SignatureVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.DecodedJWT;
import java.time.Clock;
import java.time.Instant;

/**
 * Checks join tokens made by {@link TokenIssuer}: signature (HS256 only), expiry (required) and that
 * {@code sub} and {@code room} name the identity being claimed. Thread-safe.
 *
 * <p>Secret rotation: with a previous secret, a token whose signature the current secret refuses is
 * checked against the previous one until the end of the rotation window, so tokens minted before the
 * rotation keep working for that long.
 *
 * <p>Public only so that the server's embedded MQTT broker ({@code dev.simplecall.server.mqtt}) can
 * check the token an MQTT client presents as its password; apps mint tokens with {@link TokenIssuer}
 * and never need to verify one.
 *
 * <pre>{@code
 * TokenVerifier.Result r = new TokenVerifier(secret).verify(token);
 * if (r.problem() == null) admit(r.identity().peer(), r.identity().room());
 * }</pre>
 */
public final class TokenVerifier {
  /** Seconds of clock skew tolerated on {@code exp} and {@code nbf}. */
  public static final int LEEWAY_SECONDS = 2;

  /**
   * Who a valid token names, and until when ({@code exp}).
   *
   * @param peer the {@code sub} claim
   * @param room the {@code room} claim
   * @param expiresAt the {@code exp} claim
   */
  public record Identity(String peer, String room, Instant expiresAt) {}

  /**
   * Either an identity or the reason the token was refused.
   *
   * @param identity who the token names, or {@code null} when refused
   * @param problem why it was refused, for logs and the {@code unauthorized} error; {@code null} when valid
   */
  public record Result(Identity identity, String problem) {}

  private final JWTVerifier verifier;
  private final JWTVerifier previous; // null: no rotation under way
  private final Instant previousUntil;
  private final Clock clock;

  /**
   * A verifier for tokens signed with {@code secret}, on the system clock, without a previous secret.
   *
   * @param secret the HS256 secret tokens are signed with
   * @throws IllegalArgumentException when {@code secret} is {@code null}
   */
  public TokenVerifier(String secret) {
    this(secret, null, null, Clock.systemUTC());
  }

  /**
   * Accepts tokens signed with {@code secret}, and with {@code previousSecret} until {@code previousUntil}
   * (both {@code null}: no rotation).
   *
   * @param secret the current HS256 secret
   * @param previousSecret the secret used before {@code secret}, or {@code null}
   * @param previousUntil the end of the rotation window (exclusive), or {@code null} exactly when {@code
   *     previousSecret} is
   * @param clock tells whether the rotation window is still open ({@code exp} is checked on the system
   *     clock)
   * @throws IllegalArgumentException when only one of {@code previousSecret} and {@code previousUntil} is
   *     {@code null}, or a secret is {@code null}
   */
  public TokenVerifier(String secret, String previousSecret, Instant previousUntil, Clock clock) {
    if ((previousSecret == null) != (previousUntil == null)) {
      throw new IllegalArgumentException("a previous secret needs the end of its rotation window, and only then");
    }
    this.verifier = verifier(secret);
    this.previous = previousSecret == null ? null : verifier(previousSecret);
    this.previousUntil = previousUntil;
    this.clock = clock;
  }

  private static JWTVerifier verifier(String secret) {
    return JWT.require(Algorithm.HMAC256(secret))
        .withClaimPresence("exp")
        .withClaimPresence("sub")
        .withClaimPresence(TokenIssuer.ROOM_CLAIM)
        .acceptLeeway(LEEWAY_SECONDS)
        .build();
  }

  /**
   * Verifies {@code token} on its own (as {@code GET /v1/turn-credentials} does): an HS256 signature by
   * the current secret (or the previous one inside its window), {@code exp}, {@code sub} and a string
   * {@code room} present, not expired ({@value #LEEWAY_SECONDS} s leeway). Which peer and room it names
   * is the caller's to compare.
   *
   * @param token the compact JWT, or {@code null}
   * @return the identity, or the problem: a missing token, expired, a bad signature or claim
   */
  public Result verify(String token) {
    if (token == null || token.isEmpty()) return new Result(null, "a token is required");
    try {
      DecodedJWT jwt;
      try {
        jwt = verifier.verify(token);
      } catch (SignatureVerificationException e) {
        if (previous == null || !clock.instant().isBefore(previousUntil)) throw e;
        jwt = previous.verify(token); // signed before the rotation, still inside its window
      }
      String room = jwt.getClaim(TokenIssuer.ROOM_CLAIM).asString();
      if (room == null) return new Result(null, "token \"room\" claim is not a string");
      return new Result(new Identity(jwt.getSubject(), room, jwt.getExpiresAtAsInstant()), null);
    } catch (TokenExpiredException e) {
      return new Result(null, "token expired");
    } catch (JWTVerificationException e) {
      return new Result(null, "invalid token: " + e.getMessage());
    }
  }

  /** The identity when {@code token} proves {@code peer} in {@code room}, else the problem. */
  Result check(String token, String peer, String room) {
    Result r = verify(token);
    if (r.problem() != null) return r;
    if (!r.identity().peer().equals(peer)) {
      return new Result(null, "token is for peer \"" + r.identity().peer() + "\", not \"" + peer + "\"");
    }
    if (!r.identity().room().equals(room)) {
      return new Result(null, "token is for room \"" + r.identity().room() + "\", not \"" + room + "\"");
    }
    return r;
  }
}
