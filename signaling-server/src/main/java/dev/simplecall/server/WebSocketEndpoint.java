package dev.simplecall.server;

import dev.simplecall.protocol.CloseCodes;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.protocol.ErrorCode;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServlet;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServletFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /v1/ws}: a Jetty WebSocket servlet (rather than Javalin's {@code ws()}, which hides pongs) whose
 * connections are {@link WsPeer}s, plus the ping timer that finds dead ones and the join check that
 * closes those out of any room for longer than the join timeout.
 */
final class WebSocketEndpoint {
  private static final Logger log = LoggerFactory.getLogger(WebSocketEndpoint.class);
  /** Frames up to this size are read and answered with {@code too-large}; larger ones close the socket (1009). */
  static final int HARD_FRAME_LIMIT = 16 * EnvelopeCodec.MAX_MESSAGE_BYTES;

  private final ServerContext context;
  private final Duration pingInterval;
  private final OriginPolicy origins;
  private final Duration joinTimeout;
  private final RefusalLog unjoined;
  private final Set<WsPeer> open = ConcurrentHashMap.newKeySet();
  private volatile ScheduledExecutorService timer;
  private ScheduledFuture<?> pinger;
  private ScheduledFuture<?> joinCheck;

  WebSocketEndpoint(ServerContext context, Duration pingInterval, OriginPolicy origins, Duration joinTimeout,
      RefusalLog unjoined) {
    this.context = context;
    this.pingInterval = pingInterval;
    this.origins = origins;
    this.joinTimeout = joinTimeout;
    this.unjoined = unjoined;
  }

  /** WebSockets closed for staying out of any room ({@code join-timeout}) since start. */
  long closedUnjoined() {
    return unjoined.count();
  }

  JettyWebSocketServlet servlet() {
    return new JettyWebSocketServlet() {
      @Override
      protected void configure(JettyWebSocketServletFactory factory) {
        factory.setMaxTextMessageSize(HARD_FRAME_LIMIT);
        factory.setMaxBinaryMessageSize(1024);
        // Pongs count as traffic, so a live peer never idles out; this only backs up the ping check.
        factory.setIdleTimeout(pingInterval.multipliedBy(4).plusSeconds(30));
        factory.setCreator((request, response) -> {
          // A page on another site may open a WebSocket here (browsers apply no same-origin rule to
          // them) but cannot forge its Origin: refuse before anything is joined.
          String refused = origins.refusal(request.getHttpServletRequest());
          // The socket's own remote address counts for the per-address limits; X-Forwarded-For only
          // when the socket comes from a trusted proxy (anyone can write the header).
          if (refused == null) {
            return new WsPeer(context, WebSocketEndpoint.this,
                context.proxies().clientKey(request.getRemoteSocketAddress(), request.getHeaders(TrustedProxies.HEADER)));
          }
          log.debug("refused a WebSocket from {}: {}", request.getRemoteSocketAddress(), refused);
          try {
            response.sendForbidden(refused);
          } catch (IOException e) {
            log.debug("could not send 403", e);
          }
          return null;
        });
      }
    };
  }

  void startPinging(ScheduledExecutorService timer) {
    this.timer = timer;
    long every = pingInterval.toNanos();
    // Nothing for two intervals (plus a little slack for a busy machine) means the peer is gone.
    long deadAfter = every * 2 + every / 2;
    pinger = timer.scheduleAtFixedRate(() -> {
      long now = System.nanoTime();
      for (WsPeer p : open) p.pingOrDrop(now, every, deadAfter);
    }, every, every, TimeUnit.NANOSECONDS);
    long timeout = joinTimeout.toNanos();
    long check = Math.max(TimeUnit.MILLISECONDS.toNanos(50), Math.min(TimeUnit.SECONDS.toNanos(1), timeout / 4));
    String why = "no join within " + joinTimeout.toMillis() + " ms";
    joinCheck = timer.scheduleWithFixedDelay(() -> {
      long now = System.nanoTime();
      for (WsPeer p : open) {
        if (p.closeIfOutOfRoom(now, timeout, why)) unjoined.record(String.valueOf(p.address()));
      }
    }, check, check, TimeUnit.NANOSECONDS);
  }

  /** Runs {@code task} soon on the server's timer thread (outside any hub delivery or peer lock). */
  void later(Runnable task) {
    ScheduledExecutorService t = timer;
    try {
      if (t != null) t.execute(task);
    } catch (RejectedExecutionException e) {
      // server closed: nothing left to tell anyone
    }
  }

  void opened(WsPeer peer) {
    open.add(peer);
  }

  void closed(WsPeer peer) {
    open.remove(peer);
  }

  /**
   * Shutdown: every open peer gets {@code error server-busy} and a close, returned. Alone: 1001 "server
   * shutting down"; in a cluster ({@code restarting}) 1012 "server restarting": other nodes serve on.
   */
  List<WsPeer> shutdown(boolean restarting) {
    List<WsPeer> peers = List.copyOf(open);
    String why = restarting ? "server restarting" : "server shutting down";
    for (WsPeer p : peers) {
      p.deliver(SignalingHub.error(null, null, ErrorCode.SERVER_BUSY, why));
      p.close(restarting ? CloseCodes.RESTARTING : 1001, why);
    }
    return peers;
  }

  void stopPinging() {
    if (pinger != null) pinger.cancel(false);
    if (joinCheck != null) joinCheck.cancel(false);
  }
}
