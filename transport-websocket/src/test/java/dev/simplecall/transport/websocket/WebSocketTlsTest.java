package dev.simplecall.transport.websocket;

import dev.simplecall.server.TlsTransportTest;
import dev.simplecall.spi.SignalingTransportFactory;
import java.net.URI;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Tag;

/** {@code wss://} against the signaling server's own TLS, with and without the CA trusted. */
@Tag("fast")
class WebSocketTlsTest extends TlsTransportTest {
  @Override
  protected URI endpoint(int port) {
    return URI.create("wss://127.0.0.1:" + port + "/v1/ws");
  }

  @Override
  protected URI plainEndpoint(int port) {
    return URI.create("ws://127.0.0.1:" + port + "/v1/ws");
  }

  @Override
  protected SignalingTransportFactory factory(OkHttpClient client) {
    return WebSocketTransportFactory.create(client);
  }

  @Override
  protected SignalingTransportFactory defaultFactory() {
    return new WebSocketTransportFactory();
  }
}
