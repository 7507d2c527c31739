package dev.simplecall.transport.websocket;

import dev.simplecall.protocol.CloseCodes;
import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.protocol.EnvelopeException;
import dev.simplecall.protocol.ErrorCode;
import dev.simplecall.protocol.Ids;
import dev.simplecall.spi.SignalingTransport;
import dev.simplecall.spi.TransportException;
import dev.simplecall.spi.TransportOptions;
import dev.simplecall.spi.support.TlsFailures;
import dev.simplecall.spi.support.TransportLoop;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One peer's WebSocket link to the signaling server. Every (re)connect sends {@code join}; the
 * server's {@code welcome} makes the link open, and only then are queued messages written, in order.
 * All mutable state is confined to {@link #loop}; OkHttp's callbacks are posted there and carry
 * the socket they are about, so events of an abandoned socket are ignored.
 */
final class WebSocketTransport implements SignalingTransport {
  private static final Logger log = LoggerFactory.getLogger(WebSocketTransport.class);

  private final OkHttpClient client;
  private final Request request;
  private final TransportOptions options;
  private final TransportLoop loop;
  private volatile boolean closing;

  // Only touched on the loop.
  private final ArrayDeque<String> pending = new ArrayDeque<>();
  private WebSocket socket; // the current attempt, or the open link
  private boolean joined;
  private String joinId;
  private ScheduledFuture<?> attemptTimeout;
  private ScheduledFuture<?> retry;

  WebSocketTransport(OkHttpClient client, Request request, TransportOptions options, Listener listener) {
    this.client = client;
    this.request = request;
    this.options = options;
    this.loop = new TransportLoop("simplecall-ws-" + options.peerId(), this, listener, options, this::cancelIo);
    loop.execute(this::connect);
  }

  @Override
  public boolean send(String text) {
    Objects.requireNonNull(text, "text == null");
    if (closing || loop.isTerminated()) return false;
    return loop.enqueue(
        () -> {
          pending.add(text);
          if (joined) flush();
        });
  }

  @Override
  public void close() {
    closing = true;
    loop.execute(
        () -> {
          if (joined) {
            flush();
            socket.send(EnvelopeCodec.encode(new Envelope.Leave(Ids.newId(), options.room(), options.peerId())));
            socket.close(1000, "bye"); // OkHttp writes what is queued, then the close frame
            socket = null;
          }
          loop.closed();
        });
  }

  private void connect() {
    retry = null;
    joined = false;
    WebSocket ws = client.newWebSocket(request, new Handler());
    socket = ws;
    attemptTimeout =
        loop.schedule(
            () -> {
              if (socket == ws && !joined) {
                linkLost(ws, new SocketTimeoutException("no welcome within " + options.connectTimeout()));
              }
            },
            options.connectTimeout());
  }

  private void flush() {
    while (!pending.isEmpty()) {
      if (!socket.send(pending.peek())) return; // socket going down: keep it for the next link
      pending.poll();
      loop.dequeued(1);
    }
  }

  private void opened(WebSocket ws) {
    if (ws != socket) return;
    joinId = Ids.newId();
    ws.send(EnvelopeCodec.encode(new Envelope.Join(joinId, options.room(), options.peerId(), options.token())));
  }

  private void received(WebSocket ws, String text) {
    if (ws != socket) return;
    if (joined) {
      loop.message(text);
      return;
    }
    Envelope e;
    try {
      e = EnvelopeCodec.decode(text);
    } catch (EnvelopeException ex) {
      log.warn("ignoring undecodable message before welcome: {}", ex.getMessage());
      return;
    }
    if (e instanceof Envelope.Welcome) {
      joined = true;
      cancel(attemptTimeout);
      loop.opened();
      loop.message(text);
      if (!loop.isTerminated()) flush();
    } else if (e instanceof Envelope.Error err) {
      refused(ws, err);
    } else {
      log.debug("ignoring {} before welcome", e.type());
    }
  }

  /** An error answering the join: credentials and a full room are final, anything else is retried. */
  private void refused(WebSocket ws, Envelope.Error err) {
    String what = "join refused: " + err.code() + (err.message() == null ? "" : " (" + err.message() + ")");
    ErrorCode code = err.errorCode();
    if (code == ErrorCode.UNAUTHORIZED) {
      fail(TransportException.Kind.UNAUTHORIZED, what, null);
    } else if (code == ErrorCode.ROOM_FULL) {
      fail(TransportException.Kind.REFUSED, what, null);
    } else {
      linkLost(ws, new IOException(what));
    }
  }

  private void failed(WebSocket ws, Throwable t, Response response) {
    if (ws != socket) return;
    int status = response == null ? 0 : response.code();
    String refusedCertificate = TlsFailures.certificateRejection(t);
    if (refusedCertificate != null) { // the same on every attempt: only other trust settings help
      fail(TransportException.Kind.CONFIGURATION, "TLS: the certificate of " + request.url().host() + ":"
          + request.url().port() + " was refused: " + refusedCertificate, t);
    } else if (status == 401 || status == 403) {
      fail(TransportException.Kind.UNAUTHORIZED, "WebSocket upgrade refused: HTTP " + status, t);
    } else if (status >= 400 && status < 500 && status != 408 && status != 429) {
      fail(TransportException.Kind.PROTOCOL, "WebSocket upgrade refused: HTTP " + status + " from " + request.url(), t);
    } else {
      linkLost(ws, t);
    }
  }

  private void linkLost(WebSocket ws, Throwable cause) {
    linkLost(ws, cause, false);
  }

  /**
   * {@code now}: reconnect at once, not after a backoff, when the link had joined (the server is
   * restarting and its peers go elsewhere); a server that refuses the join still gets the backoff.
   */
  private void linkLost(WebSocket ws, Throwable cause, boolean now) {
    if (ws != socket) return;
    log.debug("link lost: {}", cause.toString());
    boolean atOnce = now && joined;
    socket = null;
    joined = false;
    cancel(attemptTimeout);
    ws.cancel();
    loop.disconnected(cause);
    if (!loop.isTerminated()) retry = loop.schedule(this::connect, atOnce ? Duration.ZERO : loop.nextBackoff());
  }

  private void fail(TransportException.Kind kind, String message, Throwable cause) {
    loop.failed(new TransportException(kind, message, cause));
  }

  /** Runs on the loop just before the terminal callback. */
  private void cancelIo() {
    closing = true;
    cancel(attemptTimeout);
    cancel(retry);
    if (socket != null) socket.cancel();
    socket = null;
    joined = false;
    pending.clear();
  }

  private static void cancel(ScheduledFuture<?> f) {
    if (f != null) f.cancel(false);
  }

  /** OkHttp's callbacks, each posted to the loop with the socket it is about. */
  private final class Handler extends WebSocketListener {
    @Override
    public void onOpen(WebSocket ws, Response response) {
      loop.execute(() -> opened(ws));
    }

    @Override
    public void onMessage(WebSocket ws, String text) {
      loop.execute(() -> received(ws, text));
    }

    @Override
    public void onClosing(WebSocket ws, int code, String reason) {
      // Post before answering the close: answering lets OkHttp's writer thread call onClosed at once,
      // and its task must not overtake this one on the loop.
      if (code == CloseCodes.TOKEN_EXPIRED) {
        // Rejoining with the same token would only be refused again.
        loop.execute(() -> {
          if (ws == socket) fail(TransportException.Kind.UNAUTHORIZED, "join token expired: " + reason, null);
        });
      } else if (code == CloseCodes.REPLACED) {
        // A newer connection joined with this peer id: reconnecting would evict it in turn, forever.
        loop.execute(() -> {
          if (ws == socket) fail(TransportException.Kind.REFUSED, "replaced by a newer connection with the same peer id", null);
        });
      } else {
        boolean restarting = code == CloseCodes.RESTARTING;
        loop.execute(() -> linkLost(ws, new IOException("closed by server: " + code + " " + reason), restarting));
      }
      ws.close(1000, null);
    }

    @Override
    public void onClosed(WebSocket ws, int code, String reason) {
      loop.execute(() -> linkLost(ws, new IOException("closed: " + code + " " + reason)));
    }

    @Override
    public void onFailure(WebSocket ws, Throwable t, Response response) {
      loop.execute(() -> failed(ws, t, response));
    }
  }
}
