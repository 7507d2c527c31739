package dev.simplecall.transport.websocket;

import dev.simplecall.spi.SignalingTransport;
import dev.simplecall.spi.SignalingTransportFactory;
import dev.simplecall.spi.TransportOptions;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * Signaling over WebSocket ({@code ws://}, {@code wss://}) to the simplecall server's {@code /v1/ws}
 * endpoint, on OkHttp. Registered for {@link java.util.ServiceLoader}, so putting this module on the
 * class path is enough; pass your own {@link OkHttpClient} (proxy, TLS, interceptors) with {@link
 * #create(OkHttpClient)}.
 *
 * <pre>{@code
 * CallClient client = CallClient.builder()
 *     .addTransportFactory(WebSocketTransportFactory.create(myOkHttpClient))
 *     .build();
 * // signaling URI: ws://127.0.0.1:8080/v1/ws (a URI without a path gets /v1/ws)
 * }</pre>
 *
 * <p>Each transport joins on every (re)connect, writes queued messages in order once the server's
 * {@code welcome} arrives, and reconnects with exponential backoff and jitter. HTTP 401/403 on the
 * upgrade or an {@code unauthorized} answer to the join is final ({@code UNAUTHORIZED}), as is {@code
 * room-full} ({@code REFUSED}). A {@code wss://} server certificate the client refuses (no trusted
 * CA signed it, expired, another host name) is final at once ({@code CONFIGURATION}); for a private
 * CA pass a client that trusts it ({@code OkHttpClient.Builder.sslSocketFactory}). WebSocket pings
 * every {@value #PING_SECONDS} s (unless the client sets its own interval) find a dead link within
 * 5-10 s: well before a call's ICE give-up, so a call that loses media and signaling at once knows that
 * this side's network is down.
 */
public final class WebSocketTransportFactory implements SignalingTransportFactory {
  static final int PING_SECONDS = 5;

  private final OkHttpClient client; // the app's, or null: this factory's own, made on first use
  private OkHttpClient own; // guarded by this

  /** Uses an {@link OkHttpClient} of its own, released by {@link #close()}; {@code ServiceLoader} calls this. */
  public WebSocketTransportFactory() {
    this.client = null;
  }

  private WebSocketTransportFactory(OkHttpClient client) {
    this.client = client;
  }

  /**
   * A factory using {@code client}. A client without a ping interval gets one ({@value
   * #PING_SECONDS} s), sharing the client's connection pool and dispatcher.
   *
   * @param client the app's client (proxy, TLS, interceptors); {@link #close()} leaves it as it is
   * @return the new factory
   * @throws NullPointerException when {@code client} is {@code null}
   */
  public static WebSocketTransportFactory create(OkHttpClient client) {
    Objects.requireNonNull(client, "client == null");
    if (client.pingIntervalMillis() == 0) {
      client = client.newBuilder().pingInterval(Duration.ofSeconds(PING_SECONDS)).build();
    }
    return new WebSocketTransportFactory(client);
  }

  /** This factory's own client, or {@code null} when it has none (for tests). */
  synchronized OkHttpClient ownClientIfAny() {
    return own;
  }

  @Override
  public Set<String> schemes() {
    return Set.of("ws", "wss");
  }

  @Override
  public SignalingTransport create(URI endpoint, TransportOptions options, SignalingTransport.Listener listener) {
    Objects.requireNonNull(endpoint, "endpoint == null");
    Objects.requireNonNull(options, "options == null");
    Objects.requireNonNull(listener, "listener == null");
    String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
    if (!schemes().contains(scheme) || endpoint.getHost() == null) {
      throw new IllegalArgumentException("not a ws:// or wss:// URI with a host: " + endpoint);
    }
    String path = endpoint.getRawPath();
    String url = endpoint.toString();
    if (path == null || path.isEmpty() || path.equals("/")) {
      url = new StringBuilder(scheme).append("://").append(endpoint.getRawAuthority()).append("/v1/ws")
          .append(endpoint.getRawQuery() == null ? "" : "?" + endpoint.getRawQuery()).toString();
    }
    Request.Builder request = new Request.Builder().url(url).header("User-Agent", UserAgent.VALUE);
    if (options.token() != null) request.header("Authorization", "Bearer " + options.token());
    return new WebSocketTransport(client != null ? client : ownClient(), request.build(), options, listener);
  }

  /**
   * Ends this factory's own client: its dispatcher threads and pooled connections (a client passed to
   * {@link #create(OkHttpClient)} is the app's and stays as it is). Call it after the transports
   * ended; one made later makes a new client.
   */
  @Override
  public void close() {
    OkHttpClient c;
    synchronized (this) {
      c = own;
      own = null;
    }
    if (c == null) return;
    c.dispatcher().executorService().shutdown();
    c.connectionPool().evictAll();
  }

  /** This factory's client: daemon dispatcher threads, so an app's JVM can exit without closing it. */
  private synchronized OkHttpClient ownClient() {
    if (own == null) {
      own = new OkHttpClient.Builder()
          .dispatcher(new Dispatcher(new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
              r -> {
                Thread t = new Thread(r, "simplecall-ws-okhttp");
                t.setDaemon(true);
                return t;
              })))
          .pingInterval(Duration.ofSeconds(PING_SECONDS))
          .build();
    }
    return own;
  }
}
