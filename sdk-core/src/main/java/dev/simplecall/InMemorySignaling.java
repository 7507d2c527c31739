package dev.simplecall;

import dev.simplecall.internal.NamedThreads;
import dev.simplecall.internal.SerialExecutor;
import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.protocol.EnvelopeException;
import dev.simplecall.protocol.ErrorCode;
import dev.simplecall.protocol.Ids;
import dev.simplecall.spi.SignalingTransport;
import dev.simplecall.spi.SignalingTransportFactory;
import dev.simplecall.spi.TransportOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A signaling hub inside the JVM, for apps that run both ends in one process, and for tests. It
 * keeps the server's envelope v1 semantics: {@code join -> welcome} with the peers already present,
 * {@code peer-joined}/{@code peer-left} to the others, routing by {@code to} within a room, {@code
 * from} overwritten with the joined peer id, and {@code error} envelopes for bad input. The URI is
 * {@code memory://anything}; rooms come from the session options.
 *
 * <pre>{@code
 * InMemorySignaling hub = new InMemorySignaling();
 * CallClient client = CallClient.builder().addTransportFactory(hub.transportFactory()).build();
 * SessionOptions alice = SessionOptions.builder()
 *     .signaling(URI.create("memory://demo")).room("r1").peerId("alice").build();
 * }</pre>
 */
public final class InMemorySignaling {
  private static final Logger log = LoggerFactory.getLogger(InMemorySignaling.class);

  /** Delivery threads; each link is serialised on top of them. Daemon, so they never block exit. */
  private static final ExecutorService DELIVERY = Executors.newCachedThreadPool(NamedThreads.daemon("simplecall-memory-hub"));

  /** room -> peer -> link; guarded by {@code this}. */
  private final Map<String, Map<String, Link>> rooms = new HashMap<>();

  /**
   * The factory for {@code memory://} URIs, bound to this hub.
   *
   * @return a new factory on every call; all of them deliver through this hub. Give it to {@link
   *     CallClient.Builder#addTransportFactory}
   */
  public SignalingTransportFactory transportFactory() {
    return new SignalingTransportFactory() {
      @Override
      public Set<String> schemes() {
        return Set.of("memory");
      }

      @Override
      public SignalingTransport create(URI endpoint, TransportOptions options, SignalingTransport.Listener listener) {
        Objects.requireNonNull(options, "options == null");
        Objects.requireNonNull(listener, "listener == null");
        Link link = new Link(options, listener);
        link.deliver(() -> listener.onOpen(link));
        link.handle(EnvelopeCodec.encode(new Envelope.Join(Ids.newId(), options.room(), options.peerId(), options.token())));
        return link;
      }

      @Override
      public String toString() {
        return "InMemorySignaling.transportFactory";
      }
    };
  }

  /**
   * Drops {@code peerId}'s link silently, as a peer whose process or network vanished; the others get {@code
   * peer-left}. The dropped session hears nothing: its messages are accepted and go nowhere.
   *
   * @param peerId the peer to drop, in every room it has joined; an unknown id does nothing
   */
  public void disconnect(String peerId) {
    List<Link> links = new ArrayList<>();
    synchronized (this) {
      for (Map<String, Link> room : rooms.values()) {
        Link l = room.get(peerId);
        if (l != null) links.add(l);
      }
    }
    for (Link l : links) {
      l.dead = true;
      leave(l);
    }
  }

  /**
   * Delivers {@code rawText} to {@code peerId} as if the hub had sent it; returns false if not connected.
   *
   * @param peerId the joined peer to deliver to
   * @param rawText the message as it would arrive on the wire, delivered unchecked (garbage included)
   * @return {@code true} when it was queued for delivery; {@code false} when no peer of that id is joined
   */
  public boolean inject(String peerId, String rawText) {
    Link target = null;
    synchronized (this) {
      for (Map<String, Link> room : rooms.values()) {
        Link l = room.get(peerId);
        if (l != null) target = l;
      }
    }
    if (target == null) return false;
    target.deliverText(rawText);
    return true;
  }

  /**
   * Peers currently joined to {@code room}.
   *
   * @param room the room's name
   * @return a copy of the room's peer ids; empty for a room nobody is in
   */
  public synchronized Set<String> peers(String room) {
    Map<String, Link> r = rooms.get(room);
    return r == null ? Set.of() : Set.copyOf(r.keySet());
  }

  private void join(Link link, Envelope.Join join) {
    List<Link> others;
    List<String> peers;
    Link replaced;
    synchronized (this) {
      Map<String, Link> room = rooms.computeIfAbsent(link.room, k -> new LinkedHashMap<>());
      replaced = room.put(link.peerId, link);
      peers = new ArrayList<>(room.keySet());
      peers.remove(link.peerId);
      others = new ArrayList<>(room.values());
      others.remove(link);
      link.joined = true;
    }
    if (replaced != null && replaced != link) replaced.dead = true; // same peer id joined again: newest wins
    link.deliverEnvelope(new Envelope.Welcome(Ids.newId(), link.room, link.peerId, peers, List.of()));
    if (replaced == null) {
      for (Link o : others) o.deliverEnvelope(new Envelope.PeerJoined(Ids.newId(), link.room, link.peerId));
    }
  }

  private void leave(Link link) {
    List<Link> others;
    synchronized (this) {
      Map<String, Link> room = rooms.get(link.room);
      if (room == null || room.get(link.peerId) != link) return;
      room.remove(link.peerId);
      if (room.isEmpty()) rooms.remove(link.room);
      others = new ArrayList<>(room.values());
    }
    for (Link o : others) o.deliverEnvelope(new Envelope.PeerLeft(Ids.newId(), link.room, link.peerId));
  }

  private void route(Link from, Envelope.Routed msg) {
    Link to;
    synchronized (this) {
      Map<String, Link> room = rooms.get(from.room);
      to = room == null || msg.to() == null ? null : room.get(msg.to());
    }
    if (to == null) {
      from.deliverEnvelope(new Envelope.Error(Ids.newId(), from.room, from.peerId, ErrorCode.NO_SUCH_PEER,
          "no peer " + msg.to() + " in room " + from.room, msg.id()));
      return;
    }
    to.deliverEnvelope(msg.withSender(from.room, from.peerId));
  }

  /** One peer's connection to the hub. Deliveries to its listener are serialised. */
  private final class Link implements SignalingTransport {
    final String room;
    final String peerId;
    final SignalingTransport.Listener listener;
    final SerialExecutor out = new SerialExecutor(DELIVERY);
    volatile boolean closed;
    volatile boolean dead;
    volatile boolean joined;

    Link(TransportOptions options, SignalingTransport.Listener listener) {
      this.room = options.room();
      this.peerId = options.peerId();
      this.listener = listener;
    }

    @Override
    public boolean send(String text) {
      if (closed) return false;
      if (dead) return true; // a vanished link: the sender cannot tell its messages go nowhere
      handle(text);
      return true;
    }

    /** Server side of the link: what the hub does with one message from this peer. */
    void handle(String text) {
      Envelope e;
      try {
        e = EnvelopeCodec.decode(text);
      } catch (EnvelopeException ex) {
        deliverEnvelope(new Envelope.Error(Ids.newId(), room, peerId, ex.code(), ex.getMessage(), ex.ref()));
        return;
      }
      if (e instanceof Envelope.Join j) {
        join(this, j);
      } else if (!joined) {
        deliverEnvelope(new Envelope.Error(Ids.newId(), room, peerId, ErrorCode.NOT_JOINED, "join first", e.id()));
      } else if (e instanceof Envelope.Leave) {
        leave(this);
        joined = false;
      } else if (e instanceof Envelope.Routed r) {
        route(this, r);
      } else {
        deliverEnvelope(new Envelope.Error(Ids.newId(), room, peerId, ErrorCode.UNKNOWN_TYPE,
            "clients may not send " + e.type(), e.id()));
      }
    }

    void deliverEnvelope(Envelope e) {
      deliverText(EnvelopeCodec.encode(e));
    }

    void deliverText(String text) {
      deliver(() -> listener.onMessage(this, text));
    }

    void deliver(Runnable r) {
      out.execute(() -> {
        if (closed || dead) return;
        try {
          r.run();
        } catch (Throwable t) {
          log.warn("transport listener of {} threw", peerId, t);
        }
      });
    }

    @Override
    public void close() {
      if (closed) return;
      if (!dead && joined) leave(this);
      closed = true;
      out.execute(() -> {
        try {
          listener.onClosed(this);
        } catch (Throwable t) {
          log.warn("transport listener of {} threw", peerId, t);
        }
      });
    }

    @Override
    public String toString() {
      return "memory:" + room + "/" + peerId;
    }
  }
}
