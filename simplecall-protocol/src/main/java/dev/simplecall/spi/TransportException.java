package dev.simplecall.spi;

/** Why a transport failed for good. The underlying I/O exception, if any, is the cause. */
public final class TransportException extends Exception {
  /** What kind of failure, so apps can tell a wrong token from a dead server. */
  public enum Kind {
    /** Credentials refused (HTTP 401/403, an {@code unauthorized} error, MQTT bad user name/password). */
    UNAUTHORIZED,
    /** The service could not be reached, or reconnect attempts ran out. */
    UNREACHABLE,
    /** The service answered something the transport cannot use. */
    PROTOCOL,
    /** The service refused the join (room full, server full). */
    REFUSED,
    /**
     * The transport's own configuration cannot work, found only when connecting: an unreadable trust
     * store, a client id or option the service rejects. Retrying does not help; fix the configuration.
     */
    CONFIGURATION
  }

  /** What kind of failure this is (part of the serialized form). */
  private final Kind kind;

  /**
   * A final failure.
   *
   * @param kind what kind of failure it is
   * @param message what happened, for logs and the app
   * @param cause the underlying exception, or {@code null}
   */
  public TransportException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  /**
   * What kind of failure this is.
   *
   * @return the kind given to the constructor
   */
  public Kind kind() {
    return kind;
  }
}
