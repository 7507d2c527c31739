/** The {@code httppoll} signaling transport; apps find it through {@code ServiceLoader} or pass {@link dev.simplecall.transport.httppoll.HttpPollTransportFactory}. */
module dev.simplecall.transport.httppoll {
  requires transitive dev.simplecall.protocol;
  requires okhttp3;
  requires org.slf4j;

  exports dev.simplecall.transport.httppoll;

  provides dev.simplecall.spi.SignalingTransportFactory with dev.simplecall.transport.httppoll.HttpPollTransportFactory;
}
