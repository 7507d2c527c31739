package dev.simplecall.spi.support;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.protocol.EnvelopeException;
import dev.simplecall.protocol.ErrorCode;
import dev.simplecall.protocol.Ids;
import dev.simplecall.spi.TransportOptions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signaling server's part, played by a broker transport for its own peer: room membership from
 * presence, the {@code welcome}, {@code peer-joined} and {@code peer-left} envelopes, routing of sends
 * by {@code to}, stamping {@code from} and {@code room} on what arrives (taken from the broker's
 * channel, never from the payload), {@code error} envelopes for unroutable sends, and dropping
 * duplicates. With it a pub/sub transport supplies only the wire: connect, subscribe to its inbox and
 * to the room's presence, and publish (the {@link Wire}).
 *
 * <p>Threading: confined to the transport's {@link TransportLoop}; every method is called on it.
 *
 * <p>Life of one connection, as the transport reports it:
 * <pre>{@code
 * room.connecting();                 // a new attempt: presence and messages seen from now on are collected
 * // subscribed to the inbox and the room's presence, own presence published:
 * room.linked();                     // queued sends may go out now
 * room.presence("bob", true);        // any time, from the broker's presence channel
 * room.message("bob", text);         // any time, from the inbox channel naming bob as sender
 * room.settled();                    // every present peer known: onOpen, welcome, then what was held
 * room.down();                       // the link dropped: sends queue until linked() again
 * }</pre>
 * and {@code send} posts {@code loop.execute(() -> room.send(text))}.
 */
public final class BrokerRoom {
  private static final Logger log = LoggerFactory.getLogger(BrokerRoom.class);

  /** How the room reaches the broker. Called on the loop; may refuse (return false) to apply back-pressure. */
  public interface Wire {
    /**
     * Publishes a routed envelope, already stamped with this peer as sender, to {@code to}'s inbox.
     * Returns {@code false} when the link cannot take it now; the room keeps it and calls again from
     * {@link #flush()}.
     *
     * @param to the receiving peer's id, a valid name
     * @param text the envelope's JSON text, with this room and this peer as {@code from}
     * @return {@code true} when the link took it
     */
    boolean publish(String to, String text);

    /**
     * Publishes this peer's own presence, {@code online} or gone; {@code false} as for {@link #publish}.
     *
     * @param online {@code true} for the online payload, {@code false} to clear the presence
     * @return {@code true} when the link took it
     */
    boolean announce(boolean online);
  }

  private enum State { DOWN, JOINING, LINKED, OPEN, CLOSED }

  private record Outgoing(String to, String text, boolean online) {
    boolean presence() {
      return to == null;
    }
  }

  private final TransportLoop loop;
  private final String room;
  private final String self;
  private final String description;
  private final Wire wire;
  private final RecentIds recent = new RecentIds(2048);
  private final ArrayDeque<Outgoing> queue = new ArrayDeque<>();
  private final List<String> held = new ArrayList<>();
  private State state = State.DOWN;
  private Set<String> peers = new LinkedHashSet<>(); // as last told to the listener (OPEN)
  private Set<String> settlingPeers = new LinkedHashSet<>(); // collected before settled()
  private boolean left; // a "leave" cleared our presence; a later "join" re-announces it

  /**
   * A room that is down until {@link #connecting()}.
   *
   * @param loop the transport's loop: its callbacks, and the outbox count
   * @param options the room and this peer's id
   * @param description names the transport in log lines (no credentials)
   * @param wire publishes to the broker
   * @throws NullPointerException when an argument is {@code null}
   */
  public BrokerRoom(TransportLoop loop, TransportOptions options, String description, Wire wire) {
    this.loop = Objects.requireNonNull(loop, "loop == null");
    this.room = options.room();
    this.self = options.peerId();
    this.description = Objects.requireNonNull(description, "description == null");
    this.wire = Objects.requireNonNull(wire, "wire == null");
  }

  // ---------------------------------------------------------------- the connection's life

  /** A new connection attempt: presence and messages from now until {@link #settled()} are collected. */
  public void connecting() {
    state = State.JOINING;
    settlingPeers = new LinkedHashSet<>();
    held.clear();
  }

  /** Subscribed (and own presence published): queued sends go out from now on, in order. */
  public void linked() {
    if (state == State.JOINING) state = State.LINKED;
    flush();
  }

  /**
   * Every peer present at the join is known: reports {@code onOpen}, delivers the {@code welcome}
   * listing them, then the messages that arrived meanwhile, and sends what is queued.
   */
  public void settled() {
    if (state != State.JOINING && state != State.LINKED) return;
    state = State.OPEN;
    peers = settlingPeers;
    loop.opened();
    loop.message(EnvelopeCodec.encode(new Envelope.Welcome(Ids.newId(), room, self, List.copyOf(peers), List.of())));
    for (String text : held) loop.message(text);
    held.clear();
    flush();
  }

  /** The link dropped: nothing goes out until {@link #linked()}. */
  public void down() {
    if (state != State.CLOSED) state = State.DOWN;
  }

  /**
   * Closing: later sends are ignored and what is still queued is handed to {@code last} (a wire that
   * publishes while the link quiesces; {@code null} drops them). Returns {@code false} if {@code last}
   * refused one.
   *
   * @param last the wire for what is still queued, or {@code null} to drop it
   * @return {@code true} when everything queued was handed over (or dropped); {@code false} when {@code
   *     last} refused one: that one is lost and the rest stays queued
   */
  public boolean close(Wire last) {
    state = State.CLOSED;
    if (last == null) {
      loop.dequeued(queue.size());
      queue.clear();
    }
    while (!queue.isEmpty()) {
      loop.dequeued(1);
      if (!write(last, queue.poll())) return false;
    }
    return true;
  }

  /**
   * Whether the room is open: {@link #settled()} came after the last {@link #connecting()}, and neither
   * {@link #down()} nor {@link #close} since.
   *
   * @return {@code true} while open
   */
  public boolean isOpen() {
    return state == State.OPEN;
  }

  /**
   * True when a {@code leave} cleared this peer's presence and no {@code join} came after it.
   *
   * @return whether this peer has left the room by a {@code leave} sent through it
   */
  public boolean hasLeft() {
    return left;
  }

  /**
   * Sends not yet handed to the wire.
   *
   * @return how many routed messages and presence changes wait
   */
  public int queued() {
    return queue.size();
  }

  // ---------------------------------------------------------------- incoming

  /**
   * A presence change of {@code peer} (own presence is ignored: the transport handles its echo).
   * Taken as a retained copy, not a live one: see {@link #presence(String, boolean, boolean)}.
   *
   * @param peer the peer's id, from the presence topic
   * @param online {@code true} when it is in the room, {@code false} when it left
   */
  public void presence(String peer, boolean online) {
    presence(peer, online, false);
  }

  /**
   * As {@link #presence(String, boolean)}; {@code live} says it was published just now (not a
   * retained copy). A live announcement from a peer new to this room makes this peer announce itself
   * again: a broker may take a subscription and a retained publish from two clients at once and give
   * the newcomer neither the retained copy nor the live one (two peers joining an embedded Moquette
   * 0.17 a moment apart: only one saw the other). Peers already here ignore the duplicate. Best effort: a wire that refuses it
   * now has carried this peer's presence before.
   *
   * <p>While joining, the change updates the set the {@code welcome} will list; once open, a peer new to
   * the room is delivered as {@code peer-joined} and a known peer that left as {@code peer-left}. Ignored
   * while down or closed.
   *
   * @param peer the peer's id, from the presence topic
   * @param online {@code true} when it is in the room, {@code false} when it left
   * @param live {@code true} for a presence published just now, {@code false} for a retained copy
   */
  public void presence(String peer, boolean online, boolean live) {
    if (peer.equals(self) || state == State.CLOSED || state == State.DOWN) return;
    boolean isNew;
    if (state != State.OPEN) {
      isNew = online && settlingPeers.add(peer);
      if (!online) settlingPeers.remove(peer);
    } else {
      isNew = online && peers.add(peer);
      if (isNew) {
        loop.message(EnvelopeCodec.encode(new Envelope.PeerJoined(Ids.newId(), room, peer)));
      } else if (!online && peers.remove(peer)) {
        loop.message(EnvelopeCodec.encode(new Envelope.PeerLeft(Ids.newId(), room, peer)));
      }
    }
    if (isNew && live && !left && state != State.JOINING) wire.announce(true);
  }

  /**
   * The full set of peers present now, for brokers that can list them: peers not in it have left,
   * peers in it are there (during the join this replaces what was collected).
   *
   * @param now the ids of the peers in the room (this peer's own id is ignored)
   */
  public void present(Set<String> now) {
    if (state == State.JOINING || state == State.LINKED) {
      settlingPeers = new LinkedHashSet<>(now);
      settlingPeers.remove(self);
    } else if (state == State.OPEN) {
      for (String p : List.copyOf(peers)) if (!now.contains(p)) presence(p, false);
      for (String p : now) presence(p, true);
    }
  }

  /**
   * One envelope from {@code from}'s channel to this peer's inbox: decoded, checked to be a routed
   * type, dropped if its ({@code from}, {@code id}) was seen, stamped with {@code from} and this room,
   * and delivered (or held until {@link #settled()}). Text that does not decode, or is not an {@code
   * offer}, {@code answer}, {@code candidate} or {@code bye}, is logged and dropped. Ignored while down
   * or closed.
   *
   * @param from the sender's peer id, from the broker's channel (the topic), never from the payload
   * @param text the envelope's JSON text as received
   */
  public void message(String from, String text) {
    if (state == State.CLOSED || state == State.DOWN) return;
    Envelope e;
    try {
      e = EnvelopeCodec.decode(text);
    } catch (EnvelopeException ex) {
      log.warn("{}: dropped a message from {}: {}", description, from, ex.getMessage());
      return;
    }
    if (!(e instanceof Envelope.Routed routed)) {
      log.warn("{}: dropped a '{}' from {}: peers may only send offer, answer, candidate, bye",
          description, e.type(), from);
      return;
    }
    if (!recent.firstSeen(from + "/" + e.id())) return; // at-least-once redelivery
    if (log.isTraceEnabled()) log.trace("{}: got {} {} from {}", description, e.type(), e.id(), from);
    String trusted = EnvelopeCodec.encode(routed.withSender(room, from));
    if (state != State.OPEN) held.add(trusted); else loop.message(trusted);
  }

  // ---------------------------------------------------------------- outgoing

  /**
   * One envelope from the app: a routed one is queued for its {@code to}, {@code leave} clears this
   * peer's presence, {@code join} restores it; anything else, or a bad {@code to}, is answered with
   * an {@code error} envelope and the link stays. {@code text} was counted into the outbox bound
   * with {@link TransportLoop#enqueue}: it stays counted while queued here.
   *
   * @param text the envelope's JSON text from {@code SignalingTransport.send}
   */
  public void send(String text) {
    if (state == State.CLOSED) {
      loop.dequeued(1);
      return;
    }
    Envelope e;
    try {
      e = EnvelopeCodec.decode(text);
    } catch (EnvelopeException ex) {
      reject(ex.code(), ex.getMessage(), ex.ref());
      return;
    }
    if (e instanceof Envelope.Routed routed) {
      String to = routed.to(); // present and a valid name: the codec refused anything else (bad-name)
      if (log.isTraceEnabled()) log.trace("{}: send {} {} to {}", description, e.type(), e.id(), to);
      queue.add(new Outgoing(to, EnvelopeCodec.encode(routed.withSender(room, self)), false));
    } else if (e instanceof Envelope.Leave) {
      left = true;
      queue.add(new Outgoing(null, null, false));
    } else if (e instanceof Envelope.Join) {
      if (!left) {
        loop.dequeued(1);
        return;
      }
      left = false;
      queue.add(new Outgoing(null, null, true));
    } else {
      reject(ErrorCode.UNKNOWN_TYPE, "peers do not send '" + e.type() + "' through a broker", e.id());
      return;
    }
    flush();
  }

  /** Hands queued sends to the wire while linked, until it refuses one. Call when it can take more. */
  public void flush() {
    while (!queue.isEmpty() && (state == State.LINKED || state == State.OPEN)) {
      if (!write(wire, queue.peek())) return;
      queue.poll();
      loop.dequeued(1);
    }
  }

  private static boolean write(Wire w, Outgoing m) {
    return m.presence() ? w.announce(m.online()) : w.publish(m.to(), m.text());
  }

  private void reject(ErrorCode code, String message, String ref) {
    loop.dequeued(1);
    log.warn("{}: refused a send: {}", description, message);
    loop.message(EnvelopeCodec.encode(new Envelope.Error(Ids.newId(), room, self, code, message, ref)));
  }
}
