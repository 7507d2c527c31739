package dev.simplecall.samples.cli;

import dev.simplecall.server.cli.RedisServerProcess;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;

/**
 * The redis-server of {@code demo --cluster}: on a free loopback port, stopped on close. A missing
 * redis-server is a usage error naming the package to install.
 */
final class LocalRedis implements AutoCloseable {
  private final RedisServerProcess server;

  private LocalRedis(RedisServerProcess server) {
    this.server = server;
  }

  static LocalRedis start() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    try {
      RedisServerProcess.binary();
    } catch (IllegalStateException e) {
      throw new CliException(ExitCodes.USAGE, "demo --cluster: " + e.getMessage() + "; or give --cluster redis://HOST:PORT");
    }
    try {
      return new LocalRedis(RedisServerProcess.start(port, null));
    } catch (IllegalStateException e) {
      throw new CliException(ExitCodes.SIGNALING, "demo --cluster: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while redis-server started", e);
    }
  }

  URI uri() {
    return server.uri();
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // its log file stays behind in the temporary directory
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
