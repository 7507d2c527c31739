package dev.simplecall;

/**
 * Why a call ended; passed to {@link CallSession.Listener#onEnded}.
 *
 * <pre>{@code
 * public void onEnded(CallSession s, EndReason reason, CallException error) {
 *   if (reason == EndReason.ICE_FAILED) System.err.println(error.getMessage());
 * }
 * }</pre>
 */
public enum EndReason {
  /** This side hung up ({@link CallSession#hangUp()} or {@link CallSession#close()}). */
  HANGUP,
  /** The remote peer hung up (bye {@code hangup}). */
  REMOTE_HANGUP,
  /** The remote peer did not answer within {@link SessionOptions#noAnswerTimeout()}. */
  NO_ANSWER,
  /** The remote peer declined (bye {@code declined}). */
  DECLINED,
  /** The remote peer is in another call (bye {@code busy}). */
  BUSY,
  /** The remote peer left the room or vanished and its media stopped. */
  REMOTE_GONE,
  /** ICE found no working path within {@link SessionOptions#iceFailureTimeout()}. */
  ICE_FAILED,
  /** The signaling transport failed for good. */
  SIGNALING_FAILED,
  /** Any other failure; the {@link CallException} says what. */
  FAILED,
  /** {@link CallClient#close()} or {@link CallSession#cancel()} ended it. */
  CLIENT_CLOSED
}
