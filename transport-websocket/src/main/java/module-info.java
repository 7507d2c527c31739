/** The {@code websocket} signaling transport; apps find it through {@code ServiceLoader} or pass {@link dev.simplecall.transport.websocket.WebSocketTransportFactory}. */
module dev.simplecall.transport.websocket {
  requires transitive dev.simplecall.protocol;
  requires okhttp3;
  requires org.slf4j;

  exports dev.simplecall.transport.websocket;

  provides dev.simplecall.spi.SignalingTransportFactory with dev.simplecall.transport.websocket.WebSocketTransportFactory;
}
