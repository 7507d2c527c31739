package dev.simplecall.server;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.ErrorCode;
import dev.simplecall.protocol.Ids;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks every HTTP request before its endpoint runs (the WebSocket upgrade is checked in {@link
 * WebSocketEndpoint}): security headers on every response, the {@link OriginPolicy} on the API ({@code
 * /v1/...}: 403), and {@code Content-Type: application/json} on API requests with a body (415), so that
 * a web page on another site cannot reach the API with a "simple" (preflight-free) cross-site request.
 */
final class HttpGuard {
  private static final Logger log = LoggerFactory.getLogger(HttpGuard.class);

  /**
   * The page's policy: its own scripts and styles only (no inline script or style), signaling to this
   * origin only ({@code 'self'} covers ws: and wss: of the same host in CSP 3 browsers), never framed.
   * Video elements play MediaStreams through {@code srcObject}, which no fetch directive governs.
   */
  static final String PAGE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
      + " media-src 'self' blob: mediastream:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none';"
      + " form-action 'self'";
  /** JSON answers are never a document: nothing may load from them, nobody may frame them. */
  static final String API_CSP = "default-src 'none'; frame-ancestors 'none'";

  private final OriginPolicy origins;

  HttpGuard(OriginPolicy origins) {
    this.origins = origins;
  }

  void register(JavalinDefaultRoutingApi routes) {
    routes.before(this::headers);
    routes.before("/v1/*", this::checkApi);
  }

  private void headers(Context ctx) {
    boolean api = ctx.path().startsWith("/v1/") || ctx.path().equals("/healthz") || ctx.path().equals("/readyz")
        || ctx.path().equals("/metrics");
    ctx.header("Content-Security-Policy", api ? API_CSP : PAGE_CSP);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "no-referrer");
    if (!api) ctx.header("X-Frame-Options", "DENY"); // for browsers without frame-ancestors
  }

  private void checkApi(Context ctx) {
    String refused = origins.refusal(ctx.req());
    if (refused != null) {
      log.debug("refused {} {} from {}: {}", ctx.method(), ctx.path(), ctx.ip(), refused);
      refuse(ctx, 403, ErrorCode.UNAUTHORIZED, refused);
      return;
    }
    HandlerType m = ctx.method();
    if ((m == HandlerType.POST || m == HandlerType.PUT || m == HandlerType.PATCH) && !isJson(ctx.contentType())) {
      refuse(ctx, 415, ErrorCode.BAD_JSON, "Content-Type must be application/json, not "
          + (ctx.contentType() == null ? "missing" : ctx.contentType()));
    }
  }

  /** {@code application/json}, any case, with or without parameters such as {@code charset=utf-8}. */
  static boolean isJson(String contentType) {
    if (contentType == null) return false;
    int semi = contentType.indexOf(';');
    String type = (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    return type.equals("application/json");
  }

  private static void refuse(Context ctx, int status, ErrorCode code, String message) {
    HttpApi.fail(ctx, new Envelope.Error(Ids.newId(), null, null, code, message, null));
    ctx.status(status);
    ctx.skipRemainingHandlers();
  }
}
