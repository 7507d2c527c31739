package dev.simplecall.server.mqtt;

import dev.simplecall.spi.SignalingTransportFactory;
import dev.simplecall.testing.TestPorts;
import dev.simplecall.testing.TransportContractTest;
import dev.simplecall.transport.mqtt.MqttTransportFactory;
import java.net.URI;

/** The shared transport contract, MQTT transport against the embedded broker (Moquette). */
class MoquetteContractTest extends TransportContractTest {
  private EmbeddedBroker broker;

  @Override
  protected int startService(int port) throws Exception {
    broker = EmbeddedBroker.start("127.0.0.1", port == 0 ? TestPorts.restartable() : port);
    return broker.port();
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
