package dev.simplecall.server;

import dev.simplecall.protocol.CloseCodes;
import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.protocol.EnvelopeException;
import dev.simplecall.protocol.ErrorCode;
import dev.simplecall.protocol.Ids;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection on {@code /v1/ws}. Jetty calls the listener methods one at a time per
 * connection; {@link #deliver} is called by the hub from any thread, and sends are issued under this
 * object's lock so frames leave in the order they were delivered.
 *
 * <p>Lock order is hub, then this object. Nothing that holds this object's lock may take the hub's:
 * Jetty callbacks that lead to the hub ({@code onWebSocketClose}, {@code onWebSocketError}, dropping a
 * slow peer) run on the server's timer thread.
 *
 * <p>Not API: public only because Jetty invokes listener methods through a public lookup; it has no
 * public constructor.
 */
public final class WsPeer implements Session.Listener.AutoDemanding, PeerConnection {
  private static final Logger log = LoggerFactory.getLogger(WsPeer.class);
  /**
   * More queued-but-unsent text than this (in chars) means the peer stopped reading: it is disconnected.
   * Signaling is small; no working peer gets near it.
   */
  static final long MAX_PENDING_CHARS = 4L * 1024 * 1024;

  private final ServerContext context;
  private final WebSocketEndpoint endpoint;
  private final TokenBucket bucket;
  private final String address; // ClientAddress key of the upgrade request's remote address; null: not counted
  private volatile Session session;
  private volatile Member member; // set on Jetty's callback thread; cleared by replaced() from the hub
  // When any frame (text, binary, ping, pong) last came in: the peer is alive.
  private volatile long lastHeardNanos = System.nanoTime();
  // When a frame the peer sent unasked (text, binary, ping) last came in: it needs no ping from us.
  private volatile long lastUnaskedNanos = System.nanoTime() - TimeUnit.DAYS.toNanos(1); // never yet
  // When the connection was last seen to be out of any room (0: in one): the upgrade, then a leave.
  private volatile long outOfRoomSince = System.nanoTime();
  private int pendingSends; // guarded by this
  private long pendingChars; // guarded by this
  private boolean closing; // guarded by this

  WsPeer(ServerContext context, WebSocketEndpoint endpoint, String address) {
    this.context = context;
    this.endpoint = endpoint;
    this.address = address;
    this.bucket = context.newBucket();
  }

  @Override
  public void onWebSocketOpen(Session session) {
    this.session = session;
    endpoint.opened(this);
  }

  @Override
  public void onWebSocketText(String text) {
    heardUnasked();
    boolean wasInRoom = inRoom();
    try {
      handle(text);
    } finally {
      if (wasInRoom && !inRoom()) outOfRoomSince = System.nanoTime(); // left: the join timeout starts again
    }
  }

  private void handle(String text) {
    if (!bucket.tryTake(1)) {
      sendError(null, ErrorCode.RATE_LIMITED, "too many messages; slow down", null);
      return;
    }
    Envelope envelope;
    try {
      envelope = EnvelopeCodec.decode(text);
    } catch (EnvelopeException e) {
      sendError(null, e.code(), e.getMessage(), e.ref());
      return;
    }
    if (envelope instanceof Envelope.Join join) {
      Member current = member;
      if (current != null && current.active() && current.room().equals(join.room())
          && current.peer().equals(join.from())) {
        // A repeated join is harmless; with a fresh token it is how a peer outlives its first token.
        Envelope.Error refused = context.refresh(current, join, join.token());
        if (refused != null) deliver(refused);
        return;
      }
      if (current != null) context.hub().leave(current); // a connection is in one room at a time
      SignalingHub.JoinResult result = context.join(join, join.token(), this, address);
      Member joined = result.member();
      member = joined;
      if (result.error() != null) deliver(result.error());
      if (joined != null) context.watchExpiry(joined, () -> tokenExpired(joined));
      return;
    }
    Member current = member;
    if (current == null) {
      sendError(envelope, ErrorCode.NOT_JOINED, "send join first", envelope.id());
      return;
    }
    context.hub().route(current, envelope);
  }

  /**
   * Envelopes are JSON text: a binary frame (up to the 1 KiB binary limit; larger ones close the socket
   * with 1009) is answered {@code bad-json}, like any other message that is not an envelope, and costs a
   * rate-limit token like one. Without this Jetty dropped binary frames of any size unanswered.
   */
  @Override
  public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
    heardUnasked();
    callback.succeed();
    if (!bucket.tryTake(1)) {
      sendError(null, ErrorCode.RATE_LIMITED, "too many messages; slow down", null);
      return;
    }
    sendError(null, ErrorCode.BAD_JSON, "binary frames are not envelopes: send JSON text frames", null);
  }

  private void sendError(Envelope cause, ErrorCode code, String message, String ref) {
    Member m = member;
    String room = m != null ? m.room() : cause != null && !cause.room().isEmpty() ? cause.room() : null;
    deliver(new Envelope.Error(Ids.newId(), room, m != null ? m.peer() : null, code, message, ref));
  }

  @Override
  public void onWebSocketPong(ByteBuffer payload) {
    lastHeardNanos = System.nanoTime();
  }

  /**
   * A client's keepalive (the SDK pings every 5 s): answered with a pong, as Jetty does for listeners
   * that do not take pings, and counted as hearing from the peer, so the server's own ping can skip it.
   */
  @Override
  public void onWebSocketPing(ByteBuffer payload) {
    heardUnasked();
    Session s = session;
    if (s != null) s.sendPong(payload, Callback.NOOP);
  }

  // Jetty may call these synchronously from inside sendText()/close() while this object's lock is held,
  // and gone() takes the hub's lock: handing it to the timer thread keeps the lock order hub -> peer.
  @Override
  public void onWebSocketClose(int statusCode, String reason) {
    endpoint.later(this::gone);
  }

  @Override
  public void onWebSocketError(Throwable cause) {
    log.debug("websocket error on {}: {}", member, cause.toString());
    endpoint.later(this::gone);
  }

  private void gone() {
    Member m = member;
    if (m != null) context.hub().leave(m);
    endpoint.closed(this);
  }

  @Override
  public void deliver(Envelope envelope) {
    send(EnvelopeCodec.encode(envelope));
  }

  private synchronized void send(String text) {
    Session s = session;
    if (s == null || closing || !s.isOpen()) return;
    if (pendingChars + text.length() > MAX_PENDING_CHARS) {
      log.warn("dropping {}: {} frames ({} chars) unsent, peer stopped reading", member, pendingSends, pendingChars);
      closing = true;
      // Not from here: deliver() may run inside the hub's broadcast loop, and leaving would modify the room.
      endpoint.later(this::dropSlowPeer);
      return;
    }
    pendingSends++;
    pendingChars += text.length();
    int size = text.length();
    s.sendText(text, Callback.from(() -> sendDone(size), failure -> sendDone(size)));
  }

  private synchronized void sendDone(int size) {
    pendingSends--;
    pendingChars -= size;
  }

  private void dropSlowPeer() {
    Session s = session;
    if (s != null) s.disconnect(); // a close frame would wait behind everything unsent
    gone();
  }

  /** On the timer thread: the member's token expired and was not refreshed. */
  private void tokenExpired(Member m) {
    if (member != m) return;
    deliver(ServerContext.tokenExpired(m));
    member = null;
    context.hub().leave(m);
    close(CloseCodes.TOKEN_EXPIRED, "token expired");
  }

  @Override
  public void replaced() {
    member = null;
    close(CloseCodes.REPLACED, "replaced by a newer connection with the same identity");
  }

  /** Sends a close frame after anything already queued. */
  synchronized void close(int code, String reason) {
    Session s = session;
    if (s == null || closing) return;
    closing = true;
    s.close(code, reason, Callback.NOOP);
  }

  /**
   * Called by the endpoint's join check on the timer: a connection that has been out of any room for
   * {@code timeoutNanos} (never joined, refused, or left) hears {@code not-joined} and is closed with
   * {@link CloseCodes#JOIN_TIMEOUT}. Returns whether it was.
   */
  boolean closeIfOutOfRoom(long now, long timeoutNanos, String why) {
    if (inRoom()) {
      outOfRoomSince = 0;
      return false;
    }
    long since = outOfRoomSince;
    if (since == 0) { // out of the room other than by its own message (replaced, expired: closing anyway)
      outOfRoomSince = now;
      return false;
    }
    Session s = session;
    if (s == null || !s.isOpen() || now - since < timeoutNanos) return false;
    synchronized (this) {
      if (closing) return false; // already on its way out
      sendError(null, ErrorCode.NOT_JOINED, why + ": closing", null);
      close(CloseCodes.JOIN_TIMEOUT, why);
      return true;
    }
  }

  private void heardUnasked() {
    long now = System.nanoTime();
    lastHeardNanos = now;
    lastUnaskedNanos = now;
  }

  /**
   * Called by the endpoint's ping timer: drops the connection when nothing came in (no pong, no frame)
   * for {@code deadAfterNanos}; else pings it, unless it sent a frame of its own (a message or its own
   * ping) within the last {@code everyNanos}.
   */
  void pingOrDrop(long now, long everyNanos, long deadAfterNanos) {
    Session s = session;
    if (s == null || !s.isOpen()) return;
    long heard = lastHeardNanos;
    if (now - heard > deadAfterNanos) {
      log.info("nothing from {} for {} ms (no pong): dropping", member, (now - heard) / 1_000_000);
      s.disconnect();
      gone();
      return;
    }
    if (now - lastUnaskedNanos >= everyNanos) s.sendPing(ByteBuffer.allocate(0), Callback.NOOP);
  }

  boolean flushed() {
    synchronized (this) {
      return pendingSends == 0;
    }
  }

  Member member() {
    return member;
  }

  private boolean inRoom() {
    Member m = member;
    return m != null && m.active();
  }

  /** The {@link ClientAddress} key of the upgrade request, {@code null} when not counted. */
  String address() {
    return address;
  }
}
