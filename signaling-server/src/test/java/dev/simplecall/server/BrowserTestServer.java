package dev.simplecall.server;

/** The real signaling server the browser tests talk to, on 127.0.0.1 and a free port. */
final class BrowserTestServer implements AutoCloseable {
  private final SignalingServer server;

  private BrowserTestServer(SignalingServer server) {
    this.server = server;
  }

  static BrowserTestServer start() {
    return new BrowserTestServer(SignalingServer.builder().bind("127.0.0.1").port(0).build().start());
  }

  int port() {
    return server.port();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.port();
  }

  @Override
  public void close() {
    server.close();
  }
}
