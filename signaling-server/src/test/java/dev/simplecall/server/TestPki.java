package dev.simplecall.server;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import okhttp3.OkHttpClient;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;

/**
 * A throwaway certificate authority and the server certificates it signs for {@code 127.0.0.1} and
 * {@code localhost}, written as the PEM files a TLS {@link SignalingServer} reads: {@code
 * server.pem} (the chain), {@code server.key} (PKCS#8) and {@code ca.pem}. Made in-process with
 * okhttp-tls's {@link HeldCertificate} (EC P-256), no keytool or openssl.
 *
 * <pre>{@code
 * TestPki pki = TestPki.create(tempDir);
 * SignalingServer server = SignalingServer.builder().port(0).tls(pki.serverTls().build()).build().start();
 * OkHttpClient trusting = pki.trustingClient();
 * pki.renew(2);                                     // new files: serial 2
 * }</pre>
 */
public final class TestPki {
  private final Path dir;
  private final HeldCertificate ca;
  private volatile HeldCertificate server;

  private TestPki(Path dir, HeldCertificate ca) {
    this.dir = dir;
    this.ca = ca;
  }

  /** A new CA, and a server certificate with serial 1 written into {@code dir}. */
  public static TestPki create(Path dir) throws IOException {
    HeldCertificate ca = new HeldCertificate.Builder().commonName("simplecall test CA").certificateAuthority(0)
        .serialNumber(100).duration(1, TimeUnit.DAYS).build();
    TestPki pki = new TestPki(dir, ca);
    Files.writeString(pki.caFile(), ca.certificatePem(), StandardCharsets.US_ASCII);
    pki.renew(1);
    return pki;
  }

  public HeldCertificate ca() {
    return ca;
  }

  /** The server certificate last written. */
  public HeldCertificate server() {
    return server;
  }

  public Path certificateFile() {
    return dir.resolve("server.pem");
  }

  public Path keyFile() {
    return dir.resolve("server.key");
  }

  public Path caFile() {
    return dir.resolve("ca.pem");
  }

  /** Reads {@link #certificateFile()} and {@link #keyFile()}. */
  public ServerTls.Builder serverTls() {
    return ServerTls.builder().pem(certificateFile(), keyFile());
  }

  /** A server certificate for 127.0.0.1 and localhost signed by the CA, not written anywhere. */
  public HeldCertificate issue(long serial) {
    return new HeldCertificate.Builder().commonName("127.0.0.1").addSubjectAlternativeName("127.0.0.1")
        .addSubjectAlternativeName("localhost").serialNumber(serial).duration(1, TimeUnit.DAYS).signedBy(ca).build();
  }

  /** Issues a server certificate with {@code serial} and replaces the files with it: the key, then the chain, each atomically. */
  public HeldCertificate renew(long serial) throws IOException {
    HeldCertificate next = issue(serial);
    replace(keyFile(), next.privateKeyPkcs8Pem());
    replace(certificateFile(), next.certificatePem() + ca.certificatePem());
    server = next;
    return next;
  }

  /** Replaces {@code file} with {@code text} in one rename, as certbot and Kubernetes do. */
  public static void replace(Path file, String text) throws IOException {
    Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
    Files.writeString(tmp, text, StandardCharsets.US_ASCII);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Trusts the CA only (not the system's CAs). */
  public HandshakeCertificates clientTrust() {
    return new HandshakeCertificates.Builder().addTrustedCertificate(ca.certificate()).build();
  }

  /** An OkHttp client that trusts the CA only. */
  public OkHttpClient trustingClient() {
    HandshakeCertificates trust = clientTrust();
    return new OkHttpClient.Builder().sslSocketFactory(trust.sslSocketFactory(), trust.trustManager()).build();
  }

  /**
   * The serial of the certificate a new TLS connection to {@code 127.0.0.1:port} is served, from a
   * plain {@link SSLSocket} with a fresh context (so no session is resumed).
   */
  public BigInteger servedSerial(int port) throws IOException {
    try (SSLSocket socket = (SSLSocket) clientTrust().sslSocketFactory().createSocket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket.startHandshake();
      return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
    }
  }
}
