package dev.simplecall.protocol;

/**
 * The WebSocket close codes the signaling server uses beyond RFC 6455's usual ones, as
 * docs/PROTOCOL.md lists them; the server sends them and the WebSocket transport acts on them.
 *
 * <pre>{@code
 * if (code == CloseCodes.REPLACED) giveUp(); // reconnecting would evict the newer connection in turn
 * }</pre>
 */
public final class CloseCodes {
  /**
   * "Service restart" (RFC 6455's 1012): a cluster node that stops; reconnect at once, another node
   * serves.
   */
  public static final int RESTARTING = 1012;
  /** A newer connection joined with the same peer id; this one is out of the room. Do not reconnect. */
  public static final int REPLACED = 4001;
  /** The join token expired and was not refreshed. Reconnecting with the same token is refused. */
  public static final int TOKEN_EXPIRED = 4003;
  /** The connection was in no room for the server's join timeout. */
  public static final int JOIN_TIMEOUT = 4008;

  private CloseCodes() {}
}
