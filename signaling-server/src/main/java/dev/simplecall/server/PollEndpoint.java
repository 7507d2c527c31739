package dev.simplecall.server;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.protocol.EnvelopeException;
import dev.simplecall.protocol.ErrorCode;
import dev.simplecall.protocol.Ids;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP long-poll endpoints ({@code /v1/poll/sessions...}): the same envelopes and the same hub as
 * the WebSocket, for networks where only plain HTTP gets through. See docs/PROTOCOL.md.
 */
final class PollEndpoint {
  static final long DEFAULT_WAIT_MS = 25_000;
  private static final String BASE = "/v1/poll/sessions";

  private final ServerContext context;
  private final ScheduledExecutorService timer;
  private final Duration sessionTimeout;
  private final Duration maxWait;
  private final Map<String, PollSession> sessions = new ConcurrentHashMap<>();
  private final ExecutorService replyExecutor;

  PollEndpoint(ServerContext context, ScheduledExecutorService timer, Duration sessionTimeout, Duration maxWait) {
    this.context = context;
    this.timer = timer;
    this.sessionTimeout = sessionTimeout;
    this.maxWait = maxWait;
    AtomicInteger n = new AtomicInteger();
    this.replyExecutor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "simplecall-poll-reply-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  void register(JavalinDefaultRoutingApi routes) {
    routes.post(BASE, this::create);
    routes.post(BASE + "/{sid}/messages", this::send);
    routes.get(BASE + "/{sid}/messages", this::poll);
    routes.delete(BASE + "/{sid}", this::delete);
  }

  void startSweeping() {
    long every = Math.max(50, Math.min(1000, sessionTimeout.toMillis() / 4));
    timer.scheduleAtFixedRate(this::sweep, every, every, TimeUnit.MILLISECONDS);
  }

  private void sweep() {
    long now = System.nanoTime();
    long timeout = sessionTimeout.toNanos();
    for (PollSession s : sessions.values()) {
      if (s.expired(now, timeout)) drop(s);
    }
  }

  private void drop(PollSession s) {
    sessions.remove(s.id(), s);
    s.end();
    Member m = s.member();
    if (m != null) context.hub().leave(m);
  }

  /** On the timer thread: the session's token expired and was not refreshed. */
  private void tokenExpired(PollSession s, Member m) {
    if (s.member() != m) return;
    s.deliver(ServerContext.tokenExpired(m));
    drop(s);
  }

  /** Graceful shutdown: every session hears {@code server-busy} and ends. */
  void shutdown() {
    for (PollSession s : sessions.values()) {
      s.deliver(SignalingHub.error(null, null, ErrorCode.SERVER_BUSY, "server shutting down"));
      s.end();
    }
    sessions.clear();
    replyExecutor.shutdown();
  }

  private void create(Context ctx) {
    byte[] raw = body(ctx, EnvelopeCodec.MAX_MESSAGE_BYTES, "message");
    if (raw == null) return;
    Envelope e;
    try {
      e = EnvelopeCodec.decode(EnvelopeCodec.utf8(raw));
    } catch (EnvelopeException ex) {
      HttpApi.fail(ctx, new Envelope.Error(Ids.newId(), null, null, ex.code(), ex.getMessage(), ex.ref()));
      return;
    }
    if (!(e instanceof Envelope.Join join)) {
      HttpApi.fail(ctx, SignalingHub.error(e, null, ErrorCode.BAD_JSON, "a session starts with a join, not " + e.type()));
      return;
    }
    String bearer = HttpApi.bearer(ctx);
    PollSession session = new PollSession(Ids.newId() + Ids.newId(), context.newBucket(), replyExecutor);
    session.bucket().tryTake(1); // the join counts, as on a WebSocket
    SignalingHub.JoinResult result = context.join(join, bearer != null ? bearer : join.token(), session,
        context.proxies().clientKey(ctx.req()));
    if (result.error() != null) {
      if (result.error().errorCode() == ErrorCode.RATE_LIMITED) ctx.header("Retry-After", Long.toString(context.joinRetryAfterSeconds()));
      HttpApi.fail(ctx, result.error());
      return;
    }
    Member member = result.member();
    session.attach(member);
    sessions.put(session.id(), session);
    context.watchExpiry(member, () -> tokenExpired(session, member));
    if (session.ended()) sessions.remove(session.id(), session); // replaced before it was even listed
    ctx.status(201)
        .header("Location", BASE + "/" + session.id())
        .contentType("application/json")
        .result("{\"session\":\"" + session.id() + "\"," + session.body(0).substring(1));
  }

  private void send(Context ctx) {
    PollSession s = session(ctx);
    if (s == null) return;
    byte[] raw = body(ctx, 16 * EnvelopeCodec.MAX_MESSAGE_BYTES, "batch");
    if (raw == null) return;
    List<Envelope> batch = new ArrayList<>();
    try {
      for (String item : EnvelopeCodec.splitArray(EnvelopeCodec.utf8(raw))) batch.add(EnvelopeCodec.decode(item));
    } catch (EnvelopeException ex) {
      HttpApi.fail(ctx, new Envelope.Error(Ids.newId(), null, null, ex.code(), ex.getMessage(), ex.ref()));
      return;
    }
    if (batch.isEmpty()) {
      HttpApi.fail(ctx, plainError(ErrorCode.BAD_JSON, "empty batch"));
      return;
    }
    Member m = s.member();
    for (Envelope e : batch) {
      if (e instanceof Envelope.Join j && (m == null || !j.room().equals(m.room()) || !j.from().equals(m.peer()))) {
        HttpApi.fail(ctx, SignalingHub.error(e, null, ErrorCode.BAD_JSON,
            "join only starts a session, or refreshes its token with the same room and peer; nothing was sent"));
        return;
      }
    }
    if (!s.bucket().tryTake(batch.size())) {
      HttpApi.fail(ctx, plainError(ErrorCode.RATE_LIMITED, "too many messages; slow down (nothing was sent)"));
      return;
    }
    for (Envelope e : batch) {
      if (e instanceof Envelope.Join j) {
        String bearer = HttpApi.bearer(ctx);
        Envelope.Error refused = context.refresh(m, j, j.token() != null ? j.token() : bearer);
        if (refused != null) s.deliver(refused);
        continue;
      }
      if (e instanceof Envelope.Leave) {
        drop(s);
        break;
      }
      if (m == null) {
        s.deliver(SignalingHub.error(e, null, ErrorCode.NOT_JOINED, "session no longer in a room"));
      } else {
        context.hub().route(m, e);
      }
    }
    ctx.status(202).contentType("application/json").result("{\"accepted\":" + batch.size() + "}");
  }

  private void poll(Context ctx) {
    PollSession s = session(ctx);
    if (s == null) return;
    long after;
    long waitMs;
    try {
      after = longParam(ctx, "after", 0);
      waitMs = Math.min(longParam(ctx, "waitMs", DEFAULT_WAIT_MS), maxWait.toMillis());
    } catch (NumberFormatException ex) {
      HttpApi.fail(ctx, plainError(ErrorCode.BAD_JSON, ex.getMessage()));
      return;
    }
    CompletableFuture<String> reply = s.poll(after, waitMs, timer);
    if (reply == null) {
      HttpApi.fail(ctx, plainError(ErrorCode.BAD_JSON, "after=" + after + " is beyond this session's cursor"));
      return;
    }
    ctx.future(() -> reply.thenAccept(body -> ctx.contentType("application/json").result(body)));
  }

  private void delete(Context ctx) {
    PollSession s = session(ctx);
    if (s == null) return;
    drop(s);
    ctx.status(204);
  }

  private PollSession session(Context ctx) {
    PollSession s = sessions.get(ctx.pathParam("sid"));
    if (s == null || s.ended()) {
      HttpApi.fail(ctx, plainError(ErrorCode.NOT_JOINED, "no such session (expired, replaced or left): join again"));
      return null;
    }
    return s;
  }

  /**
   * The request body, or {@code null} after answering 413 {@code too-large} when it is over {@code max}
   * bytes, or 400 {@code bad-json} when it cannot be read (cut short, broken chunked framing). Read
   * here, at most {@code max + 1} bytes, rather than with Javalin's bodyAsBytes(): that one reads up to
   * its maxRequestSize (2 MiB), logs a WARN line for every larger body, and throws its own exceptions.
   */
  private static byte[] body(Context ctx, int max, String what) {
    byte[] raw;
    try {
      raw = ctx.req().getInputStream().readNBytes(max + 1);
    } catch (IOException e) {
      HttpApi.fail(ctx, plainError(ErrorCode.BAD_JSON, "body could not be read: " + e.getMessage()));
      return null;
    }
    if (raw.length > max) {
      HttpApi.fail(ctx, plainError(ErrorCode.TOO_LARGE, what + " over " + max + " bytes"));
      return null;
    }
    return raw;
  }

  private static long longParam(Context ctx, String name, long dflt) {
    String v = ctx.queryParam(name);
    if (v == null || v.isEmpty()) return dflt;
    long n;
    try {
      n = Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new NumberFormatException(name + " is not a number: " + v);
    }
    if (n < 0) throw new NumberFormatException(name + " is negative: " + v);
    return n;
  }

  private static Envelope.Error plainError(ErrorCode code, String message) {
    return new Envelope.Error(Ids.newId(), null, null, code, message, null);
  }

  /** True while session {@code sid} has a poll held open (for tests and diagnostics). */
  boolean holding(String sid) {
    PollSession s = sessions.get(sid);
    return s != null && s.holding();
  }

  int sessionCount() {
    return sessions.size();
  }
}
