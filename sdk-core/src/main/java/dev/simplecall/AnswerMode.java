package dev.simplecall;

/**
 * How a session answers an incoming call.
 *
 * <pre>{@code
 * SessionOptions.builder().answerMode(AnswerMode.ASK) // listener.onIncomingCall decides
 * }</pre>
 */
public enum AnswerMode {
  /** Accept every incoming call at once ({@link CallSession.Listener#onIncomingCall} is informational). */
  AUTO,
  /** Hand the decision to {@link CallSession.Listener#onIncomingCall}: accept or decline. */
  ASK
}
