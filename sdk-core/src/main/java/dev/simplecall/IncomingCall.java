package dev.simplecall;

/**
 * An incoming call offered to {@link CallSession.Listener#onIncomingCall}. In {@link AnswerMode#ASK}
 * exactly one of {@link #accept()} or {@link #decline()} should be called (from any thread, now or
 * later); an undecided call ends on the caller's side with {@link EndReason#NO_ANSWER}. In {@link
 * AnswerMode#AUTO} the call is already accepted and both methods do nothing.
 *
 * <pre>{@code
 * public void onIncomingCall(CallSession s, IncomingCall call) {
 *   if (call.from().startsWith("friend-")) call.accept(); else call.decline();
 * }
 * }</pre>
 */
public interface IncomingCall {
  /**
   * The calling peer's id.
   *
   * @return the caller's peer id in the room
   */
  String from();

  /** Accepts the call: media starts flowing. Idempotent. */
  void accept();

  /** Declines: the caller ends with {@link EndReason#DECLINED}; this session keeps waiting. */
  void decline();
}
