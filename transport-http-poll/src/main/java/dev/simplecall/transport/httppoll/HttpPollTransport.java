package dev.simplecall.transport.httppoll;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.protocol.ErrorCode;
import dev.simplecall.protocol.Ids;
import dev.simplecall.spi.SignalingTransport;
import dev.simplecall.spi.TransportException;
import dev.simplecall.spi.TransportOptions;
import dev.simplecall.spi.support.RecentIds;
import dev.simplecall.spi.support.TlsFailures;
import dev.simplecall.spi.support.TransportLoop;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ScheduledFuture;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okio.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One peer's long-poll session. The link is: create a session with a {@code join} ({@link
 * #createSession}), then one poll outstanding at a time with the cursor ({@link #poll}); sends go
 * one batch at a time and everything queued meanwhile forms the next batch ({@link #flushSends}).
 * Delivery is at least once (a lost poll response is fetched again with the same cursor, a lost send
 * response means the batch is sent again), so received messages are filtered by id.
 *
 * <p>All mutable state is confined to {@link #loop}; HTTP results are posted there and carry the
 * {@link Call} they answer, so results of abandoned calls are ignored.
 */
final class HttpPollTransport implements SignalingTransport {
  private static final Logger log = LoggerFactory.getLogger(HttpPollTransport.class);
  static final int MAX_BATCH = 64;
  static final int MAX_BATCH_CHARS = 512 * 1024;

  private final PollHttp http;
  private final HttpUrl sessions;
  private final Duration hold;
  private final TransportOptions options;
  private final TransportLoop loop;
  private final RecentIds seen = new RecentIds(4096);
  private final Random random = new Random();
  private volatile boolean closing;

  // Only touched on the loop.
  private final ArrayDeque<String> pending = new ArrayDeque<>();
  private List<String> inFlight; // the batch being sent
  private int oneByOne; // after a refused batch: send this many singly, to drop only the bad one
  private int sendAttempts;
  private String sid;
  private long cursor;
  private boolean joined; // session exists and the last poll (or the create) succeeded
  private Call createCall;
  private Call pollCall;
  private Call sendCall;
  private ScheduledFuture<?> linkRetry;
  private ScheduledFuture<?> sendRetry;
  private boolean graceful;

  HttpPollTransport(OkHttpClient client, HttpUrl sessions, Duration hold, TransportOptions options, Listener listener) {
    this.options = options;
    this.sessions = sessions;
    this.hold = hold;
    this.loop = new TransportLoop("simplecall-poll-" + options.peerId(), this, listener, options, this::cancelIo);
    this.http = new PollHttp(client, options.token(), loop, "simplecall-poll-io-" + options.peerId());
    loop.execute(this::createSession);
  }

  @Override
  public boolean send(String text) {
    Objects.requireNonNull(text, "text == null");
    if (closing || loop.isTerminated()) return false;
    return loop.enqueue(
        () -> {
          pending.add(text);
          flushSends();
        });
  }

  @Override
  public void close() {
    closing = true;
    loop.execute(
        () -> {
          if (sid != null) {
            graceful = true; // the batch in flight is on its way; let it land
            http.leave(sessionUrl().build(), new ArrayList<>(pending), options.connectTimeout());
          }
          loop.closed();
        });
  }

  // ---- session and poll: the link

  private void createSession() {
    linkRetry = null;
    String join = EnvelopeCodec.encode(new Envelope.Join(Ids.newId(), options.room(), options.peerId(), options.token()));
    Request request = http.request(sessions).post(RequestBody.create(join, PollHttp.JSON)).build();
    createCall = http.call(request, options.connectTimeout(), this::created);
  }

  private void created(Call call, PollHttp.Result r) {
    if (call != createCall) return;
    createCall = null;
    if (r.retryable()) {
      outage(r.cause(), this::createSession);
    } else if (r.code() == 200 || r.code() == 201) {
      PollJson.Batch b;
      try {
        b = PollJson.readBatch(new Buffer().writeUtf8(r.body()));
      } catch (IOException | RuntimeException e) {
        fail(TransportException.Kind.PROTOCOL, "unreadable session-create response: " + r.body(), e);
        return;
      }
      String session = b.session() != null ? b.session() : r.locationTail();
      if (session == null) {
        fail(TransportException.Kind.PROTOCOL, "session-create response names no session", null);
        return;
      }
      sid = session;
      cursor = b.cursor();
      joined = true;
      sendAttempts = 0;
      loop.opened();
      deliver(b.messages());
      flushSends();
      poll();
    } else {
      refused(r, "session create", this::createSession);
    }
  }

  private void poll() {
    if (loop.isTerminated()) return;
    linkRetry = null;
    HttpUrl url = sessionUrl().addPathSegment("messages")
        .addQueryParameter("after", Long.toString(cursor))
        .addQueryParameter("waitMs", Long.toString(hold.toMillis()))
        .build();
    pollCall = http.call(http.request(url).get().build(), hold.plus(options.connectTimeout()), this::polled);
  }

  private void polled(Call call, PollHttp.Result r) {
    if (call != pollCall) return;
    pollCall = null;
    if (r.retryable()) {
      outage(r.cause(), this::poll); // the session may have survived: resume it with the same cursor
    } else if (r.code() == 404) {
      sessionLost();
    } else if (r.code() == 200) {
      PollJson.Batch b;
      try {
        b = PollJson.readBatch(new Buffer().writeUtf8(r.body()));
      } catch (IOException | RuntimeException e) {
        outage(new IOException("unreadable poll response", e), this::poll);
        return;
      }
      if (!joined) { // back after an outage, same session: nothing was lost
        joined = true;
        loop.opened();
      }
      deliver(b.messages());
      cursor = Math.max(cursor, b.cursor()); // a stale (duplicated) response must not move it back
      flushSends();
      poll();
    } else {
      refused(r, "poll", this::poll);
    }
  }

  /** The server no longer knows the session (restarted, or it expired): join again as the same peer. */
  private void sessionLost() {
    if (sid == null) return;
    log.debug("session {} lost, joining again", sid);
    sid = null;
    if (pollCall != null) pollCall.cancel();
    pollCall = null;
    requeueInFlight();
    outage(new IOException("the server forgot session; joining again"), this::createSession);
  }

  private void outage(Throwable cause, Runnable retry) {
    String refusedCertificate = TlsFailures.certificateRejection(cause);
    if (refusedCertificate != null) { // the same on every attempt: only other trust settings help
      fail(TransportException.Kind.CONFIGURATION, "TLS: the certificate of " + sessions.host() + ":" + sessions.port()
          + " was refused: " + refusedCertificate, cause);
      return;
    }
    log.debug("link down: {}", cause.toString());
    joined = false;
    loop.disconnected(cause);
    if (loop.isTerminated()) return;
    if (linkRetry != null) linkRetry.cancel(false);
    linkRetry = loop.schedule(retry, loop.nextBackoff());
  }

  /** A non-transient refusal: credentials and a full room are final; so is anything unexpected. */
  private void refused(PollHttp.Result r, String what, Runnable retry) {
    ErrorCode code = r.errorCode();
    String detail = what + " refused: HTTP " + r.code() + (r.body() == null ? "" : " " + r.body());
    if (r.code() == 401 || r.code() == 403 || code == ErrorCode.UNAUTHORIZED) {
      fail(TransportException.Kind.UNAUTHORIZED, detail, null);
    } else if (code == ErrorCode.ROOM_FULL) {
      fail(TransportException.Kind.REFUSED, detail, null);
    } else if (code == ErrorCode.SERVER_BUSY || code == ErrorCode.RATE_LIMITED) {
      outage(new IOException(detail), retry);
    } else {
      fail(TransportException.Kind.PROTOCOL, detail, null);
    }
  }

  // ---- sends

  private void flushSends() {
    if (!joined || sid == null || inFlight != null || sendRetry != null || pending.isEmpty()) return;
    List<String> batch = new ArrayList<>();
    int limit = oneByOne > 0 ? 1 : MAX_BATCH;
    int chars = 0;
    while (!pending.isEmpty() && batch.size() < limit) {
      String next = pending.peek();
      if (!batch.isEmpty() && chars + next.length() > MAX_BATCH_CHARS) break;
      batch.add(pending.poll());
      chars += next.length();
    }
    inFlight = batch;
    HttpUrl url = sessionUrl().addPathSegment("messages").build();
    RequestBody body = RequestBody.create(PollJson.sendBody(batch), PollHttp.JSON);
    sendCall = http.call(http.request(url).post(body).build(), options.connectTimeout(), this::sent);
  }

  private void sent(Call call, PollHttp.Result r) {
    if (call != sendCall) return;
    sendCall = null;
    int code = r.code();
    if (r.error() == null && code >= 200 && code < 300) {
      loop.dequeued(inFlight.size());
      inFlight = null;
      sendAttempts = 0;
      if (oneByOne > 0) oneByOne--;
      flushSends();
    } else if (code == 404) {
      requeueInFlight();
      sessionLost();
    } else if (code == 401 || code == 403) {
      fail(TransportException.Kind.UNAUTHORIZED, "send refused: HTTP " + code, null);
    } else if ((code == 400 || code == 413) && inFlight.size() > 1) {
      oneByOne = inFlight.size(); // find the bad one, keep the others
      requeueInFlight();
      flushSends();
    } else if (code == 400 || code == 413) {
      log.warn("server refused a message (HTTP {}): {}", code, r.body());
      loop.dequeued(1);
      inFlight = null;
      if (oneByOne > 0) oneByOne--;
      if (r.errorCode() != null) loop.message(r.body()); // the error envelope, as the WebSocket would say it
      flushSends();
    } else { // I/O error, 5xx, 429: keep the batch and try again
      if (code == 429 && inFlight.size() > 1) oneByOne = inFlight.size(); // a batch may exceed the burst
      requeueInFlight();
      sendRetry = loop.schedule(() -> {
        sendRetry = null;
        flushSends();
      }, options.backoff(sendAttempts++, random));
    }
  }

  private void requeueInFlight() {
    if (inFlight == null) return;
    if (sendCall != null) sendCall.cancel();
    sendCall = null;
    for (int i = inFlight.size() - 1; i >= 0; i--) pending.addFirst(inFlight.get(i));
    inFlight = null;
  }

  // ---- delivery

  private void deliver(List<String> messages) {
    for (String m : messages) {
      String key = PollJson.dedupKeyOf(m);
      if (key != null && !seen.firstSeen(key)) continue; // sent again: at-least-once
      loop.message(m);
      if (loop.isTerminated()) return;
    }
  }

  private HttpUrl.Builder sessionUrl() {
    return sessions.newBuilder().addPathSegment(sid);
  }

  private void fail(TransportException.Kind kind, String message, Throwable cause) {
    loop.failed(new TransportException(kind, message, cause));
  }

  /** Runs on the loop just before the terminal callback. */
  private void cancelIo() {
    closing = true;
    if (linkRetry != null) linkRetry.cancel(false);
    if (sendRetry != null) sendRetry.cancel(false);
    if (createCall != null) createCall.cancel();
    if (pollCall != null) pollCall.cancel();
    if (sendCall != null && !graceful) sendCall.cancel();
    pending.clear();
    http.shutdown();
  }
}
