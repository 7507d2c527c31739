package dev.simplecall.server;

/**
 * Told when a peer enters or leaves a room on this server, whatever its transport; a bridge uses it
 * to publish presence elsewhere (MQTT retained presence). Called with the hub's lock held, in the order
 * the changes happened: do not block.
 */
interface PresenceListener {
  void peerJoined(String room, String peer);

  void peerLeft(String room, String peer);
}
