package dev.simplecall.samples.cli;

import dev.simplecall.InMemorySignaling;
import dev.simplecall.server.SignalingServer;
import dev.simplecall.server.mqtt.EmbeddedBroker;
import java.io.IOException;
import java.net.URI;

/**
 * What the demo starts in-process for a transport: the signaling server on a free loopback port
 * (websocket, http-poll), an embedded MQTT broker (mqtt), or an in-memory hub (memory).
 * Closing stops them.
 */
final class EmbeddedServices implements AutoCloseable {
  private final SignalingServer server;
  private final EmbeddedBroker broker;
  private final InMemorySignaling hub;
  private final URI signaling;

  private EmbeddedServices(SignalingServer server, EmbeddedBroker broker, InMemorySignaling hub, URI signaling) {
    this.server = server;
    this.broker = broker;
    this.hub = hub;
    this.signaling = signaling;
  }

  static EmbeddedServices start(String transport) throws IOException {
    switch (Transports.requireName(transport)) {
      case "memory": {
        return new EmbeddedServices(null, null, new InMemorySignaling(), URI.create("memory://demo"));
      }
      case "mqtt": {
        EmbeddedBroker broker = EmbeddedBroker.start("127.0.0.1", 0);
        return new EmbeddedServices(null, broker, null, URI.create("mqtt://127.0.0.1:" + broker.port()));
      }
      default: {
        SignalingServer server = SignalingServer.builder().bind("127.0.0.1").port(0).build().start();
        String base = "127.0.0.1:" + server.port();
        URI uri = transport.equals("websocket") ? URI.create("ws://" + base + "/v1/ws") : URI.create("http://" + base);
        return new EmbeddedServices(server, null, null, uri);
      }
    }
  }

  URI signaling() {
    return signaling;
  }

  /** The in-memory hub (memory transport only), else null. */
  InMemorySignaling hub() {
    return hub;
  }

  String describe() {
    if (server != null) return "embedded signaling server at " + signaling;
    if (broker != null) return "embedded MQTT broker at " + signaling;
    return "in-memory signaling (" + signaling + ")";
  }

  @Override
  public void close() {
    if (server != null) server.close();
    if (broker != null) broker.close();
  }
}
