/**
 * The signaling envelope v1 and its JSON codec ({@code dev.simplecall.protocol}), the transport SPI
 * ({@code dev.simplecall.spi}) and helpers for transport authors ({@code dev.simplecall.spi.support}).
 * No WebRTC dependency: the signaling server and the transports depend on this module alone.
 */
module dev.simplecall.protocol {
  requires com.squareup.moshi;
  requires okio;
  requires org.slf4j;

  exports dev.simplecall.protocol;
  exports dev.simplecall.spi;
  exports dev.simplecall.spi.support;
}
