package dev.simplecall.server;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.DetectorConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS side of one {@link SignalingServer}: Jetty's {@link SslContextFactory.Server} over the
 * key material of a {@link ServerTls}, the connector that serves HTTPS and WSS with it, and the
 * reload. Every reload interval the server timer reads the files; when their bytes differ from the
 * last ones read and make a valid key store, {@link SslContextFactory#reload} swaps the SSL context:
 * new handshakes use the new certificate, open connections keep their own engines. Unusable files
 * are logged once per change and the certificate in use stays.
 */
final class TlsConnector {
  private static final Logger log = LoggerFactory.getLogger(TlsConnector.class);

  private final ServerTls tls;
  private final SslContextFactory.Server factory = new SslContextFactory.Server();
  private final AtomicLong checks = new AtomicLong();
  private TlsKeyMaterial.Contents current; // the bytes last read; only touched by the constructor, then the timer

  /** @throws IllegalStateException naming the files when they cannot be read or used */
  TlsConnector(ServerTls tls) {
    this.tls = tls;
    TlsKeyMaterial.Loaded loaded;
    try {
      current = TlsKeyMaterial.read(tls);
      loaded = TlsKeyMaterial.keyStore(tls, current);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the TLS " + tls.describe() + ": " + e, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot use the TLS " + tls.describe() + ": " + e.getMessage(), e);
    }
    use(factory, loaded);
    log.info("TLS certificate: {}", describe(loaded));
  }

  /**
   * The connector for Javalin on {@code host:port}: TLS, then HTTP/1.1 (WebSocket upgrades included).
   * A client speaking plain HTTP there gets {@code 400} naming the schemes to use instead of a
   * connection closed without a word (the detector sends what is not a TLS handshake to HTTP, where
   * {@link #refusePlainText} answers it); nothing of the API is served in plain text.
   */
  ServerConnector connector(Server server, HttpConfiguration http, String host, int port) {
    http.addCustomizer(new SecureRequestCustomizer()); // request.isSecure(), https scheme, SNI host check
    http.addCustomizer(TlsConnector::refusePlainText);
    HttpConnectionFactory http11 = new HttpConnectionFactory(http);
    SslConnectionFactory ssl = new SslConnectionFactory(factory, http11.getProtocol());
    ServerConnector connector = new ServerConnector(server, new DetectorConnectionFactory(ssl), http11);
    connector.setHost(host);
    connector.setPort(port);
    return connector;
  }

  private static Request refusePlainText(Request request, HttpFields.Mutable responseHeaders) {
    if (request.getConnectionMetaData().isSecure()) return request;
    throw new BadMessageException(400, "this port speaks TLS only: use https:// or wss://");
  }

  /** Reads the files every reload interval on {@code timer}, which must run one task at a time. */
  void startWatching(ScheduledExecutorService timer) {
    long every = tls.reloadInterval().toMillis();
    timer.scheduleWithFixedDelay(this::reloadIfChanged, every, every, TimeUnit.MILLISECONDS);
  }

  /** File checks done so far (tests wait on it). */
  long checks() {
    return checks.get();
  }

  private void reloadIfChanged() {
    try {
      TlsKeyMaterial.Contents read;
      try {
        read = TlsKeyMaterial.read(tls);
      } catch (IOException e) {
        log.debug("TLS files not readable now, keeping the certificate in use: {}", e.toString());
        return; // a rename in progress, say: try again next time
      }
      if (read.sameAs(current)) return;
      current = read;
      TlsKeyMaterial.Loaded loaded;
      try {
        loaded = TlsKeyMaterial.keyStore(tls, read);
      } catch (GeneralSecurityException e) {
        log.warn("TLS files changed but cannot be used, keeping the certificate in use: {}", e.getMessage());
        return;
      }
      factory.reload(f -> use((SslContextFactory.Server) f, loaded));
      log.info("TLS certificate reloaded: {}", describe(loaded));
    } catch (Exception e) {
      log.warn("TLS reload failed, keeping the certificate in use", e);
    } finally {
      checks.incrementAndGet();
    }
  }

  private static void use(SslContextFactory.Server f, TlsKeyMaterial.Loaded loaded) {
    f.setKeyStore(loaded.keyStore());
    f.setKeyStorePassword(new String(TlsKeyMaterial.PASSWORD));
    f.setKeyManagerPassword(new String(TlsKeyMaterial.PASSWORD));
  }

  private static String describe(TlsKeyMaterial.Loaded loaded) {
    try {
      loaded.leaf().checkValidity();
    } catch (CertificateException e) {
      log.warn("the TLS certificate is not valid now ({}): clients will refuse it", e.getMessage());
    }
    return loaded.leaf().getSubjectX500Principal().getName() + ", serial " + loaded.leaf().getSerialNumber().toString(16)
        + ", valid until " + loaded.leaf().getNotAfter().toInstant();
  }
}
