package dev.simplecall.server.mqtt;

import dev.simplecall.server.TokenIssuer;
import dev.simplecall.spi.SignalingTransportFactory;
import dev.simplecall.testing.TestPorts;
import dev.simplecall.testing.TransportContractTest;
import dev.simplecall.transport.mqtt.MqttTransportFactory;
import java.net.URI;
import java.time.Duration;

/** The shared transport contract, MQTT transport against the embedded broker (Moquette). */
class MoquetteContractTest extends TransportContractTest {
  private static final String SECRET = "contract-test-secret-of-at-least-32-bytes";
  private EmbeddedBroker broker;
  private String authSecret;

  @Override
  protected int startService(int port) throws Exception {
    broker = EmbeddedBroker.builder().host("127.0.0.1").port(port == 0 ? TestPorts.restartable() : port)
        .authSecret(authSecret).start();
    return broker.port();
  }

  @Override
  protected void requireCredentials() throws Exception {
    takeServiceDown();
    authSecret = SECRET;
    bringServiceBack();
  }

  /** The peer id as user name and a join token as password; a token signed with another secret is refused. */
  @Override
  protected Credentials credentials(String peer, int port, boolean accepted) {
    String secret = accepted ? SECRET : "some-other-secret-of-at-least-32-bytes";
    String token = new TokenIssuer(secret).issue(peer, ROOM, Duration.ofMinutes(5));
    return new Credentials(endpoint(port), options(peer).token(token).build());
  }

  @Override
  protected void stopService() {
    broker.close();
  }

  @Override
  protected URI endpoint(int port) {
    return URI.create("mqtt://127.0.0.1:" + port);
  }

  @Override
  protected SignalingTransportFactory factory() {
    return new MqttTransportFactory();
  }
}
