package dev.simplecall.internal;

import dev.simplecall.CallException;
import dev.simplecall.EndReason;
import dev.simplecall.IceServer;
import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.protocol.EnvelopeException;
import dev.simplecall.protocol.IceServerInfo;
import dev.simplecall.protocol.Uris;
import dev.simplecall.spi.SignalingTransport;
import dev.simplecall.spi.SignalingTransportFactory;
import dev.simplecall.spi.TransportException;
import dev.simplecall.spi.TransportOptions;
import dev.simplecall.spi.support.RecentIds;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session's place in its room: it opens the transport, follows its state (reconnecting, back,
 * gone), decodes and de-duplicates what arrives, keeps the room's membership from {@code welcome},
 * {@code peer-joined} and {@code peer-left}, and hands everything about calls to the
 * {@link CallController}. Transport callbacks are posted to the session thread; the rest runs there.
 */
final class RoomLink implements SignalingTransport.Listener {
  private static final Logger log = LoggerFactory.getLogger(RoomLink.class);

  /** The other peers in the room; read by the app from any thread. */
  final Set<String> peers = ConcurrentHashMap.newKeySet();
  private final SessionCore core;
  private final CallController call;
  private final RecentIds recentIds = new RecentIds(2048);
  private boolean joined;
  private boolean reconnecting;

  RoomLink(SessionCore core, CallController call) {
    this.core = core;
    this.call = call;
  }

  /** Opens the transport; a factory that cannot use the URI ends the session {@code SIGNALING_FAILED}. */
  boolean connect(SignalingTransportFactory factory) {
    core.progress("joining " + core.room() + " via " + Uris.redact(core.options.signaling()));
    TransportOptions topts = TransportOptions.builder().room(core.room()).peerId(core.peerId())
        .token(core.options.token()).build();
    try {
      core.transport = factory.create(core.options.signaling(), topts, this);
      return true;
    } catch (RuntimeException e) {
      call.end(EndReason.SIGNALING_FAILED, new CallException("cannot create transport for "
          + Uris.redact(core.options.signaling()) + ": " + e.getMessage(), e), null);
      return false;
    }
  }

  /** A welcome has come: calls can be placed. */
  boolean joined() {
    return joined;
  }

  // ---- the transport's callbacks (any thread)

  @Override
  public void onOpen(SignalingTransport t) {
    core.run(() -> {
      if (reconnecting) {
        reconnecting = false;
        core.emit(l -> l.onSignalingReconnected(core.session));
      }
    });
  }

  @Override
  public void onMessage(SignalingTransport t, String text) {
    core.run(() -> onSignal(text));
  }

  /** True from the transport's {@code onReconnecting} until it is open again. Session thread. */
  boolean reconnecting() {
    return reconnecting;
  }

  @Override
  public void onReconnecting(SignalingTransport t, Throwable cause) {
    core.run(() -> {
      // joined stays as it was: the transport re-joins by itself and queues sends meanwhile, and a
      // resumed long-poll session reports onOpen with no new welcome
      reconnecting = true;
      core.progress("signaling lost; reconnecting");
      core.emit(l -> l.onSignalingReconnecting(core.session));
    });
  }

  @Override
  public void onClosed(SignalingTransport t) {
    core.run(() -> call.end(EndReason.SIGNALING_FAILED, new CallException("signaling closed"), null));
  }

  @Override
  public void onFailure(SignalingTransport t, TransportException error) {
    core.run(() -> call.end(EndReason.SIGNALING_FAILED,
        new CallException("signaling failed: " + error.getMessage(), error), null));
  }

  // ---- on the session thread

  private void onSignal(String text) {
    if (core.ended) return;
    Envelope e;
    try {
      e = EnvelopeCodec.decode(text);
    } catch (EnvelopeException ex) {
      String shown = text == null ? "null" : text.length() > 120 ? text.substring(0, 120) + "..." : text;
      log.warn("{}: dropping a garbled signaling message ({}): {}", core.peerId(), ex.getMessage(), shown);
      return;
    }
    if (!recentIds.firstSeen(e.from() + "/" + e.id())) { // ids are each sender's own
      log.debug("{}: dropping duplicate {} {}", core.peerId(), e.type(), e.id());
      return;
    }
    if (e.from() != null) call.heardFrom(e.from());
    if (e instanceof Envelope.Welcome w) onWelcome(w);
    else if (e instanceof Envelope.PeerJoined pj) onPeerJoined(pj.peer());
    else if (e instanceof Envelope.PeerLeft pl) onPeerLeft(pl.peer());
    else if (e instanceof Envelope.Offer o) call.onOffer(o);
    else if (e instanceof Envelope.Answer a) call.onAnswer(a);
    else if (e instanceof Envelope.Candidate c) call.onCandidate(c);
    else if (e instanceof Envelope.Bye b) call.onBye(b);
    else if (e instanceof Envelope.Error err) call.onError(err);
    else log.debug("{}: ignoring {}", core.peerId(), e.type());
  }

  private void onWelcome(Envelope.Welcome w) {
    joined = true;
    List<IceServer> servers = new ArrayList<>();
    for (IceServerInfo info : w.iceServers()) {
      servers.add(IceServer.builder().urls(info.urls()).username(info.username()).credential(info.credential()).build());
    }
    call.turnServers(servers); // a re-join mid-call brings new credentials
    peers.clear();
    for (String p : w.peers()) if (!p.equals(core.peerId())) peers.add(p);
    Set<String> now = Set.copyOf(peers);
    core.progress("joined " + core.room() + " with " + now.size() + " other peer(s)");
    core.emit(l -> l.onJoined(core.session, now));
    String remote = call.remotePeer;
    if (remote != null && !peers.contains(remote)) onPeerLeft(remote); // it left while we were away
    call.joinedRoom();
  }

  private void onPeerJoined(String p) {
    if (p.equals(core.peerId())) return;
    peers.add(p);
    call.peerBack(p);
    core.emit(l -> l.onPeerJoined(core.session, p));
  }

  private void onPeerLeft(String p) {
    peers.remove(p);
    core.emit(l -> l.onPeerLeft(core.session, p));
    call.peerLeft(p);
  }
}
