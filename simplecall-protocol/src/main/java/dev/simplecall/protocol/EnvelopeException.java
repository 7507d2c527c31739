package dev.simplecall.protocol;

/**
 * A signaling message that cannot be accepted: not JSON, too large, an unknown type, a missing field.
 * {@link #code()} is the error code to answer with and {@link #ref()} the offending message's id when
 * it could be read.
 */
public final class EnvelopeException extends Exception {
  private final ErrorCode code;
  private final String ref;

  public EnvelopeException(ErrorCode code, String message, String ref) {
    super(message);
    this.code = code;
    this.ref = ref;
  }

  public ErrorCode code() {
    return code;
  }

  /** The id of the message that caused this, or {@code null}. */
  public String ref() {
    return ref;
  }
}
