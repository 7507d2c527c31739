package dev.simplecall.spi;

import java.net.URI;
import java.util.Set;

/**
 * Makes transports for some URI schemes. Implementations are registered for {@link
 * java.util.ServiceLoader} under {@code META-INF/services/dev.simplecall.spi.SignalingTransportFactory}
 * and need a public no-argument constructor for that; factories passed to the {@code CallClient}
 * builder explicitly win over discovered ones.
 *
 * <p>A factory may share resources among the transports it makes (a client with its event loops, a
 * connection pool); {@link #close()} releases them. A {@code CallClient} closes the factories it
 * discovered when it closes, after every transport it made has ended; a factory passed to the builder
 * is the app's, which closes it after the client.
 */
public interface SignalingTransportFactory extends AutoCloseable {
  /**
   * Lower-case URI schemes this factory handles, for example {@code ws} and {@code wss}.
   *
   * @return the schemes, without {@code ://}
   */
  Set<String> schemes();

  /**
   * Creates a transport that starts connecting at once.
   *
   * @param endpoint the signaling service's URI, with one of {@link #schemes()}
   * @param options room, peer id, token and timing of the join
   * @param listener receives the transport's callbacks
   * @return the new transport, already connecting
   * @throws IllegalArgumentException when {@code endpoint} is not a URI this factory can use
   * @throws NullPointerException when an argument is {@code null}
   */
  SignalingTransport create(URI endpoint, TransportOptions options, SignalingTransport.Listener listener);

  /**
   * What this factory's transports promise beyond the contract; {@link TransportCapabilities#NONE} by default.
   *
   * @return the promises, the same for every transport this factory makes
   */
  default TransportCapabilities capabilities() {
    return TransportCapabilities.NONE;
  }

  /**
   * Releases what this factory shares among its transports, once they have ended (their threads and
   * connections are gone when it returns). A transport still open when it is called may fail. A
   * factory may be used again after it: it then makes its resources again. Idempotent; never throws.
   * The default does nothing.
   */
  @Override
  default void close() {}
}
