package dev.simplecall.protocol;

import java.security.SecureRandom;
import java.util.Base64;

/** Message ids: 96 random bits, URL-safe base64 (16 characters). */
public final class Ids {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Ids() {}

  /**
   * A new message id from a {@link SecureRandom}. Thread-safe.
   *
   * @return 16 characters of {@code [A-Za-z0-9_-]}
   */
  public static String newId() {
    byte[] b = new byte[12];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
