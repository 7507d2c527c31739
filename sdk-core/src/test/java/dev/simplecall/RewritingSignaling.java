package dev.simplecall;

import dev.simplecall.spi.SignalingTransportFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * Wraps a transport factory so that one peer's answers, from the {@code first}-th on (1-based), reach
 * the other side rewritten: a remote stack that answers wrongly. The rewrite works on the envelope's
 * JSON text, where the SDP's line breaks are {@code \r\n} escapes.
 */
final class RewritingSignaling extends OnePeerSignaling {
  private final int first;
  private final UnaryOperator<String> rewrite;
  final AtomicInteger answers = new AtomicInteger();
  final AtomicInteger rewritten = new AtomicInteger();

  RewritingSignaling(SignalingTransportFactory delegate, String peer, int first, UnaryOperator<String> rewrite) {
    super(delegate, peer);
    this.first = first;
    this.rewrite = rewrite;
  }

  @Override
  String outgoing(String text) {
    if (!text.contains("\"type\":\"answer\"") || answers.incrementAndGet() < first) return text;
    String changed = rewrite.apply(text);
    if (!changed.equals(text)) rewritten.incrementAndGet();
    return changed;
  }
}
