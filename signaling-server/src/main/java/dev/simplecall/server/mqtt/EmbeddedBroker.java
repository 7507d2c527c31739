package dev.simplecall.server.mqtt;

import io.moquette.BrokerConstants;
import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.Objects;
import java.util.Properties;

/**
 * An MQTT 3.1.1 broker inside the JVM (Moquette), so that {@code simplecall demo --transport mqtt}
 * and {@code simplecall server --embedded-mqtt PORT} need nothing installed. In memory only: sessions
 * and retained presence last as long as the process. No authentication and no ACL: bind it to
 * loopback, or use mosquitto with config/mosquitto/simplecall.acl where identity matters.
 *
 * <pre>{@code
 * try (EmbeddedBroker broker = EmbeddedBroker.start("127.0.0.1", 1883)) {
 *   URI signaling = broker.uri();   // mqtt://127.0.0.1:1883
 * }
 * }</pre>
 */
public final class EmbeddedBroker implements AutoCloseable {
  /** Largest MQTT packet accepted: one 64 KiB envelope plus topic and headers. */
  static final int MAX_PACKET_BYTES = 80 * 1024;

  private final Server server;
  private final String host;
  private final int port;
  private boolean closed;

  private EmbeddedBroker(Server server, String host, int port) {
    this.server = server;
    this.host = host;
    this.port = port;
  }

  /**
   * Starts a broker listening on {@code host:port}. With {@code port} 0 a free port is picked first
   * (Moquette does not report the port it bound), see {@link #port()}.
   */
  public static EmbeddedBroker start(String host, int port) throws IOException {
    Objects.requireNonNull(host, "host == null");
    if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
    if (port == 0) port = freePort(host);
    Properties p = new Properties();
    p.setProperty(BrokerConstants.HOST_PROPERTY_NAME, host);
    p.setProperty(BrokerConstants.PORT_PROPERTY_NAME, Integer.toString(port));
    p.setProperty(BrokerConstants.WEB_SOCKET_PORT_PROPERTY_NAME, BrokerConstants.DISABLED_PORT_BIND);
    p.setProperty(BrokerConstants.ALLOW_ANONYMOUS_PROPERTY_NAME, "true");
    p.setProperty(BrokerConstants.PERSISTENCE_ENABLED_PROPERTY_NAME, "false");
    // Moquette reports usage to its authors' server unless told not to; this broker talks to no one
    p.setProperty(BrokerConstants.ENABLE_TELEMETRY_NAME, "false");
    p.setProperty(BrokerConstants.METRICS_ENABLE_PROPERTY_NAME, "false");
    p.setProperty(BrokerConstants.BUGSNAG_ENABLE_PROPERTY_NAME, "false");
    p.setProperty(BrokerConstants.NETTY_MAX_BYTES_PROPERTY_NAME, Integer.toString(MAX_PACKET_BYTES));
    p.setProperty(BrokerConstants.IMMEDIATE_BUFFER_FLUSH_PROPERTY_NAME, "true");
    Server server = new Server();
    server.startServer(new MemoryConfig(p));
    return new EmbeddedBroker(server, host, port);
  }

  private static int freePort(String host) throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(host, 0));
      return s.getLocalPort();
    }
  }

  public int port() {
    return port;
  }

  /** {@code mqtt://host:port}, for {@code SessionOptions.signaling}. */
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
  }

  @Override
  public String toString() {
    return "EmbeddedBroker[" + uri() + "]";
  }
}
