package dev.simplecall.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for services that tests stop and start again on the same port.
 *
 * <p>A port from the kernel's ephemeral range ({@code ServerSocket(0)}) is unsafe there: while the
 * service is down, a client reconnecting to {@code 127.0.0.1:P} may be given P itself as its source
 * port and connect to itself (TCP simultaneous open), and then the restart fails with "Address already
 * in use". Ports below the ephemeral range are never handed out as source ports.
 */
public final class TestPorts {
  private static final int LOW = 20_000;
  private static final int HIGH = 32_000; // Linux's default ephemeral range starts at 32768

  private TestPorts() {}

  /**
   * A loopback port that is free now and outside the ephemeral range.
   *
   * @return a random free port from 20000 to 31999; it is not reserved, so another process may take it
   *     before the caller binds it
   * @throws IllegalStateException when 500 random tries found none free
   */
  public static int restartable() {
    for (int i = 0; i < 500; i++) {
      int port = ThreadLocalRandom.current().nextInt(LOW, HIGH);
      try (ServerSocket s = new ServerSocket()) {
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
        return port;
      } catch (IOException taken) {
        // try another
      }
    }
    throw new IllegalStateException("no free loopback port in " + LOW + "-" + HIGH);
  }
}
