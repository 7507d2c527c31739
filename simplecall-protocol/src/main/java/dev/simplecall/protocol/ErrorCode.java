package dev.simplecall.protocol;

/** The stable {@code code} values of an {@code error} envelope (envelope v1). */
public enum ErrorCode {
  BAD_JSON("bad-json"),
  TOO_LARGE("too-large"),
  UNKNOWN_TYPE("unknown-type"),
  NOT_JOINED("not-joined"),
  NO_SUCH_PEER("no-such-peer"),
  UNAUTHORIZED("unauthorized"),
  RATE_LIMITED("rate-limited"),
  ROOM_FULL("room-full"),
  /** Not in the original list: too many rooms or peers on the server, or the server is going away. */
  SERVER_BUSY("server-busy"),
  /** A room or peer id that is not 1-64 characters of {@code [A-Za-z0-9._-]}. */
  BAD_NAME("bad-name");

  private final String wire;

  ErrorCode(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  /** Returns the code for a wire value, or {@code null} when unknown (forward compatibility). */
  public static ErrorCode fromWire(String wire) {
    for (ErrorCode c : values()) if (c.wire.equals(wire)) return c;
    return null;
  }
}
