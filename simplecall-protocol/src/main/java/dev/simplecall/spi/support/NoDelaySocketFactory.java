package dev.simplecall.spi.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * Plain sockets with TCP_NODELAY, for a transport's client library that writes one message in several
 * writes. Paho, for one, writes a PUBLISH's header and payload separately; with Nagle's algorithm the
 * second waits for the broker's delayed ACK (about 40 ms on Linux) on every message, which is most of
 * the signaling latency on a fast network. The MQTT transport and the server's MQTT bridge use it when
 * the app gives no socket factory of its own.
 *
 * <pre>{@code
 * MqttConnectOptions o = new MqttConnectOptions();
 * o.setSocketFactory(NoDelaySocketFactory.INSTANCE);
 * }</pre>
 */
public final class NoDelaySocketFactory extends SocketFactory {
  /** The one instance: the factory holds no state. */
  public static final NoDelaySocketFactory INSTANCE = new NoDelaySocketFactory();

  private NoDelaySocketFactory() {}

  private static Socket noDelay(Socket s) throws IOException {
    s.setTcpNoDelay(true);
    return s;
  }

  @Override
  public Socket createSocket() throws IOException {
    return noDelay(new Socket());
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return noDelay(new Socket(host, port));
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
    return noDelay(new Socket(host, port, localHost, localPort));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return noDelay(new Socket(host, port));
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
    return noDelay(new Socket(address, port, localAddress, localPort));
  }
}
