package dev.simplecall.transport.httppoll;

import dev.simplecall.server.TlsTransportTest;
import dev.simplecall.spi.SignalingTransportFactory;
import java.net.URI;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Tag;

/** {@code https://} long-poll against the signaling server's own TLS, with and without the CA trusted. */
@Tag("fast")
class HttpPollTlsTest extends TlsTransportTest {
  @Override
  protected URI endpoint(int port) {
    return URI.create("https://127.0.0.1:" + port + "?waitMs=1000");
  }

  @Override
  protected URI plainEndpoint(int port) {
    return URI.create("http://127.0.0.1:" + port + "?waitMs=1000");
  }

  @Override
  protected SignalingTransportFactory factory(OkHttpClient client) {
    return HttpPollTransportFactory.create(client);
  }

  @Override
  protected SignalingTransportFactory defaultFactory() {
    return new HttpPollTransportFactory();
  }
}
