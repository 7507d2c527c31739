package dev.simplecall.transport.mqtt;

import static dev.simplecall.transport.mqtt.MqttTransportTest.offer;
import static dev.simplecall.transport.mqtt.MqttTransportTest.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.spi.SignalingTransport;
import dev.simplecall.spi.TransportException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mqtts:// against mosquitto with a TLS listener and a self-signed certificate for 127.0.0.1. */
class MqttsTest {
  @TempDir static Path keys;
  private static MosquittoBroker broker;
  private static Path cert;
  private final List<SignalingTransport> opened = new ArrayList<>();

  @BeforeAll
  static void startTlsBroker() throws Exception {
    cert = keys.resolve("cert.pem");
    Path key = keys.resolve("key.pem");
    Process p;
    try {
      p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
          "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
          "-keyout", key.toString(), "-out", cert.toString()).redirectErrorStream(true).start();
    } catch (java.io.IOException e) {
      throw new IllegalStateException("openssl not found: install the Debian package 'openssl'", e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), "openssl failed: " + out);
    broker = MosquittoBroker.builder().tls(cert, key).build().start();
  }

  @AfterAll
  static void stopBroker() throws Exception {
    if (broker != null) broker.close();
  }

  @AfterEach
  void closeAll() {
    opened.forEach(SignalingTransport::close);
  }

  private static MqttTransportFactory trusting(Path certificate) throws Exception {
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    ks.load(null, null);
    try (InputStream in = Files.newInputStream(certificate)) {
      ks.setCertificateEntry("broker", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    MqttConnectOptions o = new MqttConnectOptions();
    o.setSocketFactory(ctx.getSocketFactory());
    return MqttTransportFactory.create(o);
  }

  @Test
  void signalingWorksOverTlsWithTheAppsTrustStore() throws Exception {
    assertTrue(broker.uri().toString().startsWith("mqtts://"));
    MqttTransportFactory factory = trusting(cert);
    Recorder alice = new Recorder("alice");
    Recorder bob = new Recorder("bob");
    SignalingTransport a = factory.create(broker.uri(), options("tls", "alice"), alice);
    opened.add(a);
    alice.joined();
    SignalingTransport b = factory.create(broker.uri(), options("tls", "bob"), bob);
    opened.add(b);
    assertEquals(List.of("alice"), bob.joined().peers());
    a.send(offer("tls", "alice", "bob", "over tls"));
    assertEquals("over tls", bob.message(Envelope.Offer.class).sdp());
  }

  @Test
  void anUntrustedCertificateIsTerminal() throws Exception {
    Recorder r = new Recorder("alice");
    SignalingTransport t = new MqttTransportFactory().create(broker.uri(), options("tls", "mallory"), r);
    opened.add(t);
    Recorder.Event e = r.next(10);
    assertEquals("failure", e.kind(), "got " + e);
    assertEquals(TransportException.Kind.UNREACHABLE.name(), e.text());
    assertTrue(e.error().getMessage().contains("TLS"), e.error().getMessage());
  }
}
