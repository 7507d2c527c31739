package dev.simplecall.server.mqtt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.spi.support.NoDelaySocketFactory;
import java.net.Socket;
import java.net.URI;
import javax.net.SocketFactory;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The Paho options the bridge connects with. */
@Tag("fast")
class MqttBridgeOptionsTest {
  @Test
  void aPlainConnectionHasTcpNoDelay() throws Exception {
    // Paho writes a PUBLISH's header and payload separately: with Nagle's algorithm the payload waited
    // for the broker's delayed ACK, and a message from a WebSocket peer to an MQTT peer took ~40 ms
    // (the hostile MQTT corpus measured a p99 of 44 ms, 9.6 ms with TCP_NODELAY).
    MqttConnectOptions o = MqttBridge.connectOptions(URI.create("tcp://broker:1883"), false, new MqttConnectOptions());
    assertSame(NoDelaySocketFactory.INSTANCE, o.getSocketFactory());
    try (Socket s = NoDelaySocketFactory.INSTANCE.createSocket()) {
      assertTrue(s.getTcpNoDelay());
    }
  }

  @Test
  void theAppsSocketFactoryAndTlsAreLeftAsTheyAre() {
    MqttConnectOptions template = new MqttConnectOptions();
    SocketFactory mine = SocketFactory.getDefault();
    template.setSocketFactory(mine);
    assertSame(mine, MqttBridge.connectOptions(URI.create("tcp://broker:1883"), false, template).getSocketFactory());
    assertNull(MqttBridge.connectOptions(URI.create("ssl://broker:8883"), true, new MqttConnectOptions()).getSocketFactory());
  }

  @Test
  void theUrisUserInfoWinsOverTheTemplatesCredentials() {
    MqttConnectOptions template = new MqttConnectOptions();
    template.setUserName("t");
    template.setPassword("tp".toCharArray());
    MqttConnectOptions o = MqttBridge.connectOptions(URI.create("tcp://u:p@broker:1883"), false, template);
    assertEquals("u", o.getUserName());
    assertArrayEquals("p".toCharArray(), o.getPassword());
    assertEquals(1000, o.getMaxInflight());
    assertTrue(o.isCleanSession());
    assertTrue(o.isAutomaticReconnect());
  }
}
