package dev.simplecall.samples.cli;

import io.moquette.BrokerConstants;
import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import java.io.IOException;
import java.util.List;
import java.util.Properties;

/**
 * An embedded MQTT broker (Moquette, in memory, anonymous) for {@code demo --transport mqtt},
 * {@code server --embedded-mqtt} and the MQTT sample, so nothing has to be installed.
 *
 * <pre>{@code
 * try (MqttBroker broker = MqttBroker.start("127.0.0.1", 0)) {
 *   URI signaling = URI.create("mqtt://127.0.0.1:" + broker.port());
 * }
 * }</pre>
 */
public final class MqttBroker implements AutoCloseable {
  private final Server server;
  private final int port;
  private boolean closed;

  private MqttBroker(Server server, int port) {
    this.server = server;
    this.port = port;
  }

  /** Starts a broker on {@code host:port}; port 0 picks a free one. */
  public static MqttBroker start(String host, int port) {
    Properties p = new Properties();
    p.setProperty(BrokerConstants.HOST_PROPERTY_NAME, host);
    p.setProperty(BrokerConstants.PORT_PROPERTY_NAME, Integer.toString(port));
    p.setProperty(BrokerConstants.WEB_SOCKET_PORT_PROPERTY_NAME, BrokerConstants.DISABLED_PORT_BIND);
    p.setProperty(BrokerConstants.ALLOW_ANONYMOUS_PROPERTY_NAME, "true");
    p.setProperty(BrokerConstants.PERSISTENCE_ENABLED_PROPERTY_NAME, "false");
    p.setProperty(BrokerConstants.NETTY_MAX_BYTES_PROPERTY_NAME, Integer.toString(256 * 1024));
    Server server = new Server();
    try {
      server.startServer(new MemoryConfig(p), List.of());
    } catch (IOException | RuntimeException e) {
      server.stopServer();
      throw new IllegalStateException("cannot start the embedded MQTT broker on " + host + ":" + port + ": " + e.getMessage(), e);
    }
    return new MqttBroker(server, server.getPort());
  }

  /** The bound port. */
  public int port() {
    return port;
  }

  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    server.stopServer();
  }
}
