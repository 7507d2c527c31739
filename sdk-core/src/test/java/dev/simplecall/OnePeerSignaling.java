package dev.simplecall;

import dev.simplecall.spi.SignalingTransport;
import dev.simplecall.spi.SignalingTransportFactory;
import dev.simplecall.spi.TransportOptions;
import java.net.URI;
import java.util.Set;

/**
 * Wraps a transport factory so that a test can step into one peer's signaling: {@link #beforeCreate}
 * runs before that peer's transport is made, and everything it sends passes through {@link #outgoing}.
 * Other peers' transports are the delegate's, untouched.
 */
abstract class OnePeerSignaling implements SignalingTransportFactory {
  private final SignalingTransportFactory delegate;
  private final String peer;

  OnePeerSignaling(SignalingTransportFactory delegate, String peer) {
    this.delegate = delegate;
    this.peer = peer;
  }

  /** Runs on the peer's session thread before its transport is made. */
  void beforeCreate() {}

  /** What the peer's transport sends instead of {@code text} (on the peer's session thread). */
  abstract String outgoing(String text);

  @Override
  public Set<String> schemes() {
    return delegate.schemes();
  }

  @Override
  public SignalingTransport create(URI endpoint, TransportOptions options, SignalingTransport.Listener listener) {
    if (!options.peerId().equals(peer)) return delegate.create(endpoint, options, listener);
    beforeCreate();
    SignalingTransport t = delegate.create(endpoint, options, listener);
    return new SignalingTransport() {
      @Override
      public boolean send(String text) {
        return t.send(outgoing(text));
      }

      @Override
      public void close() {
        t.close();
      }
    };
  }
}
