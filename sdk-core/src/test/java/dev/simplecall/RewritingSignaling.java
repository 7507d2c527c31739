package dev.simplecall;

import dev.simplecall.spi.SignalingTransport;
import dev.simplecall.spi.SignalingTransportFactory;
import dev.simplecall.spi.TransportOptions;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * Wraps a transport factory so that one peer's answers, from the {@code first}-th on (1-based), reach
 * the other side rewritten: a remote stack that answers wrongly. The rewrite works on the envelope's
 * JSON text, where the SDP's line breaks are {@code \r\n} escapes.
 */
final class RewritingSignaling implements SignalingTransportFactory {
  private final SignalingTransportFactory delegate;
  private final String peer;
  private final int first;
  private final UnaryOperator<String> rewrite;
  final AtomicInteger answers = new AtomicInteger();
  final AtomicInteger rewritten = new AtomicInteger();

  RewritingSignaling(SignalingTransportFactory delegate, String peer, int first, UnaryOperator<String> rewrite) {
    this.delegate = delegate;
    this.peer = peer;
    this.first = first;
    this.rewrite = rewrite;
  }

  @Override
  public Set<String> schemes() {
    return delegate.schemes();
  }

  @Override
  public SignalingTransport create(URI endpoint, TransportOptions options, SignalingTransport.Listener listener) {
    SignalingTransport t = delegate.create(endpoint, options, listener);
    if (!options.peerId().equals(peer)) return t;
    return new SignalingTransport() {
      @Override
      public boolean send(String text) {
        if (text.contains("\"type\":\"answer\"") && answers.incrementAndGet() >= first) {
          String changed = rewrite.apply(text);
          if (!changed.equals(text)) rewritten.incrementAndGet();
          return t.send(changed);
        }
        return t.send(text);
      }

      @Override
      public void close() {
        t.close();
      }
    };
  }
}
