package dev.simplecall.server;

import dev.simplecall.testing.TestPorts;
import dev.simplecall.testing.TransportContractTest;
import java.time.Duration;

/**
 * The shared transport contract against the real signaling server on loopback. Transports that talk
 * to the server (WebSocket, long-poll) extend this and name only their endpoint and factory; tests that
 * need other settings change {@link #settings} between {@code takeServiceDown()} and
 * {@code bringServiceBack()}.
 */
public abstract class ServerContractTest extends TransportContractTest {
  protected static final String SECRET = "contract-test-secret-of-at-least-32-bytes";

  private SignalingServer server;
  protected SignalingServer.Builder settings = SignalingServer.builder().rateLimit(10_000, 10_000);

  @Override
  protected int startService(int port) {
    server = settings.port(port == 0 ? TestPorts.restartable() : port).build().start();
    return server.port();
  }

  @Override
  protected void stopService() {
    server.close();
  }

  @Override
  protected void requireCredentials() throws Exception {
    takeServiceDown();
    settings = settings.authSecret(SECRET);
    bringServiceBack();
  }

  /** A join token for the contract room, signed with the server's secret or, to be refused, another one. */
  @Override
  protected Credentials credentials(String peer, int port, boolean accepted) {
    String secret = accepted ? SECRET : "some-other-secret-of-at-least-32-bytes";
    String token = new TokenIssuer(secret).issue(peer, ROOM, Duration.ofMinutes(5));
    return new Credentials(endpoint(port), options(peer).token(token).build());
  }
}
