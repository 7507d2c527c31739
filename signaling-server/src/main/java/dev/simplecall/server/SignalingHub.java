package dev.simplecall.server;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.protocol.ErrorCode;
import dev.simplecall.protocol.IceServerInfo;
import dev.simplecall.protocol.Ids;
import dev.simplecall.protocol.Names;
import dev.simplecall.spi.TransportOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rooms, presence and routing, independent of any transport. Every endpoint (WebSocket, long-poll, an
 * MQTT bridge) joins its peers here as {@link PeerConnection}s and hands their messages to {@link
 * #route}, so there is exactly one routing path.
 *
 * <p>All state is guarded by one lock. Deliveries happen with the lock held, which keeps every peer's
 * view ordered (a {@code peer-joined} always comes before that peer's first message); connections
 * only queue, so holding the lock is short.
 *
 * <p>In a cluster ({@link ClusterLink}) the hub keeps its own peers as before and reaches the others'
 * through Redis: a join registers cluster-wide while holding the lock (one Redis round trip), a message
 * to a peer on another node goes to that node's inbox, and the inbox's entries come back through {@code
 * remote*} under the same lock.
 *
 * <pre>{@code
 * SignalingHub hub = new SignalingHub(limits, addressLimits, (peer, tokenExpiry) -> List.of(), null);
 * SignalingHub.JoinResult r = hub.join(joinEnvelope, connection, new SignalingHub.Client("203.0.113.7", null));
 * if (r.error() == null) hub.route(r.member(), offer);
 * }</pre>
 */
final class SignalingHub {
  private static final Logger log = LoggerFactory.getLogger(SignalingHub.class);
  /** A member, or the error to answer the join with. Exactly one is non-null. */
  record JoinResult(Member member, Envelope.Error error) {}

  record Limits(int roomSize, int maxRooms, int maxPeers) {}

  /**
   * Who is joining: the {@link ClientAddress} key the per-address limits count ({@code null}: not
   * counted, as for bridged MQTT peers) and the verified join token's expiry ({@code null}: no auth).
   */
  record Client(String address, Instant tokenExpiry) {
    static final Client UNCOUNTED = new Client(null, null);
  }

  private final Object lock = new Object();
  private final Limits limits;
  private final AddressLimits addressLimits; // guarded by lock
  private final LongAdder routedMessages = new LongAdder();
  private final BiFunction<String, Instant, List<IceServerInfo>> iceServersFor;
  private final List<PresenceListener> presenceListeners = new CopyOnWriteArrayList<>();
  // Guarded by lock. Room id -> (peer id -> member), in join order.
  private final Map<String, Map<String, Member>> rooms = new HashMap<>();
  // Guarded by lock. Room id -> address key of the client that created it, for rooms created by a counted client.
  private final Map<String, String> roomCreators = new HashMap<>();
  private int peerCount; // guarded by lock
  private boolean shuttingDown; // guarded by lock
  private final ClusterLink cluster; // null: this server alone
  private final ClusterDrain drain = new ClusterDrain(); // guarded by lock

  /**
   * {@code iceServersFor} gets the peer id and its token's expiry ({@code null} without auth). With
   * {@code cluster} non-null, rooms are shared with the other nodes on the same Redis.
   */
  SignalingHub(Limits limits, AddressLimits addressLimits, BiFunction<String, Instant, List<IceServerInfo>> iceServersFor,
      ClusterLink cluster) {
    this.limits = limits;
    this.addressLimits = addressLimits;
    this.iceServersFor = iceServersFor;
    this.cluster = cluster;
  }

  ClusterLink cluster() {
    return cluster;
  }

  /** Connects to the cluster, when there is one; before the server serves. */
  void openCluster() {
    if (cluster != null) cluster.start(this);
  }

  void addPresenceListener(PresenceListener listener) {
    presenceListeners.add(listener);
  }

  void removePresenceListener(PresenceListener listener) {
    presenceListeners.remove(listener);
  }

  /** Joins a peer that no per-address limit counts (a bridged or in-process peer), without auth. */
  JoinResult join(Envelope.Join join, PeerConnection connection) {
    return join(join, connection, Client.UNCOUNTED);
  }

  /**
   * Joins {@code join.from()} to {@code join.room()} through {@code connection}; the caller has already
   * checked that the connection may use that identity. A peer id already in the room is replaced (the
   * old connection gets {@link PeerConnection#replaced()}, the room hears nothing: a reconnect is
   * invisible to the other peers). The new member gets {@code welcome}, the others {@code peer-joined}.
   * A counted {@code client} may hold at most the per-address number of sessions and of rooms it
   * created; beyond that the join is refused with {@code server-busy}.
   */
  JoinResult join(Envelope.Join join, PeerConnection connection, Client client) {
    return join(join, connection, client, false);
  }

  /**
   * As {@link #join(Envelope.Join, PeerConnection, Client)}; with {@code keepElsewhere}, a peer that
   * another node of the cluster holds stays there: the join does nothing and returns neither a member
   * nor an error (a bridge on every node sees the same MQTT peer; the first node to join it holds it).
   */
  JoinResult join(Envelope.Join join, PeerConnection connection, Client client, boolean keepElsewhere) {
    String roomId = join.room();
    String peer = join.from();
    if (!Names.isValid(roomId) || !Names.isValid(peer)) {
      // The codec already refuses these on the wire; this keeps every other entry point (a bridge) honest.
      return new JoinResult(null, new Envelope.Error(Ids.newId(), null, null, ErrorCode.BAD_NAME,
          "room and peer ids must be 1-64 characters of [A-Za-z0-9._-]", join.id()));
    }
    String address = client.address();
    synchronized (lock) {
      if (shuttingDown) return refuse(join, ErrorCode.SERVER_BUSY, "server shutting down");
      Map<String, Member> room = rooms.get(roomId);
      Member old = room == null ? null : room.get(peer);
      if (address != null) {
        // A replacement from the same address holds no more than before; from another one it is one more there.
        boolean addsSession = old == null || !address.equals(old.address());
        String refused = addressLimits.refusal(address, addsSession, room == null);
        if (refused != null) return refuse(join, ErrorCode.SERVER_BUSY, refused);
      }
      if (old == null) {
        if (room == null && rooms.size() >= limits.maxRooms()) {
          return refuse(join, ErrorCode.SERVER_BUSY, "too many rooms on this server (" + limits.maxRooms() + ")");
        }
        if (room != null && room.size() >= limits.roomSize()) {
          return refuse(join, ErrorCode.ROOM_FULL, "room " + roomId + " is full (" + limits.roomSize() + " peers)");
        }
        if (peerCount >= limits.maxPeers()) {
          return refuse(join, ErrorCode.SERVER_BUSY, "too many peers on this server (" + limits.maxPeers() + ")");
        }
      }
      // Last, so that nothing refuses the join once the other nodes were told about it.
      ClusterLink.Claim claim = null;
      if (cluster != null) { // also for a local replacement: another node may still hold the peer too
        claim = cluster.claim(roomId, peer, limits.roomSize(), keepElsewhere);
        if (claim == null) return refuse(join, ErrorCode.SERVER_BUSY, "server cannot reach its cluster store; try again");
        if (claim.taken()) return new JoinResult(null, null);
        if (claim.full()) {
          return refuse(join, ErrorCode.ROOM_FULL, "room " + roomId + " is full (" + limits.roomSize() + " peers)");
        }
      }
      // A peer that was on another node moved here: as for a local replacement, the room hears nothing.
      boolean moved = old == null && claim != null && claim.oldNode() != null;
      if (room == null) {
        room = new LinkedHashMap<>();
        rooms.put(roomId, room);
        if (address != null) {
          roomCreators.put(roomId, address);
          addressLimits.addRoom(address);
        }
      }
      Member member = new Member(roomId, peer, connection, address);
      if (claim != null) member.clusterSince(claim.since());
      addressLimits.addSession(address);
      room.put(peer, member);
      LinkedHashSet<String> everyone = new LinkedHashSet<>(room.keySet());
      if (claim != null) everyone.addAll(claim.others());
      everyone.remove(peer);
      List<String> others = new ArrayList<>(everyone);
      if (old != null) {
        old.deactivate();
        addressLimits.removeSession(old.address());
        old.connection().replaced();
      } else {
        peerCount++;
      }
      connection.deliver(new Envelope.Welcome(Ids.newId(), roomId, peer, others,
          iceServersFor.apply(peer, client.tokenExpiry())));
      if (old == null && !moved) {
        for (Member m : room.values()) {
          if (m != member) m.connection().deliver(new Envelope.PeerJoined(Ids.newId(), roomId, peer));
        }
        for (PresenceListener l : presenceListeners) l.peerJoined(roomId, peer);
      }
      log.debug("{} joined {} ({})", peer, roomId, old == null ? "new" : "replacing");
      return new JoinResult(member, null);
    }
  }

  /**
   * A repeated join of the same peer into the same room on the same connection: nothing changes, the
   * peer just gets a fresh {@code welcome}. Returns false when the member is no longer in the room.
   */
  boolean welcomeAgain(Member member, Instant tokenExpiry) {
    synchronized (lock) {
      if (!member.active()) return false;
      LinkedHashSet<String> everyone = new LinkedHashSet<>(rooms.get(member.room()).keySet());
      if (cluster != null) everyone.addAll(cluster.peersIn(member.room()));
      everyone.remove(member.peer());
      List<String> others = new ArrayList<>(everyone);
      member.connection().deliver(new Envelope.Welcome(Ids.newId(), member.room(), member.peer(), others,
          iceServersFor.apply(member.peer(), tokenExpiry)));
      return true;
    }
  }

  /**
   * Routes one message from {@code from}: {@code offer}, {@code answer}, {@code candidate} and {@code
   * bye} go to {@code to} in the sender's room with {@code from} and {@code room} overwritten; {@code
   * leave} leaves. Problems are answered to the sender as an {@code error} envelope.
   */
  void route(Member from, Envelope envelope) {
    synchronized (lock) {
      if (!from.active()) {
        from.connection().deliver(error(envelope, from.peer(), ErrorCode.NOT_JOINED, "not in a room; send join first"));
        return;
      }
      if (envelope instanceof Envelope.Leave) {
        leave(from);
        return;
      }
      if (!(envelope instanceof Envelope.Routed routed)) {
        from.connection().deliver(error(envelope, from.peer(), ErrorCode.UNKNOWN_TYPE,
            "type \"" + envelope.type() + "\" cannot be sent by a peer here"));
        return;
      }
      Map<String, Member> room = rooms.get(from.room());
      Member target = room == null ? null : room.get(routed.to());
      if (target == null && cluster != null) {
        String json = EnvelopeCodec.encode(routed.withSender(from.room(), from.peer()));
        cluster.route(from.room(), routed.to(), json, () -> noSuchPeer(from, envelope, routed.to()), () -> notSent(from, envelope));
        return;
      }
      if (target == null) {
        noSuchPeer(from, envelope, routed.to());
        return;
      }
      Envelope stamped = routed.withSender(from.room(), from.peer());
      if (!drain.keep(target, stamped)) target.connection().deliver(stamped);
      routedMessages.increment();
    }
  }

  /** Messages delivered from one peer to another on this node since start. */
  long routedCount() {
    return routedMessages.sum();
  }

  private void noSuchPeer(Member from, Envelope envelope, String to) {
    answerSender(from, envelope, ErrorCode.NO_SUCH_PEER, "no peer \"" + to + "\" in room " + from.room());
  }

  /**
   * A message for a peer on another node that Redis did not take: the sender hears {@code server-busy},
   * not {@code no-such-peer}, since the peer may well be there (an SDK ends a call on {@code no-such-peer}).
   */
  private void notSent(Member from, Envelope envelope) {
    answerSender(from, envelope, ErrorCode.SERVER_BUSY, "not delivered: the cluster's Redis did not answer; send it again later");
  }

  /** The {@code error} for a message {@code from} sent, unless it has left meanwhile (a cluster answer comes later). */
  private void answerSender(Member from, Envelope envelope, ErrorCode code, String message) {
    synchronized (lock) {
      if (!from.active()) return;
      from.connection().deliver(error(envelope, from.peer(), code, message));
    }
  }

  /** Takes {@code member} out of its room and tells the others {@code peer-left}. Idempotent. */
  void leave(Member member) {
    synchronized (lock) {
      if (drain.draining() && member.active() && rooms.getOrDefault(member.room(), Map.of()).get(member.peer()) == member) {
        drain.hold(member); // moving to another node: the room hears nothing
        return;
      }
      Map<String, Member> room = remove(member);
      if (room == null) return;
      log.debug("{} left {}", member.peer(), member.room());
      if (cluster != null) cluster.left(member.room(), member.peer());
      if (shuttingDown) return; // everyone is being told the server is going away
      for (Member m : room.values()) {
        m.connection().deliver(new Envelope.PeerLeft(Ids.newId(), member.room(), member.peer()));
      }
      for (PresenceListener l : presenceListeners) l.peerLeft(member.room(), member.peer());
    }
  }

  /** Takes {@code member} out of this node's room; returns the room, or {@code null} when it was not in it. Caller holds lock. */
  private Map<String, Member> remove(Member member) {
    if (!member.active()) return null;
    member.deactivate();
    Map<String, Member> room = rooms.get(member.room());
    if (room == null || room.get(member.peer()) != member) return null;
    room.remove(member.peer());
    peerCount--;
    addressLimits.removeSession(member.address());
    if (room.isEmpty()) {
      rooms.remove(member.room());
      addressLimits.removeRoom(roomCreators.remove(member.room()));
    }
    return room;
  }

  /** From the cluster inbox: a message for {@code to}, already stamped by the sender's node. Dropped if {@code to} left. */
  void remoteDeliver(String room, String to, Envelope envelope) {
    synchronized (lock) {
      Member target = rooms.getOrDefault(room, Map.of()).get(to);
      if (target != null && !drain.keep(target, envelope)) target.connection().deliver(envelope);
    }
  }

  /**
   * From the cluster inbox, entry {@code entryId}: {@code peer} joined or left {@code room} on another
   * node (or its node died). A member whose join already saw that entry's effect is not told again.
   */
  void remotePresence(String entryId, String room, String peer, boolean joined) {
    synchronized (lock) {
      Map<String, Member> members = rooms.getOrDefault(room, Map.of());
      if (members.containsKey(peer)) return; // it is (now) here: this node speaks for it
      for (Member m : members.values()) {
        if (m.clusterSince() != null && !ClusterLink.after(entryId, m.clusterSince())) continue;
        m.connection().deliver(joined ? new Envelope.PeerJoined(Ids.newId(), room, peer) : new Envelope.PeerLeft(Ids.newId(), room, peer));
      }
    }
  }

  /** From the cluster inbox, or a lost claim: {@code peer} joined again on another node; drop it here quietly. */
  void remoteReplaced(String room, String peer) {
    synchronized (lock) {
      Member m = rooms.getOrDefault(room, Map.of()).get(peer);
      if (m == null) return;
      List<Envelope> kept = drain.moved(m);
      if (remove(m) == null) return;
      log.debug("{} moved to another node", m);
      lock.notifyAll(); // leaveCluster waits for this node's peers to move
      if (kept == null) {
        m.connection().replaced();
        return;
      }
      for (Envelope e : kept) {
        cluster.route(room, peer, EnvelopeCodec.encode(e), () -> log.debug("{} left before a kept message reached it", m),
            () -> log.debug("a message kept for {} was not passed on: Redis did not answer", m));
      }
    }
  }

  /** Every member on this node. */
  List<Member> members() {
    synchronized (lock) {
      return allMembers();
    }
  }

  /** Refuses further joins and returns every member, for a graceful shutdown. */
  List<Member> shutdown() {
    synchronized (lock) {
      shuttingDown = true;
      List<Member> all = allMembers();
      if (cluster != null) { // see leaveCluster
        drain.start();
        // from now on what arrives for them is kept: their connections are being closed, and a message
        // handed to one that is closing would be lost
        for (Member m : all) drain.hold(m);
      }
      return all;
    }
  }

  /**
   * After {@link #shutdown()} told the peers to go: in a cluster, waits up to {@code timeout} for this
   * node's peers to join other nodes ({@link ClusterDrain}), then leaves the cluster; the other nodes'
   * peers hear {@code peer-left} for those that did not come back.
   */
  void leaveCluster(Duration timeout) {
    if (cluster == null || cluster.stopped()) return;
    synchronized (lock) {
      long deadline = System.nanoTime() + timeout.toNanos();
      try {
        for (long left; peerCount > 0 && (left = deadline - System.nanoTime()) > 0; ) {
          lock.wait(Math.max(1, left / 1_000_000));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (peerCount > 0) log.info("cluster: {} peer(s) did not join another node within {} s", peerCount, timeout.toSeconds());
      cluster.close();
    }
  }

  private List<Member> allMembers() {
    List<Member> all = new ArrayList<>();
    for (Map<String, Member> room : rooms.values()) all.addAll(room.values());
    return all;
  }

  int roomCount() {
    synchronized (lock) {
      return rooms.size();
    }
  }

  int peerCount() {
    synchronized (lock) {
      return peerCount;
    }
  }

  /**
   * Reads the per-address accounting under the hub's lock, e.g. {@code addressLimits(a -> a.sessions(key))}
   * or {@code addressLimits(AddressLimits::refusedSessions)} (for /metrics and tests).
   */
  <T> T addressLimits(Function<AddressLimits, T> read) {
    synchronized (lock) {
      return read.apply(addressLimits);
    }
  }

  /** Whether {@link #shutdown} has begun: joins are refused from then on. */
  boolean shuttingDown() {
    synchronized (lock) {
      return shuttingDown;
    }
  }

  /** Peer ids in {@code room}, in join order (empty when there is no such room). */
  List<String> peersIn(String room) {
    synchronized (lock) {
      Map<String, Member> r = rooms.get(room);
      return r == null ? List.of() : List.copyOf(r.keySet());
    }
  }

  private static JoinResult refuse(Envelope join, ErrorCode code, String message) {
    return new JoinResult(null, error(join, join.from(), code, message));
  }

  static Envelope.Error error(Envelope cause, String to, ErrorCode code, String message) {
    return new Envelope.Error(Ids.newId(), cause == null ? null : emptyToNull(cause.room()), to, code, message,
        cause == null ? null : cause.id());
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
