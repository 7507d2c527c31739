package dev.simplecall;

import dev.simplecall.internal.ClientContext;
import dev.simplecall.internal.SessionImpl;
import dev.simplecall.internal.Transports;
import dev.simplecall.spi.SignalingTransportFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * The entry point: immutable settings shared by many sessions (ICE servers, transport factories,
 * the callback executor, media defaults). Each call gets its own native WebRTC factory and audio
 * device module, released when its session ends. Build one client per app and {@link #close()} it
 * at the end: it ends the sessions still running, and the JVM can exit only once their native
 * factories (whose threads are not daemons) are released.
 *
 * <pre>{@code
 * try (CallClient client = CallClient.builder()
 *     .addIceServer(IceServer.of("stun:stun.example.org:3478"))
 *     .build()) {
 *   CallSession session = client.newSession(SessionOptions.builder()
 *       .signaling(URI.create("ws://localhost:8080/v1/ws")).room("r1").peerId("alice").build(),
 *       new CallSession.Listener() {});
 *   session.call("bob");
 * }
 * }</pre>
 */
public final class CallClient implements AutoCloseable {
  private final List<IceServer> iceServers;
  private final IceTransportPolicy iceTransportPolicy;
  private final MediaOptions media;
  private final Transports transports;
  private final ClientContext context;

  private CallClient(Builder b) {
    this.iceServers = List.copyOf(b.iceServers);
    this.iceTransportPolicy = b.iceTransportPolicy;
    this.media = b.media;
    this.transports = new Transports(b.factories);
    this.context = new ClientContext(iceServers, iceTransportPolicy, media, b.callbackExecutor, b.httpClient);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder with this client's settings (the new client gets its own native factory). */
  public Builder newBuilder() {
    Builder b = new Builder();
    b.iceServers.addAll(iceServers);
    b.iceTransportPolicy = iceTransportPolicy;
    b.media = media;
    b.factories.addAll(transports.explicitFactories());
    b.callbackExecutor = context.appExecutor();
    b.httpClient = context.appHttpClient();
    return b;
  }

  public List<IceServer> iceServers() {
    return iceServers;
  }

  public IceTransportPolicy iceTransportPolicy() {
    return iceTransportPolicy;
  }

  public MediaOptions media() {
    return media;
  }

  /**
   * Makes a session; call {@link CallSession#start()} or {@link CallSession#call(String)} on it.
   *
   * @throws IllegalArgumentException when no transport handles the signaling URI's scheme
   * @throws IllegalStateException when this client is closed
   */
  public CallSession newSession(SessionOptions options, CallSession.Listener listener) {
    Objects.requireNonNull(options, "options == null");
    Objects.requireNonNull(listener, "listener == null");
    SignalingTransportFactory factory = transportFactoryFor(options.signaling());
    return SessionImpl.create(context, factory, options, listener);
  }

  /**
   * The transport factory for {@code uri}'s scheme: explicit factories first, then ServiceLoader.
   *
   * @throws IllegalArgumentException naming the URI and every factory tried, when none matches
   */
  public SignalingTransportFactory transportFactoryFor(URI uri) {
    Objects.requireNonNull(uri, "uri == null");
    return transports.factoryFor(uri);
  }

  /**
   * Ends every session ({@link EndReason#CLIENT_CLOSED}), disposes native resources and closes the
   * transport factories this client discovered (factories passed to the builder are the app's to
   * close). Idempotent.
   */
  @Override
  public void close() {
    context.close();
    transports.close();
  }

  public static final class Builder {
    private final List<IceServer> iceServers = new ArrayList<>();
    private IceTransportPolicy iceTransportPolicy = IceTransportPolicy.ALL;
    private MediaOptions media = MediaOptions.defaults();
    private final List<SignalingTransportFactory> factories = new ArrayList<>();
    private Executor callbackExecutor;
    private HttpClient httpClient;

    private Builder() {}

    public Builder iceServers(List<IceServer> servers) {
      Objects.requireNonNull(servers, "iceServers == null");
      for (IceServer s : servers) Objects.requireNonNull(s, "iceServers contains null");
      iceServers.clear();
      iceServers.addAll(servers);
      return this;
    }

    public Builder addIceServer(IceServer server) {
      iceServers.add(Objects.requireNonNull(server, "server == null"));
      return this;
    }

    public Builder iceTransportPolicy(IceTransportPolicy policy) {
      this.iceTransportPolicy = Objects.requireNonNull(policy, "iceTransportPolicy == null");
      return this;
    }

    /**
     * Where listener callbacks run (one at a time per session). Default: one named daemon thread per
     * client. When this executor refuses a callback (shut down, or saturated with an abort policy), the
     * SDK logs a warning and runs the callbacks on its own thread instead, so none is lost and
     * {@code onEnded} still arrives exactly once.
     */
    public Builder callbackExecutor(Executor executor) {
      this.callbackExecutor = Objects.requireNonNull(executor, "callbackExecutor == null");
      return this;
    }

    /**
     * The HTTP client for the SDK's own HTTP requests: fetching fresh TURN credentials from the
     * signaling server ({@code GET /v1/turn-credentials}) before the ones from the welcome expire.
     * Set it to apply your proxy, TLS ({@code SSLContext}) and authenticator settings there; the
     * signaling transports take their own client (for example {@code WebSocketTransportFactory.create(okHttp)}).
     * Default: a plain {@code HttpClient} with a 10 s connect timeout. Each request has a 10 s timeout.
     *
     * <pre>{@code
     * HttpClient http = HttpClient.newBuilder().proxy(ProxySelector.of(corporateProxy)).sslContext(tls).build();
     * CallClient client = CallClient.builder().httpClient(http).build();
     * }</pre>
     */
    public Builder httpClient(HttpClient httpClient) {
      this.httpClient = Objects.requireNonNull(httpClient, "httpClient == null");
      return this;
    }

    /** A transport factory that wins over ServiceLoader-discovered ones for its schemes. */
    public Builder addTransportFactory(SignalingTransportFactory factory) {
      factories.add(Objects.requireNonNull(factory, "factory == null"));
      return this;
    }

    public Builder media(MediaOptions media) {
      this.media = Objects.requireNonNull(media, "media == null");
      return this;
    }

    public CallClient build() {
      return new CallClient(this);
    }
  }
}
