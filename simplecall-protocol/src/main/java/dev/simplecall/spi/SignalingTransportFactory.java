package dev.simplecall.spi;

import java.net.URI;
import java.util.Set;

/**
 * Makes transports for some URI schemes. Implementations are registered for {@link
 * java.util.ServiceLoader} under {@code META-INF/services/dev.simplecall.spi.SignalingTransportFactory}
 * and need a public no-argument constructor for that; factories passed to the {@code CallClient}
 * builder explicitly win over discovered ones.
 */
public interface SignalingTransportFactory {
  /** Lower-case URI schemes this factory handles, for example {@code ws} and {@code wss}. */
  Set<String> schemes();

  /** Creates a transport that starts connecting at once. */
  SignalingTransport create(URI endpoint, TransportOptions options, SignalingTransport.Listener listener);
}
