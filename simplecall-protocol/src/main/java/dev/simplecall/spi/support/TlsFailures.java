package dev.simplecall.spi.support;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.IdentityHashMap;
import java.util.Map;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Tells a TLS failure that repeats on every attempt from one worth retrying: the client refused the
 * server's certificate (not signed by a CA it trusts, expired, or made out for another host name).
 * Reconnecting cannot change that; only other trust settings or another certificate on the server
 * can. The shipped WebSocket and long-poll transports report it at once as a final {@link
 * dev.simplecall.spi.TransportException.Kind#CONFIGURATION} failure instead of retrying until they
 * give up.
 *
 * <pre>{@code
 * String refused = TlsFailures.certificateRejection(ioException);
 * if (refused != null) {
 *   loop.failed(new TransportException(Kind.CONFIGURATION, "server certificate refused: " + refused, ioException));
 * }
 * }</pre>
 */
public final class TlsFailures {
  private static final int MAX_DEPTH = 32;

  private TlsFailures() {}

  /**
   * Why the server's certificate was refused, when {@code error} is (or was caused by) a TLS failure
   * whose cause is the certificate: a failed path validation or an unverified host name. Otherwise
   * {@code null}: a refused connection, a reset during the handshake, no common protocol or cipher.
   *
   * @param error the failure of a connection attempt, or {@code null}; its cause chain is followed for
   *     at most 32 links
   * @return the message of the first certificate or host name exception in the chain (its class name
   *     when it has none), provided the chain also holds an {@link SSLException}; else {@code null}
   */
  public static String certificateRejection(Throwable error) {
    boolean tls = false;
    String reason = null;
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    for (Throwable t = error; t != null && seen.put(t, Boolean.TRUE) == null && seen.size() <= MAX_DEPTH; t = t.getCause()) {
      if (t instanceof SSLException) tls = true;
      if (reason != null) continue;
      if (t instanceof SSLPeerUnverifiedException || t instanceof CertificateException
          || t instanceof CertPathValidatorException || t instanceof CertPathBuilderException) {
        reason = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
      }
    }
    return tls ? reason : null;
  }
}
