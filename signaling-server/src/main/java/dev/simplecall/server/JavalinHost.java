package dev.simplecall.server;

import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.StatisticsHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP side of one {@link SignalingServer}: Javalin on Jetty with the WebSocket servlet at {@code
 * /v1/ws}, the guard, the HTTP API, the long-poll routes and the browser page; the one connector, plain
 * or TLS, watched by the {@link ConnectionGuard}; the connector's idle timeout; and a stop that first
 * lets the last frames and poll answers go out. Used under the server's lifecycle lock.
 */
final class JavalinHost {
  /** The default most threads of the server's pool (see {@link SignalingServer.Builder#maxThreads}). */
  static final int MAX_THREADS = 16;

  private final ServerSettings settings;
  private final TlsConnector tls; // null: plain HTTP
  private final ScheduledExecutorService timer;
  private final Javalin javalin;

  /**
   * With a TLS connector in {@code parts} the one connector speaks TLS (HTTPS, WSS) instead of plain
   * HTTP, and the server's timer checks its files for a renewed certificate once serving.
   */
  JavalinHost(ServerSettings settings, ServerParts parts) {
    this.settings = settings;
    this.tls = parts.tls();
    this.timer = parts.timer();
    ConnectionGuard connections = parts.connections();
    this.javalin = Javalin.create(cfg -> {
      cfg.startup.showJavalinBanner = false;
      cfg.startup.showOldJavalinVersionWarning = false;
      QueuedThreadPool pool = new QueuedThreadPool(settings.maxThreads(), 4); // maxThreads is at least 8
      pool.setName("simplecall-http");
      cfg.jetty.threadPool = pool;
      // Our own connector (Javalin then makes none), so that the guard sees its sockets from the accept on.
      cfg.jetty.addConnector((server, http) -> {
        // Jetty's per-connection header cache builds a trie of about 64 KB on a connection's second
        // request: 10k keep-alive long-poll connections held 450 MB of it. Headers here are few and short.
        http.setHeaderCacheSize(0);
        return connections.attach(tls != null ? tls.connector(server, http, settings.bind(), settings.port()) : plain(server, http));
      });
      cfg.jetty.modifyServer(server -> {
        server.insertHandler(connections.tracker());
        server.setErrorHandler(new JsonErrorHandler()); // requests refused before reaching an endpoint
      });
      cfg.http.maxRequestSize = 2L * WebSocketEndpoint.HARD_FRAME_LIMIT;
      cfg.jetty.modifyServletContextHandler(h ->
          h.addServlet(new ServletHolder("simplecall-ws", parts.webSocket().servlet()), "/v1/ws"));
      parts.guard().register(cfg.routes); // before any endpoint: headers, Origin, Content-Type
      parts.httpApi().register(cfg.routes);
      cfg.routes.get("/metrics", parts.metrics()::handle);
      parts.poll().register(cfg.routes);
      cfg.staticFiles.add("/public", Location.CLASSPATH); // the browser page at /
    });
  }

  /** What Javalin would make by default: HTTP/1.1 (WebSocket upgrades included) on the bind address and port. */
  private ServerConnector plain(Server server, HttpConfiguration http) {
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(settings.bind());
    connector.setPort(settings.port());
    return connector;
  }

  /**
   * Binds and starts serving.
   *
   * @throws RuntimeException from Javalin when the address cannot be bound; Jetty is then stopped again
   */
  void start() {
    try {
      javalin.start();
    } catch (RuntimeException e) {
      javalin.stop();
      throw e;
    }
    // A held poll is an idle connection as far as Jetty can tell: keep the connector's idle timeout
    // well above the longest hold, or Jetty would cut polls held close to 30 s (its default).
    long idleMillis = settings.maxPollWait().toMillis() + 30_000;
    for (Connector c : javalin.jettyServer().server().getConnectors()) {
      if (c instanceof AbstractConnector ac && ac.getIdleTimeout() < idleMillis) ac.setIdleTimeout(idleMillis);
    }
    if (tls != null) tls.startWatching(timer);
  }

  /** The bound port. */
  int port() {
    return javalin.port();
  }

  /** Stops Jetty once the goodbye frames to {@code peers} and the answers to held polls went out, or after 2 s. */
  void stop(List<WsPeer> peers) {
    StatisticsHandler stats = javalin.jettyServer().server().getDescendant(StatisticsHandler.class);
    awaitQuiet(peers, stats, Duration.ofSeconds(2));
    javalin.stop();
  }

  private static void awaitQuiet(List<WsPeer> peers, StatisticsHandler stats, Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline) {
      boolean quiet = stats == null || stats.getRequestsActive() == 0;
      for (WsPeer p : peers) quiet &= p.flushed();
      if (quiet) return;
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
