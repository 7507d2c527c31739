package dev.simplecall.samples.cli;

import io.moquette.BrokerConstants;
import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
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
  private final Path data;
  private boolean closed;

  private MqttBroker(Server server, int port, Path data) {
    this.server = server;
    this.port = port;
    this.data = data;
  }

  /** Starts a broker on {@code host:port}; port 0 picks a free one. */
  public static MqttBroker start(String host, int port) {
    if (port != 0) return startOn(host, port);
    // Moquette reports the configured port, not the bound one: pick a free port first; retry if
    // someone else takes it in between
    IllegalStateException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        return startOn(host, freePort(host));
      } catch (IllegalStateException e) {
        last = e;
      }
    }
    throw last;
  }

  private static int freePort(String host) {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port on " + host + ": " + e.getMessage(), e);
    }
  }

  private static MqttBroker startOn(String host, int port) {
    Properties p = new Properties();
    p.setProperty(BrokerConstants.HOST_PROPERTY_NAME, host);
    p.setProperty(BrokerConstants.PORT_PROPERTY_NAME, Integer.toString(port));
    p.setProperty(BrokerConstants.WEB_SOCKET_PORT_PROPERTY_NAME, BrokerConstants.DISABLED_PORT_BIND);
    p.setProperty(BrokerConstants.ALLOW_ANONYMOUS_PROPERTY_NAME, "true");
    p.setProperty(BrokerConstants.PERSISTENCE_ENABLED_PROPERTY_NAME, "false");
    p.setProperty(BrokerConstants.NETTY_MAX_BYTES_PROPERTY_NAME, Integer.toString(256 * 1024));
    Server server = new Server();
    Path data = null;
    try {
      data = Files.createTempDirectory("simplecall-moquette");
      p.setProperty(BrokerConstants.DATA_PATH_PROPERTY_NAME, data.toString());
      server.startServer(new MemoryConfig(p), List.of());
    } catch (IOException | RuntimeException e) {
      server.stopServer();
      delete(data);
      throw new IllegalStateException("cannot start the embedded MQTT broker on " + host + ":" + port + ": " + e.getMessage(), e);
    }
    return new MqttBroker(server, port, data);
  }

  private static void delete(Path dir) {
    if (dir == null) return;
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException ignored) {
      // a temp dir left behind is harmless
    }
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
    delete(data);
  }
}
