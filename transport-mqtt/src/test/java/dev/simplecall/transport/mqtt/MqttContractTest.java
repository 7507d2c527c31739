package dev.simplecall.transport.mqtt;

import dev.simplecall.spi.SignalingTransportFactory;
import dev.simplecall.testing.TransportContractTest;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

/**
 * The shared transport contract against a real mosquitto, a fresh one per test. "Service down" is a
 * clean mosquitto shutdown (SIGTERM), which publishes the Last Will of every connected client, so the
 * room is empty when it comes back, as it is for the signaling server. A crash (SIGKILL) keeps the
 * retained presence instead; {@link MosquittoRestartTest} covers that.
 */
class MqttContractTest extends TransportContractTest {
  private static final List<MosquittoBroker> brokers = new ArrayList<>();
  private MosquittoBroker broker;

  @Override
  protected int startService(int port) throws Exception {
    if (port == 0) {
      broker = MosquittoBroker.builder().build();
      brokers.add(broker);
    }
    broker.start();
    return broker.port();
  }

  @Override
  protected void stopService() {
    broker.stop();
  }

  /** The same port, a broker with a password file: alice and bob, each with a password of their own. */
  @Override
  protected void requireCredentials() throws Exception {
    takeServiceDown();
    broker = MosquittoBroker.builder().port(servicePort()).user("alice", "alice-password").user("bob", "bob-password").build();
    brokers.add(broker);
    bringServiceBack();
  }

  /** User name and password in the URI's user info; the refused ones carry a wrong password. */
  @Override
  protected Credentials credentials(String peer, int port, boolean accepted) {
    String password = accepted ? peer + "-password" : "wrong-password";
    return new Credentials(URI.create("mqtt://" + peer + ":" + password + "@127.0.0.1:" + port), options(peer).build());
  }

  @Override
  protected URI endpoint(int port) {
    return URI.create("mqtt://127.0.0.1:" + port);
  }

  @Override
  protected SignalingTransportFactory factory() {
    return new MqttTransportFactory();
  }

  @AfterAll
  static void deleteBrokers() throws IOException {
    for (MosquittoBroker b : brokers) b.close();
    brokers.clear();
  }
}
