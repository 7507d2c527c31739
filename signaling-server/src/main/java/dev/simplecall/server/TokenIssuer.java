package dev.simplecall.server;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import dev.simplecall.protocol.Names;
import dev.simplecall.spi.TransportOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Mints the join tokens a server started with an auth secret accepts: HS256 JWTs whose {@code sub} is
 * the peer id, {@code room} the room, {@code exp} the expiry. Whoever holds the secret (your app
 * backend, the CLI, tests) can mint them; peers only carry them.
 *
 * <pre>{@code
 * TokenIssuer issuer = new TokenIssuer("s3cret");
 * String token = issuer.issue("alice", "r1", Duration.ofHours(1));
 * }</pre>
 */
public final class TokenIssuer {
  /** The claim naming the room; {@code sub} names the peer. */
  public static final String ROOM_CLAIM = "room";

  private final Algorithm algorithm;
  private final Clock clock;

  /**
   * An issuer signing with {@code secret}, on the system clock.
   *
   * @param secret the HS256 secret, the server's auth secret
   * @throws NullPointerException when {@code secret} is {@code null}
   * @throws IllegalArgumentException when {@code secret} is empty
   */
  public TokenIssuer(String secret) {
    this(secret, Clock.systemUTC());
  }

  TokenIssuer(String secret, Clock clock) {
    Objects.requireNonNull(secret, "secret == null");
    if (secret.isEmpty()) throw new IllegalArgumentException("secret is empty");
    this.algorithm = Algorithm.HMAC256(secret);
    this.clock = Objects.requireNonNull(clock, "clock == null");
  }

  /**
   * A token for {@code peer} in {@code room}, valid for {@code ttl} from now.
   *
   * @param peer the peer id the token admits ({@code sub})
   * @param room the room the token admits
   * @param ttl how long from now it is valid; positive ({@code exp} has whole seconds)
   * @return the signed JWT, compact form
   * @throws NullPointerException when an argument is {@code null}
   * @throws IllegalArgumentException when {@code ttl} is zero or negative, or {@code peer} or {@code
   *     room} is not 1-64 characters of {@code [A-Za-z0-9._-]}
   */
  public String issue(String peer, String room, Duration ttl) {
    Objects.requireNonNull(ttl, "ttl == null");
    if (ttl.isNegative() || ttl.isZero()) throw new IllegalArgumentException("ttl must be positive: " + ttl);
    return issue(peer, room, clock.instant().plus(ttl));
  }

  /**
   * A token for {@code peer} in {@code room} that expires at {@code expiresAt}.
   *
   * @param peer the peer id the token admits ({@code sub})
   * @param room the room the token admits
   * @param expiresAt when it expires ({@code exp}, truncated to whole seconds); not checked to be in the
   *     future
   * @return the signed JWT, compact form
   * @throws NullPointerException when an argument is {@code null}
   * @throws IllegalArgumentException when {@code peer} or {@code room} is not 1-64 characters of {@code [A-Za-z0-9._-]}
   */
  public String issue(String peer, String room, Instant expiresAt) {
    Objects.requireNonNull(peer, "peer == null");
    Objects.requireNonNull(room, "room == null");
    Objects.requireNonNull(expiresAt, "expiresAt == null");
    Names.require(peer, "peer");
    Names.require(room, "room");
    return JWT.create()
        .withSubject(peer)
        .withClaim(ROOM_CLAIM, room)
        .withIssuedAt(clock.instant())
        .withExpiresAt(expiresAt)
        .sign(algorithm);
  }
}
