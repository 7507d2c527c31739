package dev.simplecall.transport.mqtt;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.SocketFactory;

/**
 * Plain TCP sockets that a test can cut (as a network drop: the broker sees the connection die without
 * an MQTT DISCONNECT, so it publishes the Last Will) and block (new connections fail, so the peer stays
 * away as long as the test wants). Handed to the transport through the app's Paho options.
 */
final class KillableSocketFactory extends SocketFactory {
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile boolean blocked;

  void block(boolean blocked) {
    this.blocked = blocked;
  }

  /** Closes every socket made so far. */
  void cutAll() {
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException ignored) {
        // already closed
      }
    }
    sockets.clear();
  }

  private Socket track(Socket s) throws IOException {
    if (blocked) throw new IOException("blocked by the test");
    sockets.add(s);
    return s;
  }

  @Override
  public Socket createSocket() throws IOException {
    return track(new Socket() {
      @Override
      public void connect(java.net.SocketAddress endpoint, int timeout) throws IOException {
        if (blocked) throw new IOException("blocked by the test");
        super.connect(endpoint, timeout);
      }
    });
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return track(new Socket(host, port));
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
    return track(new Socket(host, port, localHost, localPort));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return track(new Socket(host, port));
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
    return track(new Socket(address, port, localAddress, localPort));
  }
}
