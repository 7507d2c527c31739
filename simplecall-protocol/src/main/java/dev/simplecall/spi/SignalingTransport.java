package dev.simplecall.spi;

/**
 * A connection to a signaling service that moves envelope v1 JSON text both ways. Transports move
 * text only; sdk-core owns JSON.
 *
 * <p>Contract every implementation keeps (checked by {@code dev.simplecall.testing.TransportContractTest} in the simplecall-testing artifact):
 * <ul>
 *   <li>It starts connecting when created and joins the room named in {@link TransportOptions}; the
 *       service's {@code welcome} (or, for broker transports, one the transport makes) is delivered
 *       through {@link Listener#onMessage} like any other envelope, after {@link Listener#onOpen}.
 *   <li>{@link #send} never blocks: it queues and returns {@code true}, or {@code false} once closed
 *       or when {@link TransportOptions#maxQueuedMessages()} messages wait unsent (back-pressure:
 *       nothing queued is dropped, the refused message is the caller's to retry). Messages queued
 *       while disconnected are sent, in order, after reconnecting.
 *   <li>It reconnects by itself with exponential backoff and jitter, re-joining with the same peer id;
 *       it reports {@link Listener#onReconnecting} once when the link drops (or the first attempt
 *       fails) and {@link Listener#onOpen} again when it is back. A re-join is followed by a fresh
 *       {@code welcome}; a transport that resumed the same server session instead (long-poll after a
 *       short outage: nothing was lost, room membership unchanged) sends {@code onOpen} with no {@code
 *       welcome} after it. Refused credentials are terminal: no reconnect loop.
 *   <li>Exactly one terminal callback: {@link Listener#onClosed} after {@link #close()}, or
 *       {@link Listener#onFailure} when it gives up. Nothing is delivered after it.
 *   <li>Callbacks come one at a time from one thread at a time (never concurrently).
 * </ul>
 */
public interface SignalingTransport {
  /**
   * Queues one envelope's JSON text. Returns at once; {@code false} once closed or failed, or when
   * the outbox is full. The SDK sends envelopes that name a receiver ({@code offer}, {@code answer},
   * {@code candidate}, {@code bye}); never {@code join} (the transport joins) or {@code leave}
   * ({@link #close()} leaves). A {@code join} or {@code leave} that reaches a transport anyway speaks
   * only for this peer: a {@code leave} takes at most this peer out of the room, whoever it names.
   *
   * @param text one envelope's JSON text
   * @return {@code true} when queued; {@code false} when refused (closed, failed or outbox full), the
   *     message then being the caller's to retry or drop
   */
  boolean send(String text);

  /** Leaves the room (where the protocol has a leave) and closes. Graceful and idempotent. */
  void close();

  /** Callbacks from a transport; all default to doing nothing. */
  interface Listener {
    /**
     * Connected and joined (again, after a reconnect).
     *
     * @param transport the transport calling
     */
    default void onOpen(SignalingTransport transport) {}

    /**
     * One envelope's text, as received.
     *
     * @param transport the transport calling
     * @param text one envelope's JSON text, not decoded by the transport
     */
    default void onMessage(SignalingTransport transport, String text) {}

    /**
     * The link dropped; the transport is reconnecting. Sends are queued meanwhile.
     *
     * @param transport the transport calling
     * @param cause why the link dropped or the attempt failed, or {@code null} when not known
     */
    default void onReconnecting(SignalingTransport transport, Throwable cause) {}

    /**
     * Terminal: closed by {@link #close()}.
     *
     * @param transport the transport calling
     */
    default void onClosed(SignalingTransport transport) {}

    /**
     * Terminal: the transport gave up (refused credentials, retries exhausted, unusable URI).
     *
     * @param transport the transport calling
     * @param error why, with its {@link TransportException#kind()}
     */
    default void onFailure(SignalingTransport transport, TransportException error) {}
  }
}
