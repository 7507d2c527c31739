/**
 * simplecall's SDK: {@code dev.simplecall} is what apps call ({@code CallClient}, {@code CallSession},
 * media, data channels, stats); the transport SPI comes with {@code dev.simplecall.protocol}.
 * Everything under {@code dev.simplecall.internal} is implementation and not exported.
 */
module dev.simplecall {
  requires transitive dev.simplecall.protocol;
  requires transitive java.desktop; // BufferedImage in the frame API
  requires java.net.http;
  requires com.squareup.moshi;
  requires okio;
  requires org.slf4j;
  requires webrtc.java;

  exports dev.simplecall;

  uses dev.simplecall.spi.SignalingTransportFactory;
}
