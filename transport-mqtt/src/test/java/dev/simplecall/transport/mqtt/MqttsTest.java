package dev.simplecall.transport.mqtt;

import static dev.simplecall.transport.mqtt.MqttTransportTest.offer;
import static dev.simplecall.transport.mqtt.MqttTransportTest.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.spi.SignalingTransport;
import dev.simplecall.spi.TransportException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
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
  private static HeldCertificate certificate;
  private final List<SignalingTransport> opened = new ArrayList<>();

  @BeforeAll
  static void startTlsBroker() throws Exception {
    // made in-process; mosquitto reads PEM files, so the certificate and its key are written out
    certificate = new HeldCertificate.Builder().rsa2048().commonName("127.0.0.1")
        .addSubjectAlternativeName("127.0.0.1").build();
    Path cert = Files.writeString(keys.resolve("cert.pem"), certificate.certificatePem());
    Path key = Files.writeString(keys.resolve("key.pem"), certificate.privateKeyPkcs8Pem());
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

  private static MqttTransportFactory trusting(X509Certificate trusted) {
    HandshakeCertificates client = new HandshakeCertificates.Builder().addTrustedCertificate(trusted).build();
    MqttConnectOptions o = new MqttConnectOptions();
    o.setSocketFactory(client.sslSocketFactory());
    return MqttTransportFactory.create(o);
  }

  @Test
  void signalingWorksOverTlsWithTheAppsTrustStore() throws Exception {
    assertTrue(broker.uri().toString().startsWith("mqtts://"));
    MqttTransportFactory factory = trusting(certificate.certificate());
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
