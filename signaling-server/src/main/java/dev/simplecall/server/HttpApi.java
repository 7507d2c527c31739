package dev.simplecall.server;

import com.squareup.moshi.JsonWriter;
import dev.simplecall.protocol.IceServerInfo;
import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.protocol.ErrorCode;
import dev.simplecall.protocol.Ids;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import okio.Buffer;

/** {@code GET /healthz} and {@code GET /v1/turn-credentials}, plus helpers shared by the HTTP endpoints. */
final class HttpApi {
  private final ServerContext context;
  private final TurnCredentials turn; // null: no TURN secret
  private final List<IceServerInfo> staticIceServers;

  HttpApi(ServerContext context, TurnCredentials turn, List<IceServerInfo> staticIceServers) {
    this.context = context;
    this.turn = turn;
    this.staticIceServers = staticIceServers;
  }

  void register(JavalinDefaultRoutingApi routes) {
    routes.get("/healthz", this::health);
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
   * With auth on, the bearer token names the peer (any room); without auth, {@code ?peer=} does (default
   * {@code anonymous}). Answers {@code {"ttl":S,"iceServers":[...]}}; without a TURN secret the list
   * holds only the configured static servers and ttl is 0.
   */
  private void turnCredentials(Context ctx) throws IOException {
    String peer;
    if (context.verifier() != null) {
      TokenVerifier.Result r = context.verifier().verify(bearer(ctx));
      if (r.problem() != null) {
        fail(ctx, new Envelope.Error(Ids.newId(), null, null, ErrorCode.UNAUTHORIZED, r.problem(), null));
        return;
      }
      peer = r.identity().peer();
    } else {
      String q = ctx.queryParam("peer");
      peer = q == null || q.isEmpty() ? "anonymous" : q;
    }
    List<IceServerInfo> servers = new ArrayList<>(staticIceServers);
    if (turn != null) servers.add(turn.forPeer(peer));
    Buffer b = new Buffer();
    try (JsonWriter w = JsonWriter.of(b)) {
      w.beginObject();
      w.name("ttl").value(turn == null ? 0 : turn.ttl().getSeconds());
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
