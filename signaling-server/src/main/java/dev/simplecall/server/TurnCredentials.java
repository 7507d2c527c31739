package dev.simplecall.server;

import dev.simplecall.protocol.IceServerInfo;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-limited TURN credentials in the "TURN REST API" scheme that coturn checks with {@code
 * use-auth-secret} / {@code static-auth-secret}: username {@code <expiry unix seconds>:<peer>},
 * password base64(HMAC-SHA1(secret, username)).
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

  IceServerInfo forPeer(String peer) {
    String username = clock.instant().plus(ttl).getEpochSecond() + ":" + peer;
    return new IceServerInfo(uris, username, password(username));
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
