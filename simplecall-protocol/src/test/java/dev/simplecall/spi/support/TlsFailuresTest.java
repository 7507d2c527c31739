package dev.simplecall.spi.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.net.ConnectException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Which failures {@link TlsFailures} calls a refused certificate: the shapes the JDK and OkHttp throw. */
@Tag("fast")
class TlsFailuresTest {
  @Test
  void anUntrustedChainIsACertificateRejection() {
    CertificateException validator = new CertificateException("PKIX path building failed",
        new CertPathBuilderException("unable to find valid certification path to requested target"));
    SSLHandshakeException handshake = new SSLHandshakeException("PKIX path building failed");
    handshake.initCause(validator);
    assertEquals("PKIX path building failed", TlsFailures.certificateRejection(new IOException("wrapped", handshake)));
  }

  @Test
  void anExpiredCertificateAndAnotherHostNameAreRejectionsToo() {
    SSLHandshakeException expired = new SSLHandshakeException("expired");
    expired.initCause(new CertificateExpiredException("NotAfter: Tue Jan 01 00:00:00 UTC 2030"));
    assertEquals("NotAfter: Tue Jan 01 00:00:00 UTC 2030", TlsFailures.certificateRejection(expired));
    assertEquals("Hostname example.org not verified",
        TlsFailures.certificateRejection(new SSLPeerUnverifiedException("Hostname example.org not verified")));
  }

  @Test
  void otherFailuresAreNot() {
    assertNull(TlsFailures.certificateRejection(new ConnectException("Connection refused")));
    assertNull(TlsFailures.certificateRejection(new SSLHandshakeException("Remote host terminated the handshake")));
    assertNull(TlsFailures.certificateRejection(new CertificateException("not during a handshake")));
    assertNull(TlsFailures.certificateRejection(null));
  }
}
