package dev.simplecall.internal;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.protocol.IceServerInfo;
import dev.simplecall.protocol.Ids;
import dev.simplecall.spi.SignalingTransport;
import dev.simplecall.spi.SignalingTransportFactory;
import dev.simplecall.spi.TransportCapabilities;
import dev.simplecall.spi.TransportOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The signaling one connection of a room sees: a transport over the room's own, limited to one other
 * member. Its session is welcomed into a room of two (itself and that member, with the room's ICE
 * servers); what it sends goes out on the room's transport as it is (each envelope names the member);
 * the room hands it what that member sends, and that member's joins and departures. Messages handed
 * to it before its session has made the transport wait and are delivered after the welcome.
 */
final class PairSignaling implements SignalingTransport {
  private final String room;
  private final String self;
  private final String remote;
  private final Supplier<List<IceServerInfo>> iceServers;
  private final Function<String, Boolean> roomSend;
  private final TransportCapabilities capabilities;
  // guarded by this
  private SignalingTransport.Listener listener;
  private final List<String> waiting = new ArrayList<>();
  private boolean closed;

  PairSignaling(String room, String self, String remote, Supplier<List<IceServerInfo>> iceServers,
      Function<String, Boolean> roomSend, TransportCapabilities capabilities) {
    this.room = room;
    this.self = self;
    this.remote = remote;
    this.iceServers = iceServers;
    this.roomSend = roomSend;
    this.capabilities = capabilities;
  }

  /** The factory the connection's session makes this transport with (once). */
  SignalingTransportFactory factory() {
    return new SignalingTransportFactory() {
      @Override
      public Set<String> schemes() {
        return Set.of();
      }

      @Override
      public SignalingTransport create(URI endpoint, TransportOptions options, SignalingTransport.Listener l) {
        attach(l);
        return PairSignaling.this;
      }

      @Override
      public TransportCapabilities capabilities() {
        return capabilities;
      }
    };
  }

  /**
   * The session made its transport: it is opened and welcomed, then gets what waited. Under the lock,
   * so nothing handed over meanwhile overtakes the welcome (the listener only posts to the session's
   * thread, so calling it under the lock cannot block).
   */
  private synchronized void attach(SignalingTransport.Listener l) {
    listener = l;
    l.onOpen(this);
    l.onMessage(this, EnvelopeCodec.encode(new Envelope.Welcome(Ids.newId(), room, self, List.of(self, remote),
        iceServers.get())));
    for (String text : waiting) l.onMessage(this, text);
    waiting.clear();
  }

  /** What the member sent, or a room event about it, as envelope text. */
  synchronized void deliver(String text) {
    if (closed) return;
    if (listener == null) waiting.add(text);
    else listener.onMessage(this, text);
  }

  void memberJoined() {
    deliver(EnvelopeCodec.encode(new Envelope.PeerJoined(Ids.newId(), room, remote)));
  }

  void memberLeft() {
    deliver(EnvelopeCodec.encode(new Envelope.PeerLeft(Ids.newId(), room, remote)));
  }

  /** The room's transport lost its connection and is reconnecting. */
  void roomReconnecting(Throwable cause) {
    SignalingTransport.Listener l = attached();
    if (l != null) l.onReconnecting(this, cause);
  }

  /** The room's transport is back. */
  void roomOpen() {
    SignalingTransport.Listener l = attached();
    if (l != null) l.onOpen(this);
  }

  private synchronized SignalingTransport.Listener attached() {
    return closed ? null : listener;
  }

  @Override
  public boolean send(String text) {
    synchronized (this) {
      if (closed) return false;
    }
    return roomSend.apply(text);
  }

  /** The session has ended: nothing more goes either way. The room's transport stays open. */
  @Override
  public void close() {
    SignalingTransport.Listener l;
    synchronized (this) {
      if (closed) return;
      closed = true;
      l = listener;
      waiting.clear();
    }
    if (l != null) l.onClosed(this);
  }
}
