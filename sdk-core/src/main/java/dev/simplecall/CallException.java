package dev.simplecall;

/**
 * Why a call failed: the message says what happened, the cause is the transport's or native
 * layer's exception when there is one.
 *
 * <pre>{@code
 * public void onEnded(CallSession s, EndReason reason, CallException error) {
 *   if (error != null) log.warn("call failed: {}", error.getMessage(), error.getCause());
 * }
 * }</pre>
 */
public final class CallException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * A failure with no underlying exception.
   *
   * @param message what happened, for people to read
   */
  public CallException(String message) {
    super(message);
  }

  /**
   * A failure caused by another exception.
   *
   * @param message what happened, for people to read
   * @param cause the transport's or native layer's exception, or {@code null} when unknown
   */
  public CallException(String message, Throwable cause) {
    super(message, cause);
  }
}
