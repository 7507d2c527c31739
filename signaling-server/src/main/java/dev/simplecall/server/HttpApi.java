package dev.simplecall.server;

import com.squareup.moshi.JsonWriter;
import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.protocol.ErrorCode;
import dev.simplecall.protocol.IceServerInfo;
import dev.simplecall.protocol.Ids;
import dev.simplecall.protocol.Names;
import dev.simplecall.spi.TransportOptions;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import okio.Buffer;

/** {@code GET /healthz}, {@code GET /readyz} and {@code GET /v1/turn-credentials}, plus helpers shared by the HTTP endpoints. */
final class HttpApi {
  private final ServerContext context;
  private final TurnCredentials turn; // null: no TURN secret
  private final List<IceServerInfo> staticIceServers;
  private final AddressBuckets turnRequests;
  private final RefusalLog turnRateLimited;

  HttpApi(ServerContext context, TurnCredentials turn, List<IceServerInfo> staticIceServers, AddressBuckets turnRequests,
      RefusalLog turnRateLimited) {
    this.context = context;
    this.turn = turn;
    this.staticIceServers = staticIceServers;
    this.turnRequests = turnRequests;
    this.turnRateLimited = turnRateLimited;
  }

  /** Forgets idle per-address TURN buckets once a minute, so that map stays small. */
  void startSweeping(ScheduledExecutorService timer) {
    timer.scheduleAtFixedRate(turnRequests::evictIdle, 1, 1, TimeUnit.MINUTES);
  }

  /** {@code GET /v1/turn-credentials} requests refused with {@code 429} since start. */
  long turnRateLimitedCount() {
    return turnRateLimited.count();
  }

  AddressBuckets turnRequests() {
    return turnRequests;
  }

  void register(JavalinDefaultRoutingApi routes) {
    routes.get("/healthz", this::health);
    routes.get("/readyz", this::ready);
    routes.get("/v1/turn-credentials", this::turnCredentials);
  }

  private void health(Context ctx) throws IOException {
    Buffer b = new Buffer();
    try (JsonWriter w = JsonWriter.of(b)) {
      w.beginObject();
      w.name("status").value("ok");
      w.name("rooms").value(context.hub().roomCount());
      w.name("peers").value(context.hub().peerCount());
      w.endObject();
    }
    ctx.contentType("application/json").result(b.readUtf8());
  }

  /**
   * {@code 200 {"status":"ready"}}, or {@code 503 {"status":"not-ready","reason":"..."}} when this node
   * should get no new peers: it is shutting down, or in a cluster its connection to Redis is down (a
   * join would wait for Redis and fail).
   */
  private void ready(Context ctx) throws IOException {
    ClusterLink cluster = context.hub().cluster();
    String why = context.hub().shuttingDown() ? "shutting down"
        : cluster != null && !cluster.connected() ? "no connection to Redis" : null;
    Buffer b = new Buffer();
    try (JsonWriter w = JsonWriter.of(b)) {
      w.beginObject();
      w.name("status").value(why == null ? "ready" : "not-ready");
      if (why != null) w.name("reason").value(why);
      w.endObject();
    }
    ctx.status(why == null ? 200 : 503).contentType("application/json").result(b.readUtf8());
  }

  /**
   * With auth on, the bearer token names the peer (any room) and {@code ?peer=} is ignored; without
   * auth, {@code ?peer=} does (default {@code anonymous}) and must be a valid name ({@code 400
   * bad-name}). Every request, good or bad, takes a token from the client address's bucket ({@code 429
   * rate-limited} when empty). Answers {@code {"ttl":S,"iceServers":[...]}} where ttl is the seconds
   * until the credentials expire; without a TURN secret the list holds only the configured static
   * servers and ttl is 0.
   */
  private void turnCredentials(Context ctx) throws IOException {
    String address = context.proxies().clientKey(ctx.req());
    if (address != null && !turnRequests.tryTake(address)) {
      turnRateLimited.record(address);
      ctx.header("Retry-After", "60");
      fail(ctx, new Envelope.Error(Ids.newId(), null, null, ErrorCode.RATE_LIMITED,
          "too many TURN credential requests from address " + address + "; try again later", null));
      return;
    }
    String peer;
    Instant tokenExpiry = null;
    if (context.verifier() != null) {
      TokenVerifier.Result r = context.verifier().verify(bearer(ctx));
      if (r.problem() != null) {
        fail(ctx, new Envelope.Error(Ids.newId(), null, null, ErrorCode.UNAUTHORIZED, r.problem(), null));
        return;
      }
      peer = r.identity().peer();
      tokenExpiry = r.identity().expiresAt();
    } else {
      String q = ctx.queryParam("peer");
      peer = q == null || q.isEmpty() ? "anonymous" : q;
    }
    if (!Names.isValid(peer)) { // no ":" or newline can reach the TURN username
      fail(ctx, new Envelope.Error(Ids.newId(), null, null, ErrorCode.BAD_NAME,
          "peer must match [A-Za-z0-9._-]{1,64}", null));
      return;
    }
    List<IceServerInfo> servers = new ArrayList<>(staticIceServers);
    long ttl = 0;
    if (turn != null) {
      Instant now = turn.clock().instant();
      Instant expiry = turn.expiry(now, tokenExpiry);
      servers.add(turn.until(peer, expiry));
      ttl = Math.max(0, expiry.getEpochSecond() - now.getEpochSecond());
    }
    Buffer b = new Buffer();
    try (JsonWriter w = JsonWriter.of(b)) {
      w.beginObject();
      w.name("ttl").value(ttl);
      w.name("iceServers").beginArray();
      for (IceServerInfo s : servers) {
        w.beginObject();
        w.name("urls").beginArray();
        for (String u : s.urls()) w.value(u);
        w.endArray();
        if (s.username() != null) w.name("username").value(s.username());
        if (s.credential() != null) w.name("credential").value(s.credential());
        w.endObject();
      }
      w.endArray();
      w.endObject();
    }
    ctx.header("Cache-Control", "no-store").contentType("application/json").result(b.readUtf8());
  }

  /** The token of an {@code Authorization: Bearer} header, or {@code null}. */
  static String bearer(Context ctx) {
    String h = ctx.header("Authorization");
    if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7)) return null;
    String t = h.substring(7).trim();
    return t.isEmpty() ? null : t;
  }

  /** Answers with the HTTP status for {@code error}'s code and the error envelope as the body. */
  static void fail(Context ctx, Envelope.Error error) {
    ctx.status(status(error.errorCode())).contentType("application/json").result(EnvelopeCodec.encode(error));
  }

  static int status(ErrorCode code) {
    if (code == null) return 400;
    switch (code) {
      case TOO_LARGE:
        return 413;
      case UNAUTHORIZED:
        return 401;
      case RATE_LIMITED:
        return 429;
      case ROOM_FULL:
        return 409;
      case SERVER_BUSY:
        return 503;
      case NOT_JOINED:
        return 404;
      default:
        return 400;
    }
  }
}
