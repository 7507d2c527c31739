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
  int VERSION = 1;

  String id();

  String room();

  /** Sender peer id, or {@code null} for server-made messages. */
  default String from() {
    return null;
  }

  /** Recipient peer id, or {@code null} for broadcasts. */
  default String to() {
    return null;
  }

  /** The wire {@code type}. */
  String type();

  /** A copy with {@code room} and {@code from} replaced, as the server does for routed messages. */
  default Envelope withSender(String room, String from) {
    return this;
  }

  /** Messages a peer sends to one other peer: the server routes them by {@code to}. */
  sealed interface Routed extends Envelope permits Offer, Answer, Candidate, Bye {}

  record Join(String id, String room, String from, String token) implements Envelope {
    public Join {
      requireIds(id, room);
      Objects.requireNonNull(from, "from == null");
    }

    @Override
    public String type() {
      return "join";
    }
  }

  /** Server to peer after a join: who is already in the room, and ICE servers for this peer. */
  record Welcome(String id, String room, String to, List<String> peers, List<IceServerInfo> iceServers)
      implements Envelope {
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

  record PeerJoined(String id, String room, String peer) implements Envelope {
    public PeerJoined {
      requireIds(id, room);
      Objects.requireNonNull(peer, "peer == null");
    }

    @Override
    public String type() {
      return "peer-joined";
    }
  }

  record PeerLeft(String id, String room, String peer) implements Envelope {
    public PeerLeft {
      requireIds(id, room);
      Objects.requireNonNull(peer, "peer == null");
    }

    @Override
    public String type() {
      return "peer-left";
    }
  }

  record Offer(String id, String room, String from, String to, String sdp) implements Routed {
    public Offer {
      requireIds(id, room);
      Objects.requireNonNull(sdp, "sdp == null");
    }

    @Override
    public String type() {
      return "offer";
    }

    @Override
    public Offer withSender(String room, String from) {
      return new Offer(id, room, from, to, sdp);
    }
  }

  record Answer(String id, String room, String from, String to, String sdp) implements Routed {
    public Answer {
      requireIds(id, room);
      Objects.requireNonNull(sdp, "sdp == null");
    }

    @Override
    public String type() {
      return "answer";
    }

    @Override
    public Answer withSender(String room, String from) {
      return new Answer(id, room, from, to, sdp);
    }
  }

  /** A trickled ICE candidate; {@code candidate == null} means end of candidates. */
  record Candidate(String id, String room, String from, String to, IceCandidate candidate) implements Routed {
    public Candidate {
      requireIds(id, room);
    }

    @Override
    public String type() {
      return "candidate";
    }

    @Override
    public Candidate withSender(String room, String from) {
      return new Candidate(id, room, from, to, candidate);
    }
  }

  /** Hang-up; {@code reason} is {@code hangup}, {@code busy}, {@code declined}, {@code timeout}, ... */
  record Bye(String id, String room, String from, String to, String reason) implements Routed {
    public Bye {
      requireIds(id, room);
    }

    @Override
    public String type() {
      return "bye";
    }

    @Override
    public Bye withSender(String room, String from) {
      return new Bye(id, room, from, to, reason);
    }
  }

  record Leave(String id, String room, String from) implements Envelope {
    public Leave {
      requireIds(id, room);
    }

    @Override
    public String type() {
      return "leave";
    }

    @Override
    public Leave withSender(String room, String from) {
      return new Leave(id, room, from);
    }
  }

  /**
   * An error report. {@code code} is kept as the wire string so unknown codes survive; {@link
   * #errorCode()} maps it.
   */
  record Error(String id, String room, String to, String code, String message, String ref) implements Envelope {
    public Error {
      Objects.requireNonNull(id, "id == null");
      Objects.requireNonNull(code, "code == null");
    }

    public Error(String id, String room, String to, ErrorCode code, String message, String ref) {
      this(id, room, to, code.wire(), message, ref);
    }

    public ErrorCode errorCode() {
      return ErrorCode.fromWire(code);
    }

    @Override
    public String type() {
      return "error";
    }
  }

  /** The {@code candidate} object of a candidate message, as in the browser's {@code RTCIceCandidateInit}. */
  record IceCandidate(String candidate, String sdpMid, Integer sdpMLineIndex) {
    public IceCandidate {
      Objects.requireNonNull(candidate, "candidate == null");
    }
  }

  private static void requireIds(String id, String room) {
    Objects.requireNonNull(id, "id == null");
    Objects.requireNonNull(room, "room == null");
  }
}
