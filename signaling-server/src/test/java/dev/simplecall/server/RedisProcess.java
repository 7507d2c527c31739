package dev.simplecall.server;

import dev.simplecall.server.cli.RedisServerProcess;
import dev.simplecall.testing.TestPorts;
import java.io.IOException;
import java.net.URI;

/**
 * A real redis-server ({@link RedisServerProcess}) on a loopback port outside the ephemeral range (so
 * that it can be restarted on the same port), for cluster tests; public for the transports' tests
 * (test-jar).
 */
public final class RedisProcess implements AutoCloseable {
  private final RedisServerProcess server;

  private RedisProcess(RedisServerProcess server) {
    this.server = server;
  }

  public static RedisProcess start() throws IOException, InterruptedException {
    return new RedisProcess(RedisServerProcess.start(TestPorts.restartable(), null));
  }

  /** One that wants {@code password} from every client ({@code requirepass}). */
  static RedisProcess startWithPassword(String password) throws IOException, InterruptedException {
    return new RedisProcess(RedisServerProcess.start(TestPorts.restartable(), password));
  }

  /** Stops this one and starts an empty one on the same port, as a restart without persistence does. */
  RedisProcess restart() throws IOException, InterruptedException {
    close();
    return new RedisProcess(RedisServerProcess.start(server.port(), null));
  }

  public URI uri() {
    return server.uri();
  }

  @Override
  public void close() throws InterruptedException, IOException {
    server.close();
  }
}
