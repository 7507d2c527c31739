package dev.simplecall.server;

import dev.simplecall.protocol.Envelope;

/**
 * One peer as the {@link SignalingHub} sees it: a WebSocket, a long-poll session, or an external peer
 * attached by a bridge (MQTT). The hub is the only routing path; a connection only moves envelopes.
 *
 * <p>Both methods are called with the hub's lock held, so they must not block and must not call back
 * into the hub on the calling thread in a way that waits for another thread: queue and return.
 */
interface PeerConnection {
  /** Queues one envelope for this peer, in order. */
  void deliver(Envelope envelope);

  /**
   * Another connection has joined with the same proven identity (a reconnect). This one is no longer in
   * the room; close it without telling the room anything.
   */
  void replaced();
}
