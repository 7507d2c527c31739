package dev.simplecall.server.mqtt;

import io.moquette.BrokerConstants;
import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Properties;

/**
 * An MQTT 3.1.1 broker inside the JVM (Moquette), so that {@code simplecall demo --transport mqtt}
 * and {@code simplecall server --embedded-mqtt PORT} need nothing installed. In memory only: sessions
 * and retained presence last as long as the process.
 *
 * <p>With an {@linkplain Builder#authSecret auth secret} (the signaling server's) the broker admits a
 * client only with user name = peer id, password = a join token for that peer (valid signature, not
 * expired at CONNECT), and client id = {@link dev.simplecall.protocol.MqttNames#clientId}
 * of the token's (room, peer), which is what the SDK's MQTT transport sends. Each client may then use
 * only its own topics in the token's room, the rules of config/mosquitto/simplecall.acl: write
 * {@code simplecall/v1/ROOM/to/+/from/ME} and {@code simplecall/v1/ROOM/presence/ME}, read
 * {@code simplecall/v1/ROOM/to/ME/from/+} and {@code simplecall/v1/ROOM/presence/+}; a wildcard filter
 * is granted only when all it can match is allowed, and a Will only on a topic the client may write.
 * {@link MqttBridge#start(dev.simplecall.server.SignalingServer, EmbeddedBroker)} logs in as
 * {@link #BRIDGE_USER} with a random password made per broker, with access to {@code simplecall/v1/#}.
 * A token's expiry is checked at CONNECT; a connection outlives it.
 *
 * <p>Without an auth secret the broker is open (anyone may connect, read and write anything), so
 * {@link Builder#start()} refuses a non-loopback host unless {@link Builder#insecure insecure}.
 *
 * <pre>{@code
 * try (EmbeddedBroker broker = EmbeddedBroker.builder().host("0.0.0.0").port(1883).authSecret(secret).start()) {
 *   URI signaling = broker.uri();   // mqtt://0.0.0.0:1883
 * }
 * try (EmbeddedBroker broker = EmbeddedBroker.start("127.0.0.1", 0)) { ... }   // open, loopback only
 * }</pre>
 */
public final class EmbeddedBroker implements AutoCloseable {
  /** Largest MQTT packet accepted: one 64 KiB envelope plus topic and headers. */
  static final int MAX_PACKET_BYTES = 80 * 1024;
  /** The bridge's user name: {@code '@'} is outside the peer-id alphabet, so no peer can take it. */
  public static final String BRIDGE_USER = "@simplecall-bridge";

  private final Server server;
  private BrokerAccess access; // null for an open broker; set once before the broker is handed out
  private final String host;
  private final int port;
  private final byte[] bridgePassword; // null: no auth
  private boolean closed;

  private EmbeddedBroker(Server server, String host, int port, byte[] bridgePassword) {
    this.server = server;
    this.host = host;
    this.port = port;
    this.bridgePassword = bridgePassword;
  }

  /**
   * A builder without host and port, and without an auth secret.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * An open broker (no auth, no ACL) on {@code host:port}; {@code host} must be a loopback address.
   * With {@code port} 0 a free port is picked first (Moquette does not report the port it bound), see
   * {@link #port()}.
   *
   * @param host the address to listen on, a loopback one
   * @param port 0 to 65535; 0 picks a free port
   * @return the running broker
   * @throws NullPointerException when {@code host} is {@code null}
   * @throws IllegalArgumentException when {@code port} is out of range
   * @throws IllegalStateException for a non-loopback host: use {@link #builder()} with an auth secret
   * @throws IOException when the broker cannot listen on {@code host:port}
   */
  public static EmbeddedBroker start(String host, int port) throws IOException {
    return builder().host(host).port(port).start();
  }

  private static EmbeddedBroker start(String host, int port, String authSecret, String previousSecret,
      Instant previousUntil) throws IOException {
    if (port == 0) port = freePort(host);
    Properties p = new Properties();
    p.setProperty(BrokerConstants.HOST_PROPERTY_NAME, host);
    p.setProperty(BrokerConstants.PORT_PROPERTY_NAME, Integer.toString(port));
    p.setProperty(BrokerConstants.WEB_SOCKET_PORT_PROPERTY_NAME, BrokerConstants.DISABLED_PORT_BIND);
    p.setProperty(BrokerConstants.ALLOW_ANONYMOUS_PROPERTY_NAME, Boolean.toString(authSecret == null));
    p.setProperty(BrokerConstants.PERSISTENCE_ENABLED_PROPERTY_NAME, "false");
    // Moquette reports usage to its authors' server unless told not to; this broker talks to no one
    p.setProperty(BrokerConstants.ENABLE_TELEMETRY_NAME, "false");
    p.setProperty(BrokerConstants.METRICS_ENABLE_PROPERTY_NAME, "false");
    p.setProperty(BrokerConstants.BUGSNAG_ENABLE_PROPERTY_NAME, "false");
    p.setProperty(BrokerConstants.NETTY_MAX_BYTES_PROPERTY_NAME, Integer.toString(MAX_PACKET_BYTES));
    p.setProperty(BrokerConstants.IMMEDIATE_BUFFER_FLUSH_PROPERTY_NAME, "true");
    Server server = new Server();
    if (authSecret == null) {
      server.startServer(new MemoryConfig(p));
      guard(server, null);
      return new EmbeddedBroker(server, host, port, null);
    }
    byte[] bridgePassword = new byte[32];
    new SecureRandom().nextBytes(bridgePassword);
    bridgePassword = Base64.getUrlEncoder().withoutPadding().encode(bridgePassword);
    BrokerAccess access = new BrokerAccess(authSecret, previousSecret, previousUntil, bridgePassword);
    server.startServer(new MemoryConfig(p), List.of(), null, access, access);
    guard(server, access); // until it is in, every CONNECT is refused (fails closed)
    access.attach(server);
    EmbeddedBroker broker = new EmbeddedBroker(server, host, port, bridgePassword);
    broker.access = access;
    return broker;
  }

  /** Installs the {@link PacketGuard}; a broker that cannot have one is stopped. */
  private static void guard(Server server, BrokerAccess access) throws IOException {
    try {
      PacketGuard.install(server);
    } catch (ReflectiveOperationException | RuntimeException e) {
      server.stopServer();
      if (access != null) access.close();
      throw new IOException("cannot guard the embedded MQTT broker's connections on this Moquette version: " + e, e);
    }
  }

  private static int freePort(String host) throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(host, 0));
      return s.getLocalPort();
    }
  }

  /**
   * Whether clients must log in with a join token (an auth secret was given).
   *
   * @return {@code true} with an auth secret, {@code false} for an open broker
   */
  public boolean authenticates() {
    return bridgePassword != null;
  }

  /** Where a client in this JVM reaches the broker: {@code tcp://host:port}, loopback for a wildcard host. */
  URI localUri() {
    String h = host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") ? "127.0.0.1" : host;
    return URI.create("tcp://" + (h.contains(":") && !h.startsWith("[") ? "[" + h + "]" : h) + ":" + port);
  }

  /** User name and password for the bridge; {@code null} for an open broker. Never printed. */
  char[] bridgePassword() {
    return bridgePassword == null ? null : new String(bridgePassword, StandardCharsets.US_ASCII).toCharArray();
  }

  /**
   * The port the broker listens on.
   *
   * @return the port given, or the one picked for port 0
   */
  public int port() {
    return port;
  }

  /**
   * {@code mqtt://host:port}, for {@code SessionOptions.signaling}.
   *
   * @return the URI with the host as given (an IPv6 literal in brackets), without credentials; a
   *     wildcard host such as {@code 0.0.0.0} is kept, so replace it with a reachable name for clients
   */
  public URI uri() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return URI.create("mqtt://" + h + ":" + port);
  }

  /** Stops the broker and frees the port. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    server.stopServer();
    if (access != null) access.close();
  }

  @Override
  public String toString() {
    return "EmbeddedBroker[" + uri() + (authenticates() ? ", join tokens required" : ", open") + "]";
  }

  /** Settings for {@link #start()}; {@code host} and {@code port} are required. */
  public static final class Builder {
    private String host;
    private int port = -1;
    private String authSecret;
    private String previousSecret;
    private Instant previousUntil;
    private boolean insecure;

    private Builder() {}

    /**
     * Address to listen on. Required.
     *
     * @param host a host name or IP literal; one that resolves to any non-loopback address needs an
     *     auth secret or {@link #insecure}
     * @return this builder
     * @throws NullPointerException when {@code host} is {@code null}
     */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host == null");
      return this;
    }

    /**
     * Port to listen on; 0 picks a free one. Required.
     *
     * @param port 0 to 65535
     * @return this builder
     * @throws IllegalArgumentException when {@code port} is out of range
     */
    public Builder port(int port) {
      if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
      this.port = port;
      return this;
    }

    /**
     * The signaling server's HS256 secret: clients log in with a join token. {@code null}: an open broker.
     *
     * @param authSecret the secret, or {@code null} (the default)
     * @return this builder
     * @throws IllegalArgumentException when {@code authSecret} is empty
     */
    public Builder authSecret(String authSecret) {
      if (authSecret != null && authSecret.isEmpty()) throw new IllegalArgumentException("authSecret is empty");
      this.authSecret = authSecret;
      return this;
    }

    /**
     * As {@code SignalingServer.Builder.previousAuthSecret}: tokens signed with it log in until {@code until}.
     *
     * @param previousSecret the secret used before the auth secret, or {@code null} (the default);
     *     {@link #start()} refuses it without an auth secret
     * @param until the end of the rotation window, or {@code null} exactly when {@code previousSecret} is
     * @return this builder
     * @throws IllegalArgumentException when only one of the two is {@code null}
     */
    public Builder previousAuthSecret(String previousSecret, Instant until) {
      if ((previousSecret == null) != (until == null)) throw new IllegalArgumentException("previous secret and until go together");
      this.previousSecret = previousSecret;
      this.previousUntil = until;
      return this;
    }

    /**
     * Allows an open broker (no auth secret) on a non-loopback host: anyone can read and write anything.
     *
     * @param insecure {@code true} to allow it (default {@code false})
     * @return this builder
     */
    public Builder insecure(boolean insecure) {
      this.insecure = insecure;
      return this;
    }

    /**
     * Starts the broker.
     *
     * @return the running broker; close it to stop it
     * @throws IllegalStateException when host or port is missing, or for an open broker on a
     *     non-loopback host without {@link #insecure}, or a previous secret without an auth secret, or
     *     (for an open broker) a host that does not resolve
     * @throws IOException when the broker cannot listen on the host and port, or (with an auth secret)
     *     its CONNECT check cannot be installed on this Moquette version
     */
    public EmbeddedBroker start() throws IOException {
      if (host == null) throw new IllegalStateException("host is required");
      if (port < 0) throw new IllegalStateException("port is required");
      if (authSecret == null && !insecure && !isLoopback(host)) {
        throw new IllegalStateException("an embedded MQTT broker on " + host + " without an auth secret would let anyone"
            + " on the network read and send every room's signaling; give it the server's auth secret, bind it to"
            + " loopback, or allow it explicitly with insecure");
      }
      if (previousSecret != null && authSecret == null) throw new IllegalStateException("a previous auth secret needs an auth secret");
      return EmbeddedBroker.start(host, port, authSecret, previousSecret, previousUntil);
    }

    private static boolean isLoopback(String host) {
      try {
        for (InetAddress a : InetAddress.getAllByName(host)) if (!a.isLoopbackAddress()) return false;
        return true;
      } catch (UnknownHostException e) {
        throw new IllegalStateException("cannot resolve the embedded MQTT broker's host " + host, e);
      }
    }
  }
}
