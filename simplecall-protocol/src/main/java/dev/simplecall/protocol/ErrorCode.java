package dev.simplecall.protocol;

/** The stable {@code code} values of an {@code error} envelope (envelope v1). */
public enum ErrorCode {
  /**
   * {@code bad-json}: not JSON, a missing or wrong {@code v}, a missing {@code id} or required field, a
   * field of the wrong JSON type.
   */
  BAD_JSON("bad-json"),
  /** {@code too-large}: a message over {@link EnvelopeCodec#MAX_MESSAGE_BYTES}, or a batch too large. */
  TOO_LARGE("too-large"),
  /** {@code unknown-type}: a {@code type} this version does not know, or one a peer may not send. */
  UNKNOWN_TYPE("unknown-type"),
  /**
   * {@code not-joined}: a message other than {@code join} before joining or after {@code leave}, or for
   * a long-poll session that is unknown, expired or replaced.
   */
  NOT_JOINED("not-joined"),
  /** {@code no-such-peer}: {@code to} names no peer in the sender's room. */
  NO_SUCH_PEER("no-such-peer"),
  /**
   * {@code unauthorized}: a missing, bad or expired token, or one for another peer or room; clients do
   * not retry.
   */
  UNAUTHORIZED("unauthorized"),
  /** {@code rate-limited}: more messages or requests than the server allows; the message is dropped. */
  RATE_LIMITED("rate-limited"),
  /** {@code room-full}: the room already holds its maximum number of peers; clients do not retry. */
  ROOM_FULL("room-full"),
  /** Not in the original list: too many rooms or peers on the server, or the server is going away. */
  SERVER_BUSY("server-busy"),
  /** A room or peer id that is not 1-64 characters of {@code [A-Za-z0-9._-]}. */
  BAD_NAME("bad-name");

  private final String wire;

  ErrorCode(String wire) {
    this.wire = wire;
  }

  /**
   * The code as it is written in an {@code error} envelope.
   *
   * @return the wire string, for example {@code "bad-json"}
   */
  public String wire() {
    return wire;
  }

  /**
   * Returns the code for a wire value, or {@code null} when unknown (forward compatibility).
   *
   * @param wire an {@code error} envelope's {@code code}, or {@code null}
   * @return the constant whose {@link #wire()} equals it exactly, or {@code null}
   */
  public static ErrorCode fromWire(String wire) {
    for (ErrorCode c : values()) if (c.wire.equals(wire)) return c;
    return null;
  }
}
