package dev.simplecall;

/**
 * The state of a {@link CallSession}: {@code NEW -> CONNECTING -> CONNECTED <-> RECONNECTING -> ENDED}.
 * {@code ENDED} is terminal and may be entered from any state.
 *
 * <pre>{@code
 * if (session.state() == CallState.CONNECTED) session.openDataChannel("chat", DataChannelOptions.ordered());
 * }</pre>
 */
public enum CallState {
  /** Created, or joined and waiting for a call. */
  NEW,
  /** A call exists (placed or accepted); negotiation and ICE are under way. */
  CONNECTING,
  /** Media can flow. */
  CONNECTED,
  /** The connection dropped; ICE is being restarted. */
  RECONNECTING,
  /** Terminal. {@link CallSession.Listener#onEnded} has been (or is being) called. */
  ENDED
}
