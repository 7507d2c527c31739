package dev.simplecall.internal;

import dev.simplecall.protocol.Uris;
import dev.simplecall.spi.SignalingTransportFactory;
import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the transport factory for a URI: explicit factories first, then {@link ServiceLoader}
 * (looked up on each call, so factories added to the class path later are seen). A discovered factory
 * is made once per client and closed by {@link #close()}; explicit ones belong to the app. A provider
 * that fails to load is skipped with a log line, as SLF4J and JDBC do.
 */
public final class Transports implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Transports.class);

  private final List<SignalingTransportFactory> explicit;
  private final Map<Class<?>, SignalingTransportFactory> discovered = new LinkedHashMap<>(); // guarded by this
  private boolean closed; // guarded by this

  public Transports(List<SignalingTransportFactory> explicit) {
    this.explicit = List.copyOf(explicit);
  }

  public List<SignalingTransportFactory> explicitFactories() {
    return explicit;
  }

  /**
   * @throws IllegalArgumentException naming the URI and every factory tried, when none matches
   * @throws IllegalStateException after {@link #close()}
   */
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

  /** Every provider on the class path, each made once (on its first lookup) and kept for {@link #close()}. */
  synchronized List<SignalingTransportFactory> discovered() {
    if (closed) throw new IllegalStateException("the client is closed");
    List<SignalingTransportFactory> out = new ArrayList<>();
    Iterator<ServiceLoader.Provider<SignalingTransportFactory>> it =
        ServiceLoader.load(SignalingTransportFactory.class).stream().iterator();
    for (int errors = 0; errors < 100; ) {
      try {
        if (!it.hasNext()) break;
        ServiceLoader.Provider<SignalingTransportFactory> p = it.next();
        SignalingTransportFactory f = discovered.get(p.type());
        if (f == null) {
          f = p.get();
          discovered.put(p.type(), f);
        }
        out.add(f);
      } catch (ServiceConfigurationError e) {
        errors++;
        log.warn("skipping broken signaling transport provider: {}", e.getMessage());
      }
    }
    return out;
  }

  /** Closes the discovered factories (after every transport they made has ended). Idempotent. */
  @Override
  public void close() {
    List<SignalingTransportFactory> toClose;
    synchronized (this) {
      if (closed) return;
      closed = true;
      toClose = new ArrayList<>(discovered.values());
      discovered.clear();
    }
    for (SignalingTransportFactory f : toClose) {
      try {
        f.close();
      } catch (RuntimeException e) {
        log.warn("closing signaling transport factory {} failed", describe(f), e);
      }
    }
  }
}
