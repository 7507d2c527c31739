package dev.simplecall.internal;

import dev.simplecall.protocol.Uris;
import dev.simplecall.spi.SignalingTransportFactory;
import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the transport factory for a URI: explicit factories first, then {@link ServiceLoader}
 * (looked up on each call, so factories added to the class path later are seen). A provider that
 * fails to load is skipped with a log line, as SLF4J and JDBC do.
 */
public final class Transports {
  private static final Logger log = LoggerFactory.getLogger(Transports.class);

  private final List<SignalingTransportFactory> explicit;

  public Transports(List<SignalingTransportFactory> explicit) {
    this.explicit = List.copyOf(explicit);
  }

  public List<SignalingTransportFactory> explicitFactories() {
    return explicit;
  }

  public SignalingTransportFactory factoryFor(URI uri) {
    String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
    List<String> tried = new ArrayList<>();
    for (SignalingTransportFactory f : explicit) {
      if (scheme != null && f.schemes().contains(scheme)) return f;
      tried.add(describe(f));
    }
    for (SignalingTransportFactory f : discovered()) {
      if (scheme != null && f.schemes().contains(scheme)) return f;
      tried.add(describe(f));
    }
    throw new IllegalArgumentException("no signaling transport for URI " + Uris.redact(uri) + " (scheme " + scheme + "); tried: "
        + (tried.isEmpty() ? "none (add a transport module such as transport-websocket to the class path)" : String.join(", ", tried)));
  }

  private static String describe(SignalingTransportFactory f) {
    return f.getClass().getName() + " " + f.schemes();
  }

  static List<SignalingTransportFactory> discovered() {
    List<SignalingTransportFactory> out = new ArrayList<>();
    Iterator<SignalingTransportFactory> it = ServiceLoader.load(SignalingTransportFactory.class).iterator();
    for (int errors = 0; errors < 100; ) {
      try {
        if (!it.hasNext()) break;
        out.add(it.next());
      } catch (ServiceConfigurationError e) {
        errors++;
        log.warn("skipping broken signaling transport provider: {}", e.getMessage());
      }
    }
    return out;
  }
}
