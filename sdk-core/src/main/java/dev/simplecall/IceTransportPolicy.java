package dev.simplecall;

/**
 * Which ICE candidates a call may use, as in the browser's {@code iceTransportPolicy}.
 *
 * <pre>{@code
 * CallClient.builder().iceTransportPolicy(IceTransportPolicy.RELAY) // only through TURN
 * }</pre>
 */
public enum IceTransportPolicy {
  /** Host, server-reflexive and relay candidates. */
  ALL,
  /** Only relay (TURN) candidates: hides the local addresses, needs a TURN server. */
  RELAY
}
