package dev.simplecall.server;

import java.util.HashMap;
import java.util.Map;

/**
 * Per-client-address caps on sessions (peers in rooms, over any transport) and on rooms created, so
 * that one address cannot use up the server-wide {@code maxPeers} / {@code maxRooms}. An address is
 * tracked only while it holds a session or a room it created: counts go down as peers leave and rooms
 * empty, and an address whose counts reach zero is forgotten, so the map cannot grow without bound.
 *
 * <p>Not thread-safe: only touched with the {@link SignalingHub}'s lock held. The refusal counters are
 * thread-safe and may be read from anywhere.
 *
 * <pre>{@code
 * String refused = limits.refusal("203.0.113.7", true, true); // null: may join (and create the room)
 * if (refused == null) { limits.addSession("203.0.113.7"); limits.addRoom("203.0.113.7"); }
 * }</pre>
 */
final class AddressLimits {
  private final int maxSessions;
  private final int maxRooms;
  private final RefusalLog refusedSessions;
  private final RefusalLog refusedRooms;
  // address key -> {sessions, rooms created and still alive}
  private final Map<String, int[]> counts = new HashMap<>();

  AddressLimits(int maxSessions, int maxRooms, RefusalLog refusedSessions, RefusalLog refusedRooms) {
    this.maxSessions = maxSessions;
    this.maxRooms = maxRooms;
    this.refusedSessions = refusedSessions;
    this.refusedRooms = refusedRooms;
  }

  /**
   * Returns why {@code address} may not take one more session ({@code newSession}) and create one more
   * room ({@code newRoom}), counting the refusal; or {@code null} when it may.
   */
  String refusal(String address, boolean newSession, boolean newRoom) {
    int[] c = counts.get(address);
    if (c == null) return null;
    if (newSession && c[0] >= maxSessions) {
      String why = "too many sessions from address " + address + " (max-sessions-per-ip " + maxSessions + ")";
      refusedSessions.record(why);
      return why;
    }
    if (newRoom && c[1] >= maxRooms) {
      String why = "too many rooms created from address " + address + " (max-rooms-per-ip " + maxRooms + ")";
      refusedRooms.record(why);
      return why;
    }
    return null;
  }

  void addSession(String address) {
    change(address, 0, 1);
  }

  void removeSession(String address) {
    change(address, 0, -1);
  }

  void addRoom(String address) {
    change(address, 1, 1);
  }

  void removeRoom(String address) {
    change(address, 1, -1);
  }

  private void change(String address, int which, int delta) {
    if (address == null) return; // not counted (a bridged MQTT peer, say)
    int[] c = counts.computeIfAbsent(address, a -> new int[2]);
    c[which] += delta;
    if (c[0] <= 0 && c[1] <= 0) counts.remove(address);
  }

  int sessions(String address) {
    int[] c = counts.get(address);
    return c == null ? 0 : c[0];
  }

  int rooms(String address) {
    int[] c = counts.get(address);
    return c == null ? 0 : c[1];
  }

  /** Addresses holding at least one session or room. */
  int trackedAddresses() {
    return counts.size();
  }

  long refusedSessions() {
    return refusedSessions.count();
  }

  long refusedRooms() {
    return refusedRooms.count();
  }
}
