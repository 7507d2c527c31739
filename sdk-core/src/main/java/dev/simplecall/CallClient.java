package dev.simplecall;

import dev.simplecall.internal.ClientContext;
import dev.simplecall.internal.RoomImpl;
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

  /**
   * A builder with the defaults: no ICE servers, {@link IceTransportPolicy#ALL}, {@link
   * MediaOptions#defaults()}, the transports found with ServiceLoader, an own callback thread and HTTP
   * client.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder with this client's settings (the new client gets its own native factory).
   *
   * @return a new builder with this client's ICE servers, policy, media, the transport factories and
   *     HTTP client given to its builder, and the executor its callbacks run on: when none was given,
   *     this client's own callback thread, which stops when this client is closed
   */
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

  /**
   * The ICE servers every call of this client uses. A call also uses the TURN servers the signaling
   * server hands out and those of its {@link SessionOptions#iceServers()}.
   *
   * @return an unmodifiable list, possibly empty
   */
  public List<IceServer> iceServers() {
    return iceServers;
  }

  /**
   * Which candidates calls may use, unless {@link SessionOptions#iceTransportPolicy()} overrides it.
   *
   * @return the policy; {@link IceTransportPolicy#ALL} unless the builder set another
   */
  public IceTransportPolicy iceTransportPolicy() {
    return iceTransportPolicy;
  }

  /**
   * What sessions send unless {@link SessionOptions#media()} says otherwise.
   *
   * @return the media options; {@link MediaOptions#defaults()} unless the builder set others
   */
  public MediaOptions media() {
    return media;
  }

  /**
   * Makes a session; call {@link CallSession#start()} or {@link CallSession#call(String)} on it.
   * Nothing is connected yet.
   *
   * @param options where to signal, the room, the peer id, call timing and optionally media and ICE
   *     settings that override the client's
   * @param listener the session's events, called on the client's callback executor
   * @return a new session in state {@link CallState#NEW}
   * @throws NullPointerException when {@code options} or {@code listener} is {@code null}
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
   * Joins a group call: one signaling connection to the room and a peer connection to every other
   * member, made as members come and go. The room session starts at once.
   *
   * @param options where to signal, the room, the peer id, media and ICE settings for every connection,
   *     and the largest room to join
   * @param listener the room's events, called on the client's callback executor
   * @return the room session, {@link RoomSession.State#JOINING}
   * @throws NullPointerException when {@code options} or {@code listener} is {@code null}
   * @throws IllegalArgumentException when no transport handles the signaling URI's scheme
   * @throws IllegalStateException when this client is closed
   */
  public RoomSession joinRoom(RoomOptions options, RoomSession.Listener listener) {
    Objects.requireNonNull(options, "options == null");
    Objects.requireNonNull(listener, "listener == null");
    SignalingTransportFactory factory = transportFactoryFor(options.session().signaling());
    return RoomImpl.join(context, factory, options, listener);
  }

  /**
   * The transport factory for {@code uri}'s scheme: explicit factories first, then ServiceLoader.
   *
   * @param uri a signaling URI, such as {@code ws://host:8080/v1/ws}; its scheme is compared without
   *     regard to case
   * @return the first factory whose {@code schemes()} contain the URI's scheme
   * @throws IllegalArgumentException naming the URI and every factory tried, when none matches
   * @throws IllegalStateException when this client is closed and no factory given to the builder matches
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

  /**
   * Builds a {@link CallClient}. Every setting has a default; see {@link CallClient#builder()}. Not
   * thread-safe.
   */
  public static final class Builder {
    private final List<IceServer> iceServers = new ArrayList<>();
    private IceTransportPolicy iceTransportPolicy = IceTransportPolicy.ALL;
    private MediaOptions media = MediaOptions.defaults();
    private final List<SignalingTransportFactory> factories = new ArrayList<>();
    private Executor callbackExecutor;
    private HttpClient httpClient;

    private Builder() {}

    /**
     * Replaces the ICE servers (STUN and TURN) every call uses.
     *
     * @param servers the servers, copied; may be empty
     * @return this builder
     * @throws NullPointerException when {@code servers} or one of its elements is {@code null}
     */
    public Builder iceServers(List<IceServer> servers) {
      Objects.requireNonNull(servers, "iceServers == null");
      for (IceServer s : servers) Objects.requireNonNull(s, "iceServers contains null");
      iceServers.clear();
      iceServers.addAll(servers);
      return this;
    }

    /**
     * Adds an ICE server after those already set.
     *
     * @param server a STUN or TURN server
     * @return this builder
     * @throws NullPointerException when {@code server} is {@code null}
     */
    public Builder addIceServer(IceServer server) {
      iceServers.add(Objects.requireNonNull(server, "server == null"));
      return this;
    }

    /**
     * Which candidates calls may use (default {@link IceTransportPolicy#ALL}).
     *
     * @param policy {@link IceTransportPolicy#RELAY} to use TURN relays only
     * @return this builder
     * @throws NullPointerException when {@code policy} is {@code null}
     */
    public Builder iceTransportPolicy(IceTransportPolicy policy) {
      this.iceTransportPolicy = Objects.requireNonNull(policy, "iceTransportPolicy == null");
      return this;
    }

    /**
     * Where listener callbacks run (one at a time per session). Default: one named daemon thread per
     * client. When this executor refuses a callback (shut down, or saturated with an abort policy), the
     * SDK logs a warning and runs the callbacks on its own thread instead, so none is lost and
     * {@code onEnded} still arrives exactly once.
     *
     * @param executor runs the callbacks; the client neither shuts it down nor waits for it
     * @return this builder
     * @throws NullPointerException when {@code executor} is {@code null}
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
     *
     * @param httpClient the client for the SDK's HTTP requests of every session of this client
     * @return this builder
     * @throws NullPointerException when {@code httpClient} is {@code null}
     */
    public Builder httpClient(HttpClient httpClient) {
      this.httpClient = Objects.requireNonNull(httpClient, "httpClient == null");
      return this;
    }

    /**
     * A transport factory that wins over ServiceLoader-discovered ones for its schemes. Factories added
     * first win over later ones. The app closes it: {@link CallClient#close()} does not.
     *
     * @param factory a factory, such as {@link InMemorySignaling#transportFactory()}
     * @return this builder
     * @throws NullPointerException when {@code factory} is {@code null}
     */
    public Builder addTransportFactory(SignalingTransportFactory factory) {
      factories.add(Objects.requireNonNull(factory, "factory == null"));
      return this;
    }

    /**
     * What sessions send unless their {@link SessionOptions#media()} says otherwise (default {@link
     * MediaOptions#defaults()}: a test pattern and a tone).
     *
     * @param media the media options
     * @return this builder
     * @throws NullPointerException when {@code media} is {@code null}
     */
    public Builder media(MediaOptions media) {
      this.media = Objects.requireNonNull(media, "media == null");
      return this;
    }

    /**
     * Makes the client. Its callback thread (when no executor was given) and timer thread are daemons;
     * native WebRTC resources are made per call, not here.
     *
     * @return a new client; {@link CallClient#close()} it when done
     */
    public CallClient build() {
      return new CallClient(this);
    }
  }
}
