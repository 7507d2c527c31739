package dev.simplecall.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP relay for transport tests, standing between one client and the server so the test
 * can take the path away and bring it back on the same port while the server keeps running. With
 * {@code upstreamPort == -1} it is a black hole: it accepts connections and never answers, the way a
 * hung server or a silent firewall does.
 *
 * <pre>{@code
 * try (TcpProxy proxy = TcpProxy.start(serverPort)) {
 *   connect to 127.0.0.1:proxy.port() ...
 *   proxy.stop();   // every relayed connection dropped, new ones refused
 *   proxy.start();  // listening again on the same port
 *   proxy.freeze(); // connections stay up but nothing gets through
 * }
 * }</pre>
 */
public final class TcpProxy implements AutoCloseable {
  private final int upstreamPort;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final AtomicInteger accepted = new AtomicInteger();
  private final Object gate = new Object();
  private boolean frozen; // guarded by gate
  private int port;
  private ServerSocket server;

  private TcpProxy(int upstreamPort) {
    this.upstreamPort = upstreamPort;
    this.port = TestPorts.restartable(); // it is stopped and started again on this port
  }

  /**
   * A relay to {@code 127.0.0.1:upstreamPort}, listening on a free loopback port.
   *
   * @param upstreamPort the server's loopback port, or {@code -1} for a {@linkplain #blackHole() black
   *     hole}
   * @return the proxy, listening on a {@linkplain TestPorts#restartable() restartable} port
   * @throws UncheckedIOException when it cannot listen
   */
  public static TcpProxy start(int upstreamPort) {
    TcpProxy p = new TcpProxy(upstreamPort);
    p.start();
    return p;
  }

  /**
   * Accepts TCP connections and never writes a byte.
   *
   * @return the listening black hole; it holds every connection until {@link #stop()}
   * @throws UncheckedIOException when it cannot listen
   */
  public static TcpProxy blackHole() {
    return start(-1);
  }

  /**
   * The loopback port clients connect to; it stays the same across {@link #stop()} and {@link #start()}.
   *
   * @return the port
   */
  public synchronized int port() {
    return port;
  }

  /**
   * Connections accepted so far.
   *
   * @return how many clients connected, over every {@link #start()}, including connections closed
   *     at once because the upstream server was down
   */
  public int accepted() {
    return accepted.get();
  }

  /**
   * Listens again, on the same port as before. Does nothing while listening. Retries the bind for up
   * to 5 s while the port is still held.
   *
   * @throws UncheckedIOException when it cannot listen on the port
   */
  public synchronized void start() {
    if (server != null) return;
    // Connections of the previous incarnation may hold the port for a moment after stop(): retry the
    // bind briefly instead of failing the test on that race.
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
    while (true) {
      try {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        try {
          s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        } catch (IOException e) {
          s.close();
          throw e;
        }
        port = s.getLocalPort();
        server = s;
        daemon("tcp-proxy-accept-" + port, () -> acceptLoop(s));
        return;
      } catch (java.net.BindException e) {
        if (System.nanoTime() > deadline) throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
        java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
      }
    }
  }

  /**
   * Stops relaying bytes without closing anything, as a dead network or a hung server looks from the
   * client: connections stay up, nothing comes back. {@link #thaw()} relays what was held.
   */
  public void freeze() {
    synchronized (gate) {
      frozen = true;
    }
  }

  /** Relays again after {@link #freeze()}, starting with the bytes held meanwhile. */
  public void thaw() {
    synchronized (gate) {
      frozen = false;
      gate.notifyAll();
    }
  }

  private void awaitThawed() throws IOException {
    synchronized (gate) {
      try {
        while (frozen) gate.wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
  }

  /** Drops every connection and stops listening. */
  public synchronized void stop() {
    thaw(); // let held pumps run into the closed sockets and end
    if (server == null) return;
    closeQuietly(server);
    server = null;
    for (Socket s : sockets) closeQuietly(s);
    sockets.clear();
  }

  /** {@link #stop()}: the proxy can still be started again. */
  @Override
  public void close() {
    stop();
  }

  private void acceptLoop(ServerSocket s) {
    while (!s.isClosed()) {
      Socket client;
      try {
        client = s.accept();
      } catch (IOException e) {
        return; // stopped
      }
      accepted.incrementAndGet();
      sockets.add(client);
      if (s.isClosed()) { // stop() ran meanwhile and may have missed it
        closeQuietly(client);
        return;
      }
      if (upstreamPort < 0) continue; // black hole: hold it, never answer
      try {
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
        sockets.add(upstream);
        daemon("tcp-proxy-up", () -> pump(client, upstream));
        daemon("tcp-proxy-down", () -> pump(upstream, client));
      } catch (IOException e) {
        closeQuietly(client); // server down: the client sees the connection drop
      }
    }
  }

  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      for (int n; (n = in.read(buffer)) != -1; ) {
        awaitThawed();
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException ignored) {
      // either side went away
    } finally {
      closeQuietly(from);
      closeQuietly(to);
      sockets.remove(from);
      sockets.remove(to);
    }
  }

  private static void daemon(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // closing anyway
    }
  }
}
