/** The {@code mqtt} signaling transport; apps find it through {@code ServiceLoader} or pass {@link dev.simplecall.transport.mqtt.MqttTransportFactory}. */
module dev.simplecall.transport.mqtt {
  requires transitive dev.simplecall.protocol;
  requires org.eclipse.paho.client.mqttv3;
  requires org.slf4j;

  exports dev.simplecall.transport.mqtt;

  provides dev.simplecall.spi.SignalingTransportFactory with dev.simplecall.transport.mqtt.MqttTransportFactory;
}
