package dev.simplecall.protocol;

/**
 * A signaling message that cannot be accepted: not JSON, too large, an unknown type, a missing field.
 * {@link #code()} is the error code to answer with and {@link #ref()} the offending message's id when
 * it could be read.
 */
public final class EnvelopeException extends Exception {
  /** The error code to answer with (part of the serialized form). */
  private final ErrorCode code;
  /** The offending message's id, or {@code null} (part of the serialized form). */
  private final String ref;

  /**
   * A refusal to report.
   *
   * @param code the error code to answer with
   * @param message what is wrong, for the {@code error} envelope's {@code message} and logs
   * @param ref the id of the offending message, or {@code null} when it could not be read
   */
  public EnvelopeException(ErrorCode code, String message, String ref) {
    super(message);
    this.code = code;
    this.ref = ref;
  }

  /**
   * The error code to answer with.
   *
   * @return the code given to the constructor
   */
  public ErrorCode code() {
    return code;
  }

  /**
   * The id of the message that caused this, or {@code null}.
   *
   * @return the offending message's id, or {@code null} when it could not be read
   */
  public String ref() {
    return ref;
  }
}
