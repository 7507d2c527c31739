package dev.simplecall.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.Ids;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's own TLS: one port serving {@code https://} and {@code wss://} from PEM files or a
 * PKCS#12 key store, nothing in plain text, and a renewed certificate picked up from the files
 * without a restart while open connections keep going.
 */
@Tag("fast")
class ServerTlsTest {
  private static final Duration RELOAD = Duration.ofMillis(100);

  @TempDir Path dir;
  private TestPki pki;
  private OkHttpClient trusting;
  private SignalingServer server;

  @BeforeEach
  void setUp() throws IOException {
    pki = TestPki.create(dir);
    trusting = pki.trustingClient();
  }

  @AfterEach
  void tearDown() {
    if (server != null) server.close();
  }

  private SignalingServer start(ServerTls tls) {
    server = SignalingServer.builder().port(0).tls(tls).build().start();
    return server;
  }

  private String https(String path) {
    return "https://127.0.0.1:" + server.port() + path;
  }

  private String wss() {
    return "wss://127.0.0.1:" + server.port() + "/v1/ws";
  }

  @Test
  void servesHttpsAndWssWithTheCertificateOfThePemFiles() throws Exception {
    start(pki.serverTls().reloadInterval(RELOAD).build());
    try (Response r = trusting.newCall(new Request.Builder().url(https("/healthz")).build()).execute()) {
      assertEquals(200, r.code());
      assertNotNull(r.handshake());
      assertEquals(BigInteger.ONE, ((X509Certificate) r.handshake().peerCertificates().get(0)).getSerialNumber());
    }
    try (WsTestClient alice = new WsTestClient(trusting, wss(), null)) {
      alice.join("r1", "alice", null);
    }
  }

  @Test
  void plainHttpAndWsToTheTlsPortAreRefusedWith400() throws Exception {
    start(pki.serverTls().build());
    String plain = "http://127.0.0.1:" + server.port() + "/healthz";
    try (Response r = TestHttp.CLIENT.newCall(new Request.Builder().url(plain).build()).execute()) {
      assertEquals(400, r.code());
      assertTrue(r.body().string().contains("this port speaks TLS only: use https:// or wss://"));
    }
    try (WsTestClient ws = new WsTestClient(TestHttp.CLIENT, server.port(), null)) {
      String closed = ws.awaitClose();
      assertTrue(closed.startsWith("failure: HTTP 400 "), closed);
    }
    assertEquals(0, server.peerCount());
  }

  @Test
  void theOriginOfItsOwnHttpsPageIsItsOwn() throws Exception {
    start(pki.serverTls().build());
    String own = "https://127.0.0.1:" + server.port();
    try (WsTestClient page = new WsTestClient(trusting, wss(), own)) {
      page.join("r1", "alice", null);
    }
    try (WsTestClient plainPage = new WsTestClient(trusting, wss(), "http://127.0.0.1:" + server.port())) {
      String closed = plainPage.awaitClose();
      assertTrue(closed.startsWith("failure: HTTP 403 "), closed);
    }
  }

  @Test
  void aRenewedCertificateServesNewConnectionsWhileOpenOnesKeepGoing() throws Exception {
    start(pki.serverTls().reloadInterval(RELOAD).build());
    try (WsTestClient alice = new WsTestClient(trusting, wss(), null)) {
      alice.join("r1", "alice", null);
      assertEquals(BigInteger.ONE, serial(alice));

      pki.renew(2);
      assertEquals(BigInteger.TWO, awaitServedSerial(BigInteger.TWO));

      try (WsTestClient bob = new WsTestClient(pki.trustingClient(), wss(), null)) {
        bob.join("r1", "bob", null);
        assertEquals(BigInteger.TWO, serial(bob));
        alice.expect(Envelope.PeerJoined.class);
        alice.send(new Envelope.Offer(Ids.newId(), "r1", "alice", "bob", "v=0 over the old certificate"));
        assertEquals("v=0 over the old certificate", bob.expect(Envelope.Offer.class).sdp());
        bob.send(new Envelope.Answer(Ids.newId(), "r1", "bob", "alice", "v=0 back"));
        assertEquals("v=0 back", alice.expect(Envelope.Answer.class).sdp());
      }
    }
  }

  @Test
  void filesThatCannotBeUsedKeepTheCertificateInUse() throws Exception {
    start(pki.serverTls().reloadInterval(RELOAD).build());
    TlsConnector tls = server.parts().tls();
    HeldCertificate other = pki.issue(3);
    TestPki.replace(pki.certificateFile(), other.certificatePem()); // the key no longer matches
    awaitChecks(tls, 2);
    assertEquals(BigInteger.ONE, pki.servedSerial(server.port()));
    TestPki.replace(pki.certificateFile(), "not a certificate");
    awaitChecks(tls, 2);
    assertEquals(BigInteger.ONE, pki.servedSerial(server.port()));

    TestPki.replace(pki.keyFile(), other.privateKeyPkcs8Pem()); // now they match again
    assertEquals(BigInteger.ONE, pki.servedSerial(server.port()));
    TestPki.replace(pki.certificateFile(), other.certificatePem());
    assertEquals(BigInteger.valueOf(3), awaitServedSerial(BigInteger.valueOf(3)));
  }

  @Test
  void aPkcs12KeyStoreServesAndReloadsToo() throws Exception {
    Path p12 = dir.resolve("server.p12");
    char[] password = "store-password".toCharArray();
    writePkcs12(p12, pki.server(), password);
    start(ServerTls.builder().pkcs12(p12, password).reloadInterval(RELOAD).build());
    assertEquals(BigInteger.ONE, pki.servedSerial(server.port()));
    writePkcs12(p12, pki.issue(4), password);
    assertEquals(BigInteger.valueOf(4), awaitServedSerial(BigInteger.valueOf(4)));
  }

  @Test
  void filesThatCannotBeUsedAreRefusedByBuildNamingTheFile() throws Exception {
    assertRefused(ServerTls.builder().pem(dir.resolve("missing.pem"), pki.keyFile()).build(), "missing.pem");
    Path sec1 = dir.resolve("sec1.key"); // what openssl ecparam -genkey writes
    Files.writeString(sec1, "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIA==\n-----END EC PRIVATE KEY-----\n");
    assertRefused(ServerTls.builder().pem(pki.certificateFile(), sec1).build(), "openssl pkcs8 -topk8 -nocrypt -in " + sec1);
    Path otherKey = dir.resolve("other.key");
    Files.writeString(otherKey, pki.issue(5).privateKeyPkcs8Pem());
    assertRefused(ServerTls.builder().pem(pki.certificateFile(), otherKey).build(), "does not belong to the certificate");
    Path empty = dir.resolve("empty.pem");
    Files.writeString(empty, "");
    assertRefused(ServerTls.builder().pem(empty, pki.keyFile()).build(), "empty.pem holds no -----BEGIN CERTIFICATE-----");
    Path p12 = dir.resolve("server.p12");
    writePkcs12(p12, pki.server(), "right".toCharArray());
    assertRefused(ServerTls.builder().pkcs12(p12, "wrong".toCharArray()).build(), "server.p12");
  }

  private void assertRefused(ServerTls tls, String expected) {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> SignalingServer.builder().port(0).tls(tls).build());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  private static BigInteger serial(WsTestClient client) {
    assertNotNull(client.handshake, "no TLS handshake");
    return ((X509Certificate) client.handshake.peerCertificates().get(0)).getSerialNumber();
  }

  /** Opens new connections until one is served {@code expected}, for at most 10 s; returns the last serial seen. */
  private BigInteger awaitServedSerial(BigInteger expected) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    BigInteger seen = pki.servedSerial(server.port());
    while (!seen.equals(expected) && System.nanoTime() < deadline) {
      Thread.sleep(RELOAD.toMillis() / 2); // polling a condition, bounded by the deadline
      seen = pki.servedSerial(server.port());
    }
    return seen;
  }

  /** Waits (at most 10 s) until the server read its files {@code n} more times. */
  private static void awaitChecks(TlsConnector tls, long n) throws InterruptedException {
    long target = tls.checks() + n;
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (tls.checks() < target && System.nanoTime() < deadline) Thread.sleep(RELOAD.toMillis() / 2);
    assertTrue(tls.checks() >= target, "the server did not read its TLS files again");
  }

  private static void writePkcs12(Path file, HeldCertificate held, char[] password) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("server", held.keyPair().getPrivate(), password, new Certificate[] {held.certificate()});
    Path tmp = Files.createTempFile(file.getParent(), "p12", ".tmp");
    try (OutputStream out = Files.newOutputStream(tmp)) {
      ks.store(out, password);
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
