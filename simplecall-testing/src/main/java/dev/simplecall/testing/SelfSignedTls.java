package dev.simplecall.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * A throwaway self-signed certificate for {@code 127.0.0.1}, made with the JDK's own {@code keytool},
 * for tests of {@code wss://}, {@code https://} and {@code mqtts://} on loopback: a server context
 * holding the key, and a trust manager for clients that trusts only this certificate.
 *
 * <pre>{@code
 * SelfSignedTls tls = SelfSignedTls.create();
 * mockWebServer.useHttps(tls.server().getSocketFactory(), false);
 * OkHttpClient client = new OkHttpClient.Builder()
 *     .sslSocketFactory(tls.client().getSocketFactory(), tls.trustManager()).build();
 * }</pre>
 */
public record SelfSignedTls(SSLContext server, SSLContext client, X509TrustManager trustManager) {
  private static final char[] PASSWORD = "changeit".toCharArray();

  public static SelfSignedTls create() throws Exception {
    Path dir = Files.createTempDirectory("simplecall-tls");
    Path store = dir.resolve("server.p12");
    try {
      Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
      Process p = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "server",
              "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1",
              "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
              "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)))
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException("keytool failed (it ships with the JDK, Debian package openjdk-17-jdk-headless): " + out);
      }
      KeyStore keys = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(store)) {
        keys.load(in, PASSWORD);
      }
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, PASSWORD);
      SSLContext server = SSLContext.getInstance("TLS");
      server.init(kmf.getKeyManagers(), null, null);

      Certificate cert = keys.getCertificate("server");
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      trusted.setCertificateEntry("server", cert);
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trusted);
      X509TrustManager tm = (X509TrustManager) tmf.getTrustManagers()[0];
      SSLContext client = SSLContext.getInstance("TLS");
      client.init(null, new javax.net.ssl.TrustManager[] {tm}, null);
      return new SelfSignedTls(server, client, tm);
    } finally {
      Files.deleteIfExists(store);
      Files.deleteIfExists(dir);
    }
  }
}
