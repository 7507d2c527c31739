package dev.simplecall.transport.httppoll;

import dev.simplecall.protocol.Uris;
import dev.simplecall.spi.SignalingTransport;
import dev.simplecall.spi.SignalingTransportFactory;
import dev.simplecall.spi.TransportCapabilities;
import dev.simplecall.spi.TransportOptions;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * Signaling over HTTP long-poll ({@code http://}, {@code https://}), for networks where only plain
 * HTTP gets through. The URI is the signaling server's base URL; the transport uses its {@code
 * /v1/poll/sessions} endpoints. Registered for {@link java.util.ServiceLoader}; pass your own {@link
 * OkHttpClient} (proxy, TLS, interceptors) with {@link #create(OkHttpClient)}.
 *
 * <pre>{@code
 * URI signaling = URI.create("http://127.0.0.1:8080");              // polls held 25 s
 * URI quicker   = URI.create("http://127.0.0.1:8080?waitMs=10000");  // polls held 10 s
 * CallClient client = CallClient.builder()
 *     .addTransportFactory(HttpPollTransportFactory.create(myOkHttpClient))
 *     .build();
 * }</pre>
 *
 * <p>The poll hold ({@code waitMs} sent to the server) defaults to {@value #DEFAULT_WAIT_MS} ms and
 * is set by a {@code waitMs} query parameter on the URI, 0 to {@value #MAX_WAIT_MS}; a message reaches
 * the peer as soon as it arrives, whatever the hold, which only bounds how often an idle peer asks.
 * A shorter hold suits proxies that cut idle requests. Delivery is at least once with duplicates
 * dropped by message id; sends queued while one is in flight go out together as one array. An {@code
 * https://} server certificate the client refuses (no trusted CA signed it, expired, another host
 * name) is final at once ({@code CONFIGURATION}); for a private CA pass a client that trusts it
 * ({@code OkHttpClient.Builder.sslSocketFactory}).
 */
public final class HttpPollTransportFactory implements SignalingTransportFactory {
  /** The poll hold when the URI sets no {@code waitMs}, in milliseconds. */
  public static final long DEFAULT_WAIT_MS = 25_000;
  /** The longest poll hold a URI's {@code waitMs} may ask for, in milliseconds. */
  public static final long MAX_WAIT_MS = 120_000;

  private final OkHttpClient client; // the app's, or null: this factory's own, made on first use
  private OkHttpClient own; // guarded by this

  /** Uses an {@link OkHttpClient} of its own, released by {@link #close()}; {@code ServiceLoader} calls this. */
  public HttpPollTransportFactory() {
    this.client = null;
  }

  private HttpPollTransportFactory(OkHttpClient client) {
    this.client = client;
  }

  /**
   * A factory whose transports make their requests with {@code client}.
   *
   * @param client the app's client; each transport derives one from it whose read timeout covers the
   *     poll hold, sharing its connection pool and dispatcher. {@link #close()} leaves it as it is.
   * @return the new factory
   * @throws NullPointerException when {@code client} is {@code null}
   */
  public static HttpPollTransportFactory create(OkHttpClient client) {
    return new HttpPollTransportFactory(Objects.requireNonNull(client, "client == null"));
  }

  /**
   * A peer's server session outlives a short outage ({@code pollSessionTimeout} on the server, 60 s by
   * default) and keeps what was sent to it meanwhile.
   */
  @Override
  public TransportCapabilities capabilities() {
    return TransportCapabilities.builder().deliversToReconnectingPeer(true).build();
  }

  @Override
  public Set<String> schemes() {
    return Set.of("http", "https");
  }

  @Override
  public SignalingTransport create(URI endpoint, TransportOptions options, SignalingTransport.Listener listener) {
    Objects.requireNonNull(endpoint, "endpoint == null");
    Objects.requireNonNull(options, "options == null");
    Objects.requireNonNull(listener, "listener == null");
    String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
    HttpUrl url = HttpUrl.parse(endpoint.toString());
    if (!schemes().contains(scheme) || url == null) {
      throw new IllegalArgumentException("not an http:// or https:// URL: " + endpoint);
    }
    Duration hold = Duration.ofMillis(waitMs(url, endpoint));
    HttpUrl.Builder sessions = url.newBuilder().query(null).fragment(null);
    String path = url.encodedPath().replaceAll("/+$", "").replaceAll("/v1/poll(/sessions)?$", "");
    sessions.encodedPath(path.isEmpty() ? "/" : path + "/").addPathSegments("v1/poll/sessions");
    // A poll is held for up to `hold`; reads must be allowed to wait that long.
    OkHttpClient base = client != null ? client : ownClient();
    OkHttpClient c = base.newBuilder().readTimeout(hold.plus(options.connectTimeout()).plusSeconds(5)).build();
    return new HttpPollTransport(c, sessions.build(), hold, options, listener);
  }

  private static long waitMs(HttpUrl url, URI endpoint) {
    String value = url.queryParameter("waitMs");
    if (value == null) return DEFAULT_WAIT_MS;
    try {
      long ms = Long.parseLong(value);
      if (ms >= 0 && ms <= MAX_WAIT_MS) return ms;
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new IllegalArgumentException("waitMs must be 0 to " + MAX_WAIT_MS + " milliseconds: " + Uris.redact(endpoint));
  }

  private synchronized OkHttpClient ownClient() {
    if (own == null) own = new OkHttpClient();
    return own;
  }

  /**
   * Drops the pooled connections of this factory's own client (a client passed to {@link
   * #create(OkHttpClient)} is the app's and stays as it is). Each transport's request threads end with
   * the transport itself.
   */
  @Override
  public void close() {
    OkHttpClient c;
    synchronized (this) {
      c = own;
      own = null;
    }
    if (c != null) c.connectionPool().evictAll();
  }
}
