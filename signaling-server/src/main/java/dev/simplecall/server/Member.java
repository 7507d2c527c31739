package dev.simplecall.server;

import java.time.Instant;

/**
 * A peer inside a room: the handle a connection gets back from {@link SignalingHub#join}. {@link
 * #active()} turns false once the peer has left, was replaced or dropped; after that the hub ignores
 * it.
 */
final class Member {
  private final String room;
  private final String peer;
  private final PeerConnection connection;
  private final String address; // ClientAddress key counted against the per-address limits; null: not counted
  // Written only with the hub's lock held; read without it by connections deciding whether to route.
  private volatile boolean active = true;
  // When the join token expires (null: never); set at join and by a refresh on the connection's thread.
  private volatile Instant tokenExpiresAt;
  // In a cluster: the last entry of this node's inbox when the join registered in Redis (null: no cluster).
  // Set before the member is visible to the inbox thread, read under the hub's lock.
  private String clusterSince;

  Member(String room, String peer, PeerConnection connection, String address) {
    this.room = room;
    this.peer = peer;
    this.connection = connection;
    this.address = address;
  }

  String address() {
    return address;
  }

  String room() {
    return room;
  }

  String peer() {
    return peer;
  }

  PeerConnection connection() {
    return connection;
  }

  boolean active() {
    return active;
  }

  Instant tokenExpiresAt() {
    return tokenExpiresAt;
  }

  void tokenExpiresAt(Instant at) {
    tokenExpiresAt = at;
  }

  String clusterSince() {
    return clusterSince;
  }

  void clusterSince(String entryId) {
    clusterSince = entryId;
  }

  void deactivate() {
    active = false;
  }

  @Override
  public String toString() {
    return room + "/" + peer;
  }
}
