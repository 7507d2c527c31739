package dev.simplecall.protocol;

import java.util.List;
import java.util.Objects;

/**
 * One signaling message, envelope v1 (see docs/PROTOCOL.md). Every message has a unique {@link #id()},
 * used to drop duplicates and quoted as {@code ref} in errors. {@code from} is overwritten by the
 * server with the authenticated peer id; {@code to} is absent on server broadcasts.
 *
 * <pre>{@code
 * Envelope offer = new Envelope.Offer(Ids.newId(), "r1", "alice", "bob", sdp);
 * String json = EnvelopeCodec.encode(offer);
 * }</pre>
 */
public sealed interface Envelope {
  /** The envelope version this code reads and writes: the wire field {@code "v"}, always 1. */
  int VERSION = 1;

  /**
   * The message id, made by the sender.
   *
   * @return the id; never {@code null}, 1 to 128 characters when decoded
   */
  String id();

  /**
   * The room the message belongs to.
   *
   * @return the room id; the empty string on a decoded peer message that left {@code room} out (the
   *     server fills it in), and {@code null} only on an {@link Error} about no room
   */
  String room();

  /**
   * Sender peer id, or {@code null} for server-made messages.
   *
   * @return the sender's peer id, or {@code null}
   */
  default String from() {
    return null;
  }

  /**
   * Recipient peer id, or {@code null} for broadcasts.
   *
   * @return the recipient's peer id, or {@code null}
   */
  default String to() {
    return null;
  }

  /**
   * The wire {@code type}.
   *
   * @return one of {@code join}, {@code welcome}, {@code peer-joined}, {@code peer-left}, {@code offer},
   *     {@code answer}, {@code candidate}, {@code bye}, {@code leave}, {@code error}
   */
  String type();

  /**
   * A copy with {@code room} and {@code from} replaced, as the server does for routed messages.
   * {@link Routed} messages and {@link Leave} make the copy; every other type returns itself unchanged.
   *
   * @param room the room to stamp
   * @param from the sender's peer id to stamp
   * @return the copy, or this envelope for a type that is not stamped
   */
  default Envelope withSender(String room, String from) {
    return this;
  }

  /** Messages a peer sends to one other peer: the server routes them by {@code to}. */
  sealed interface Routed extends Envelope permits Offer, Answer, Candidate, Bye {}

  /**
   * Peer to service: join {@code room} as {@code from}. A transport joins by itself when it connects;
   * the SDK does not send it.
   *
   * @param id message id
   * @param room the room to join; not {@code null}
   * @param from the joining peer's id; not {@code null}
   * @param token the join token, or {@code null} when the service requires none
   */
  record Join(String id, String room, String from, String token) implements Envelope {
    /**
     * Checks the required components.
     *
     * @param id message id
     * @param room the room to join
     * @param from the joining peer's id
     * @param token the join token, or {@code null}
     * @throws NullPointerException when {@code id}, {@code room} or {@code from} is {@code null}
     */
    public Join {
      requireIds(id, room);
      Objects.requireNonNull(from, "from == null");
    }

    @Override
    public String type() {
      return "join";
    }
  }

  /**
   * Server to peer after a join: who is already in the room, and ICE servers for this peer.
   *
   * @param id message id
   * @param room the room joined; not {@code null}
   * @param to the peer that joined; {@code null} only when a decoded message left it out
   * @param peers ids of the other peers already in the room, in no promised order; {@code null} is read
   *     as empty; kept as an unmodifiable copy
   * @param iceServers STUN and TURN servers for this peer (empty when the service hands out none);
   *     {@code null} is read as empty; kept as an unmodifiable copy
   */
  record Welcome(String id, String room, String to, List<String> peers, List<IceServerInfo> iceServers)
      implements Envelope {
    /**
     * Checks the required components and copies the lists.
     *
     * @param id message id
     * @param room the room joined
     * @param to the peer that joined, or {@code null}
     * @param peers ids of the peers already in the room, or {@code null} for none
     * @param iceServers ICE servers for this peer, or {@code null} for none
     * @throws NullPointerException when {@code id} or {@code room} is {@code null}, or a list holds
     *     {@code null}
     */
    public Welcome {
      requireIds(id, room);
      peers = peers == null ? List.of() : List.copyOf(peers);
      iceServers = iceServers == null ? List.of() : List.copyOf(iceServers);
    }

    @Override
    public String type() {
      return "welcome";
    }
  }

  /**
   * Server to every other peer in a room: {@code peer} joined it.
   *
   * @param id message id
   * @param room the room; not {@code null}
   * @param peer the id of the peer that joined; not {@code null}
   */
  record PeerJoined(String id, String room, String peer) implements Envelope {
    /**
     * Checks the components.
     *
     * @param id message id
     * @param room the room
     * @param peer the id of the peer that joined
     * @throws NullPointerException when a component is {@code null}
     */
    public PeerJoined {
      requireIds(id, room);
      Objects.requireNonNull(peer, "peer == null");
    }

    @Override
    public String type() {
      return "peer-joined";
    }
  }

  /**
   * Server to every other peer in a room: {@code peer} left it.
   *
   * @param id message id
   * @param room the room; not {@code null}
   * @param peer the id of the peer that left; not {@code null}
   */
  record PeerLeft(String id, String room, String peer) implements Envelope {
    /**
     * Checks the components.
     *
     * @param id message id
     * @param room the room
     * @param peer the id of the peer that left
     * @throws NullPointerException when a component is {@code null}
     */
    public PeerLeft {
      requireIds(id, room);
      Objects.requireNonNull(peer, "peer == null");
    }

    @Override
    public String type() {
      return "peer-left";
    }
  }

  /**
   * An SDP offer, peer to peer.
   *
   * @param id message id
   * @param room the room; not {@code null}, empty when a decoded message left it out
   * @param from the sender's peer id, stamped on delivery by the server (or a broker transport); what the
   *     sending peer puts here, {@code null} included, is ignored
   * @param to the receiver's peer id (required on the wire)
   * @param sdp the session description text; not {@code null}
   */
  record Offer(String id, String room, String from, String to, String sdp) implements Routed {
    /**
     * Checks the required components.
     *
     * @param id message id
     * @param room the room
     * @param from the sender's peer id, or {@code null}
     * @param to the receiver's peer id
     * @param sdp the session description text
     * @throws NullPointerException when {@code id}, {@code room} or {@code sdp} is {@code null}
     */
    public Offer {
      requireIds(id, room);
      Objects.requireNonNull(sdp, "sdp == null");
    }

    @Override
    public String type() {
      return "offer";
    }

    /**
     * {@inheritDoc}
     *
     * @return a new {@code Offer} with the same id, receiver and SDP
     */
    @Override
    public Offer withSender(String room, String from) {
      return new Offer(id, room, from, to, sdp);
    }
  }

  /**
   * The SDP answer to an {@link Offer}, peer to peer.
   *
   * @param id message id
   * @param room the room; not {@code null}, empty when a decoded message left it out
   * @param from the sender's peer id, stamped on delivery by the server (or a broker transport); what the
   *     sending peer puts here, {@code null} included, is ignored
   * @param to the receiver's peer id (required on the wire)
   * @param sdp the session description text; not {@code null}
   */
  record Answer(String id, String room, String from, String to, String sdp) implements Routed {
    /**
     * Checks the required components.
     *
     * @param id message id
     * @param room the room
     * @param from the sender's peer id, or {@code null}
     * @param to the receiver's peer id
     * @param sdp the session description text
     * @throws NullPointerException when {@code id}, {@code room} or {@code sdp} is {@code null}
     */
    public Answer {
      requireIds(id, room);
      Objects.requireNonNull(sdp, "sdp == null");
    }

    @Override
    public String type() {
      return "answer";
    }

    /**
     * {@inheritDoc}
     *
     * @return a new {@code Answer} with the same id, receiver and SDP
     */
    @Override
    public Answer withSender(String room, String from) {
      return new Answer(id, room, from, to, sdp);
    }
  }

  /**
   * A trickled ICE candidate; {@code candidate == null} means end of candidates.
   *
   * @param id message id
   * @param room the room; not {@code null}, empty when a decoded message left it out
   * @param from the sender's peer id, stamped on delivery by the server (or a broker transport); what the
   *     sending peer puts here, {@code null} included, is ignored
   * @param to the receiver's peer id (required on the wire)
   * @param candidate the candidate, or {@code null} for end of candidates (decoded also from an empty
   *     {@code candidate} string)
   */
  record Candidate(String id, String room, String from, String to, IceCandidate candidate) implements Routed {
    /**
     * Checks the required components.
     *
     * @param id message id
     * @param room the room
     * @param from the sender's peer id, or {@code null}
     * @param to the receiver's peer id
     * @param candidate the candidate, or {@code null} for end of candidates
     * @throws NullPointerException when {@code id} or {@code room} is {@code null}
     */
    public Candidate {
      requireIds(id, room);
    }

    @Override
    public String type() {
      return "candidate";
    }

    /**
     * {@inheritDoc}
     *
     * @return a new {@code Candidate} with the same id, receiver and candidate
     */
    @Override
    public Candidate withSender(String room, String from) {
      return new Candidate(id, room, from, to, candidate);
    }
  }

  /**
   * Hang-up; {@code reason} is {@code hangup}, {@code busy}, {@code declined}, {@code timeout}, ...
   *
   * @param id message id
   * @param room the room; not {@code null}, empty when a decoded message left it out
   * @param from the sender's peer id, stamped on delivery by the server (or a broker transport); what the
   *     sending peer puts here, {@code null} included, is ignored
   * @param to the receiver's peer id (required on the wire)
   * @param reason why the call ended, free text; {@code null} when not given
   */
  record Bye(String id, String room, String from, String to, String reason) implements Routed {
    /**
     * Checks the required components.
     *
     * @param id message id
     * @param room the room
     * @param from the sender's peer id, or {@code null}
     * @param to the receiver's peer id
     * @param reason why the call ended, or {@code null}
     * @throws NullPointerException when {@code id} or {@code room} is {@code null}
     */
    public Bye {
      requireIds(id, room);
    }

    @Override
    public String type() {
      return "bye";
    }

    /**
     * {@inheritDoc}
     *
     * @return a new {@code Bye} with the same id, receiver and reason
     */
    @Override
    public Bye withSender(String room, String from) {
      return new Bye(id, room, from, to, reason);
    }
  }

  /**
   * Peer to service: take the sender out of its room.
   *
   * @param id message id
   * @param room the room; not {@code null}, empty when a decoded message left it out
   * @param from the leaving peer's id, or {@code null}; the server takes the sender from the connection
   */
  record Leave(String id, String room, String from) implements Envelope {
    /**
     * Checks the required components.
     *
     * @param id message id
     * @param room the room
     * @param from the leaving peer's id, or {@code null}
     * @throws NullPointerException when {@code id} or {@code room} is {@code null}
     */
    public Leave {
      requireIds(id, room);
    }

    @Override
    public String type() {
      return "leave";
    }

    /**
     * {@inheritDoc}
     *
     * @return a new {@code Leave} with the same id
     */
    @Override
    public Leave withSender(String room, String from) {
      return new Leave(id, room, from);
    }
  }

  /**
   * An error report. {@code code} is kept as the wire string so unknown codes survive; {@link
   * #errorCode()} maps it.
   *
   * @param id message id
   * @param room the room it concerns, or {@code null}
   * @param to the peer it is for, or {@code null}
   * @param code the wire code ({@link ErrorCode#wire()}), possibly one this version does not know; not
   *     {@code null}
   * @param message human-readable text, or {@code null}
   * @param ref the id of the message that caused it, or {@code null} when there is none or it was
   *     unreadable
   */
  record Error(String id, String room, String to, String code, String message, String ref) implements Envelope {
    /**
     * Checks the required components.
     *
     * @param id message id
     * @param room the room, or {@code null}
     * @param to the peer it is for, or {@code null}
     * @param code the wire code
     * @param message human-readable text, or {@code null}
     * @param ref the id of the message that caused it, or {@code null}
     * @throws NullPointerException when {@code id} or {@code code} is {@code null}
     */
    public Error {
      Objects.requireNonNull(id, "id == null");
      Objects.requireNonNull(code, "code == null");
    }

    /**
     * An error with a known code, stored as its wire string.
     *
     * @param id message id
     * @param room the room, or {@code null}
     * @param to the peer it is for, or {@code null}
     * @param code the code; not {@code null}
     * @param message human-readable text, or {@code null}
     * @param ref the id of the message that caused it, or {@code null}
     * @throws NullPointerException when {@code id} or {@code code} is {@code null}
     */
    public Error(String id, String room, String to, ErrorCode code, String message, String ref) {
      this(id, room, to, code.wire(), message, ref);
    }

    /**
     * The code as an enum constant.
     *
     * @return the {@link ErrorCode} of {@link #code()}, or {@code null} when this version does not know it
     */
    public ErrorCode errorCode() {
      return ErrorCode.fromWire(code);
    }

    @Override
    public String type() {
      return "error";
    }
  }

  /**
   * The {@code candidate} object of a candidate message, as in the browser's {@code RTCIceCandidateInit}.
   *
   * @param candidate the SDP {@code candidate:} attribute line; not {@code null}
   * @param sdpMid the media stream identification tag it belongs to, or {@code null}
   * @param sdpMLineIndex the 0-based index of the SDP media section it belongs to, or {@code null}
   */
  record IceCandidate(String candidate, String sdpMid, Integer sdpMLineIndex) {
    /**
     * Checks the candidate line.
     *
     * @param candidate the SDP {@code candidate:} attribute line
     * @param sdpMid the media stream identification tag, or {@code null}
     * @param sdpMLineIndex the 0-based media section index, or {@code null}
     * @throws NullPointerException when {@code candidate} is {@code null}
     */
    public IceCandidate {
      Objects.requireNonNull(candidate, "candidate == null");
    }
  }

  private static void requireIds(String id, String room) {
    Objects.requireNonNull(id, "id == null");
    Objects.requireNonNull(room, "room == null");
  }
}
