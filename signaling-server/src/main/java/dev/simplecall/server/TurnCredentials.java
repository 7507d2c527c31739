package dev.simplecall.server;

import dev.simplecall.protocol.IceServerInfo;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-limited TURN credentials in the "TURN REST API" scheme that coturn checks with {@code
 * use-auth-secret} / {@code static-auth-secret}: username {@code <expiry unix seconds>:<peer>},
 * password base64(HMAC-SHA1(secret, username)).
 *
 * <p>Expiry is {@code now + ttl}, and for a peer that proved itself with a join token also at most
 * {@code token expiry + ttl}: credentials never outlive the token that got them by more than the TTL.
 * (Expired tokens are refused before this, so the second bound only bites inside the verifier's 2 s
 * leeway; what limits a leaked token is that no new credentials come once it expired.)
 *
 * <pre>{@code
 * TurnCredentials turn = new TurnCredentials(secret, List.of("turn:h:3478"), Duration.ofHours(1), Clock.systemUTC());
 * IceServerInfo s = turn.forPeer("alice", tokenExpiry); // tokenExpiry null without auth
 * }</pre>
 */
final class TurnCredentials {
  private final byte[] secret;
  private final List<String> uris;
  private final Duration ttl;
  private final Clock clock;

  TurnCredentials(String secret, List<String> uris, Duration ttl, Clock clock) {
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
    this.uris = List.copyOf(uris);
    this.ttl = ttl;
    this.clock = clock;
  }

  Duration ttl() {
    return ttl;
  }

  /** Credentials for {@code peer}; {@code tokenExpiry} is its join token's expiry, {@code null} without auth. */
  IceServerInfo forPeer(String peer, Instant tokenExpiry) {
    return until(peer, expiry(clock.instant(), tokenExpiry));
  }

  /** The ICE servers of {@code peer}'s {@code welcome}: {@code configured}, then its TURN credentials. */
  List<IceServerInfo> iceServers(List<IceServerInfo> configured, String peer, Instant tokenExpiry) {
    List<IceServerInfo> all = new ArrayList<>(configured);
    all.add(forPeer(peer, tokenExpiry));
    return all;
  }

  /** Credentials for {@code peer} that expire at {@code expiry} (see {@link #expiry}). */
  IceServerInfo until(String peer, Instant expiry) {
    String username = expiry.getEpochSecond() + ":" + peer;
    return new IceServerInfo(uris, username, password(username));
  }

  /** {@code min(now + ttl, tokenExpiry + ttl)}; {@code now + ttl} without a token. */
  Instant expiry(Instant now, Instant tokenExpiry) {
    Instant byNow = now.plus(ttl);
    if (tokenExpiry == null) return byNow;
    Instant byToken = tokenExpiry.plus(ttl);
    return byToken.isBefore(byNow) ? byToken : byNow;
  }

  Clock clock() {
    return clock;
  }

  String password(String username) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(secret, "HmacSHA1"));
      return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 unavailable", e); // every Java runtime has it
    }
  }
}
