package dev.simplecall.samples.cli;

import dev.simplecall.CallClient;
import dev.simplecall.transport.httppoll.HttpPollTransportFactory;
import dev.simplecall.transport.mqtt.MqttTransportFactory;
import dev.simplecall.transport.websocket.WebSocketTransportFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;

/**
 * {@code --ca-cert FILE}: signaling that trusts the CA certificates in a PEM file instead of the
 * system's CAs. The WebSocket and long-poll transports, the TURN credential requests to the signaling
 * server and the MQTT transport to a TLS broker all use one {@link SSLContext} with only those
 * certificates as trust anchors, and still check the host name. Closing ends the OkHttp client's threads and connections (the factories
 * given to a {@link CallClient} are the app's to close).
 */
final class TrustedCa implements AutoCloseable {
  private static final Pattern CERTIFICATE =
      Pattern.compile("-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----", Pattern.DOTALL);

  private final SSLContext context;
  private final OkHttpClient okHttp;

  private TrustedCa(SSLContext context, X509TrustManager trust) {
    this.context = context;
    this.okHttp = new OkHttpClient.Builder()
        .sslSocketFactory(context.getSocketFactory(), trust)
        .dispatcher(new Dispatcher(new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
            r -> {
              Thread t = new Thread(r, "simplecall-cli-okhttp");
              t.setDaemon(true);
              return t;
            })))
        .build();
  }

  /**
   * Reads every {@code -----BEGIN CERTIFICATE-----} block of {@code file}.
   *
   * @throws CliException (usage) when the file cannot be read or holds no certificate
   */
  static TrustedCa load(Path file) {
    byte[] pem;
    try {
      pem = Files.readAllBytes(file);
    } catch (IOException | RuntimeException e) {
      throw new CliException(ExitCodes.USAGE, "cannot read --ca-cert " + file + ": " + e);
    }
    try {
      KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
      anchors.load(null, null);
      CertificateFactory x509 = CertificateFactory.getInstance("X.509");
      Matcher m = CERTIFICATE.matcher(new String(pem, StandardCharsets.US_ASCII));
      int n = 0;
      while (m.find()) {
        byte[] der = Base64.getMimeDecoder().decode(m.group(1));
        anchors.setCertificateEntry("ca-" + n++, x509.generateCertificate(new ByteArrayInputStream(der)));
      }
      if (n == 0) throw new CliException(ExitCodes.USAGE, "--ca-cert " + file + " holds no -----BEGIN CERTIFICATE----- block");
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(anchors);
      X509TrustManager trust = (X509TrustManager) tmf.getTrustManagers()[0];
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {trust}, null);
      return new TrustedCa(context, trust);
    } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
      throw new CliException(ExitCodes.USAGE, "cannot use --ca-cert " + file + ": " + e.getMessage());
    }
  }

  /**
   * Gives {@code client} transport factories and an HTTP client that trust only these certificates;
   * the MQTT one only for a TLS broker ({@code mqtts://}, {@code ssl://}: Paho refuses a TLS socket
   * factory for plain {@code tcp://}).
   */
  CallClient.Builder applyTo(CallClient.Builder client, URI signaling) {
    client.addTransportFactory(WebSocketTransportFactory.create(okHttp))
        .addTransportFactory(HttpPollTransportFactory.create(okHttp))
        .httpClient(HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(10)).build());
    String scheme = signaling.getScheme() == null ? "" : signaling.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals("mqtts") || scheme.equals("ssl")) {
      MqttConnectOptions mqtt = new MqttConnectOptions();
      mqtt.setKeepAliveInterval(20);
      mqtt.setSocketFactory(context.getSocketFactory());
      mqtt.setHttpsHostnameVerificationEnabled(true);
      client.addTransportFactory(MqttTransportFactory.create(mqtt));
    }
    return client;
  }

  @Override
  public void close() {
    okHttp.dispatcher().executorService().shutdown();
    okHttp.connectionPool().evictAll();
  }
}
