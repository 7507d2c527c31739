package dev.simplecall.server;

import dev.simplecall.protocol.Envelope;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The seam through which a bridge (the MQTT bridge in {@code dev.simplecall.server.mqtt}) attaches
 * peers that live elsewhere to this server's rooms, and learns about the server's own peers. An
 * attached peer is a room member like a WebSocket one: it gets {@code welcome}, {@code peer-joined}
 * and routed messages through its {@link Delivery}, and what it {@link Peer#send sends} is routed by
 * the same hub with {@code from} and {@code room} overwritten.
 *
 * <pre>{@code
 * ExternalPeers seam = ExternalPeers.of(server);
 * ExternalPeers.Peer bob = seam.join("r1", "bob", envelope -> queueForBob(envelope));
 * bob.send(offer);   // routed to its "to" in r1, from "bob"
 * bob.leave();       // the room hears peer-left
 * }</pre>
 */
public final class ExternalPeers {
  /** Receives what the hub sends an attached peer. Called with the hub's lock held: queue and return. */
  public interface Delivery {
    /**
     * One envelope for the attached peer: its {@code welcome}, {@code peer-joined}, {@code peer-left},
     * a routed message with {@code from} and {@code room} stamped, or an {@code error}.
     *
     * @param envelope the envelope, already addressed to this peer
     */
    void deliver(Envelope envelope);
  }

  /** Told when a peer of this server itself (not an attached one) enters or leaves a room. Same rules. */
  public interface LocalPresence {
    /**
     * A peer of this server joined a room (a rejoin that replaces its connection is not reported).
     *
     * @param room the room id
     * @param peer the peer id
     */
    void peerJoined(String room, String peer);

    /**
     * A peer of this server left a room. Not reported while the server shuts down.
     *
     * @param room the room id
     * @param peer the peer id
     */
    void peerLeft(String room, String peer);
  }

  private final SignalingHub hub;
  private final boolean tokensRequired;
  private final boolean clustered;
  /** "room/peer" of attached peers, so presence events about them are not reported as local ones. */
  private final Map<String, Peer> attached = new ConcurrentHashMap<>();

  private ExternalPeers(SignalingHub hub, boolean tokensRequired, boolean clustered) {
    this.hub = hub;
    this.tokensRequired = tokensRequired;
    this.clustered = clustered;
  }

  /**
   * The seam of {@code server}, which need not be started yet.
   *
   * @param server the server whose rooms peers are attached to
   * @return a seam; several seams of one server share its rooms
   * @throws NullPointerException when {@code server} is {@code null}
   */
  public static ExternalPeers of(SignalingServer server) {
    Objects.requireNonNull(server, "server == null");
    return new ExternalPeers(server.parts().hub(), server.parts().context().verifier() != null,
        server.parts().hub().cluster() != null);
  }

  /**
   * Whether the server's own peers need a join token. A bridge attaches peers without one, so it must
   * only take peers from a place that checked theirs (the embedded broker with the same secret).
   *
   * @return {@code true} when the server was built with an auth secret
   */
  public boolean tokensRequired() {
    return tokensRequired;
  }

  /**
   * Whether the server is a node of a cluster ({@link SignalingServer.Builder#cluster}): its rooms hold
   * the peers of every node, each attached by the node it is connected to.
   *
   * @return {@code true} when the server was built with Redis URIs
   */
  public boolean clustered() {
    return clustered;
  }

  /**
   * Joins {@code peer} to {@code room}. Returns {@code null} when the hub refuses (room full, server
   * busy, shutting down); the refusal's {@code error} envelope then went to {@code delivery}.
   * No token is checked. A peer of the same id already in the room is replaced, as on a reconnect;
   * on a cluster node, except when another node holds it: then the join does nothing and returns
   * {@code null} without an error (a bridge on each node sees the same MQTT peer).
   *
   * @param room the room id; one that is not a valid name is refused with {@code bad-name}
   * @param peer the peer id; one that is not a valid name is refused with {@code bad-name}
   * @param delivery receives what the hub sends the peer, starting with its {@code welcome}
   * @return the attached peer, or {@code null} when refused
   * @throws NullPointerException when an argument is {@code null}
   */
  public Peer join(String room, String peer, Delivery delivery) {
    Objects.requireNonNull(delivery, "delivery == null");
    String key = room + "/" + peer;
    Peer p = new Peer(key, delivery);
    attached.put(key, p);
    SignalingHub.JoinResult r = hub.join(new Envelope.Join(dev.simplecall.protocol.Ids.newId(), room, peer, null), p.connection,
        SignalingHub.Client.UNCOUNTED, clustered); // bridged peers have no client address of their own
    if (r.member() == null) {
      attached.remove(key, p);
      if (r.error() != null) delivery.deliver(r.error());
      return null;
    }
    p.member = r.member();
    return p;
  }

  /**
   * Peer ids in {@code room}, attached ones included, in join order.
   *
   * @param room the room id
   * @return an immutable snapshot of the peers joined through this server; empty when the room does not
   *     exist
   */
  public java.util.List<String> peersIn(String room) {
    return hub.peersIn(room);
  }

  /**
   * Starts reporting this server's own peers' presence; returns what stops it.
   *
   * @param watcher told of joins and leaves from now on (peers already in rooms are not reported)
   * @return closing it stops the reports; it never throws
   * @throws NullPointerException when {@code watcher} is {@code null}
   */
  public AutoCloseable watchLocalPresence(LocalPresence watcher) {
    Objects.requireNonNull(watcher, "watcher == null");
    PresenceListener l = new PresenceListener() {
      @Override
      public void peerJoined(String room, String peer) {
        if (!attached.containsKey(room + "/" + peer)) watcher.peerJoined(room, peer);
      }

      @Override
      public void peerLeft(String room, String peer) {
        if (!attached.containsKey(room + "/" + peer)) watcher.peerLeft(room, peer);
      }
    };
    hub.addPresenceListener(l);
    return () -> hub.removePresenceListener(l);
  }

  /** One attached peer. */
  public final class Peer {
    private final String key;
    private final PeerConnection connection;
    private volatile Member member;

    private Peer(String key, Delivery delivery) {
      this.key = key;
      this.connection = new PeerConnection() {
        @Override
        public void deliver(Envelope envelope) {
          delivery.deliver(envelope);
        }

        @Override
        public void replaced() {
          attached.remove(key, Peer.this);
        }
      };
    }

    /**
     * Routes one message from this peer (offer, answer, candidate, bye; leave leaves).
     *
     * @param envelope the message; its {@code from} and {@code room} are replaced by this peer's. A
     *     problem (an unknown {@code to}, another type, this peer no longer active) is answered to this
     *     peer's {@link Delivery} as an {@code error}
     */
    public void send(Envelope envelope) {
      hub.route(member, envelope);
    }

    /** Leaves the room; the others hear {@code peer-left}. Idempotent. */
    public void leave() {
      hub.leave(member); // the presence listener still sees the key, so this is not reported as local
      attached.remove(key, this);
    }

    /**
     * False once left or replaced by another connection with the same id.
     *
     * @return whether this peer is still a member of its room
     */
    public boolean active() {
      return member.active();
    }
  }
}
