package dev.simplecall.samples;

import dev.simplecall.server.SignalingServer;
import java.net.URI;

/** The real signaling server (which also serves the browser page) on 127.0.0.1 and a free port. */
final class InteropServer implements AutoCloseable {
  private final SignalingServer server;

  private InteropServer(SignalingServer server) {
    this.server = server;
  }

  static InteropServer start() {
    return new InteropServer(SignalingServer.builder().bind("127.0.0.1").port(0).build().start());
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.port();
  }

  URI webSocketUri() {
    return URI.create("ws://127.0.0.1:" + server.port() + "/v1/ws");
  }

  URI httpUri() {
    return URI.create(baseUrl());
  }

  @Override
  public void close() {
    server.close();
  }
}
