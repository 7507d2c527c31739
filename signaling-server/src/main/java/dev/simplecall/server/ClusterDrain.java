package dev.simplecall.server;

import dev.simplecall.protocol.Envelope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A cluster node's graceful stop: its peers are told to reconnect (close code 1012), land on other nodes
 * through the load balancer, and stay registered under this node until they have joined there, so the
 * room hears no leave and no join. Messages sent to a peer meanwhile are kept here (at most
 * {@link #MAX_HELD} per peer) and sent on to its new node when it has joined there. Peers that do not
 * come back within the drain timeout ({@link SignalingServer.Builder#drainTimeout}) leave their rooms as
 * usual. Confined to the hub's lock.
 */
final class ClusterDrain {
  /** How long a stopping node waits for its peers to join other nodes, by default. */
  static final Duration TIMEOUT = Duration.ofSeconds(10);
  /** Messages kept for one peer while it moves; later ones are dropped. */
  static final int MAX_HELD = 256;

  private final Map<Member, List<Envelope>> held = new HashMap<>();
  private boolean draining;

  void start() {
    draining = true;
  }

  boolean draining() {
    return draining;
  }

  /** {@code member} was told to go (or its connection closed) while draining: it stays, and what arrives is kept. */
  void hold(Member member) {
    held.putIfAbsent(member, new ArrayList<>());
  }

  /** Keeps {@code e} when {@code member} is held; false when it is not (deliver as usual). */
  boolean keep(Member member, Envelope e) {
    List<Envelope> kept = held.get(member);
    if (kept == null) return false;
    if (kept.size() < MAX_HELD) kept.add(e);
    return true;
  }

  /** {@code member} joined on another node: what was kept for it, in order; {@code null} when it was not held. */
  List<Envelope> moved(Member member) {
    return held.remove(member);
  }
}
