package dev.simplecall.samples.natlab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import okhttp3.tls.HeldCertificate;

/**
 * A real coturn (Debian package coturn) in the lab's public namespace: STUN and TURN on
 * 198.18.0.1:3478 (UDP and TCP), TURN over TLS on 5349 with a fresh self-signed certificate, a
 * second listening address (198.18.0.2) so RFC 5780 NAT behaviour discovery works, TURN REST
 * credentials ({@code use-auth-secret}) and relaying allowed only to the lab's public range.
 * {@code
 * Coturn turn = lab.startCoturn();
 * String arg = turn.iceServerArg("turn:" + NatLab.PUBLIC_IP + ":3478?transport=tcp", "alice");
 * }
 */
final class Coturn {
  static final int PORT = 3478;
  static final int TLS_PORT = 5349;
  static final String REALM = "natlab.simplecall.dev";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

  private final String secret;
  private final LabProcess process;

  private Coturn(String secret, LabProcess process) {
    this.secret = secret;
    this.process = process;
  }

  static Coturn start(NatLab lab) {
    Tools.require("turnserver", "coturn");
    String dir = lab.workDir().toString();
    // coturn reads PEM files; nothing checks the name (peers run with --ice-insecure-tls)
    HeldCertificate cert = new HeldCertificate.Builder().rsa2048().commonName("turn.natlab").build();
    try {
      Files.writeString(lab.workDir().resolve("turn-cert.pem"), cert.certificatePem());
      Files.writeString(lab.workDir().resolve("turn-key.pem"), cert.privateKeyPkcs8Pem());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] rnd = new byte[16];
    new SecureRandom().nextBytes(rnd);
    String secret = HexFormat.of().formatHex(rnd);
    // -n: no config file (the packaged one turns on syslog); everything else explicit.
    List<String> cmd = List.of("turnserver", "-n", "--no-cli",
        "--listening-ip=" + NatLab.PUBLIC_IP, "--listening-ip=" + NatLab.PUBLIC_IP2,
        "--relay-ip=" + NatLab.PUBLIC_IP,
        "--listening-port=" + PORT, "--tls-listening-port=" + TLS_PORT,
        "--min-port=49152", "--max-port=65535",
        "--use-auth-secret", "--static-auth-secret=" + secret, "--realm=" + REALM,
        "--allowed-peer-ip=" + NatLab.PUBLIC_FIRST + "-" + NatLab.PUBLIC_LAST,
        "--cert=" + dir + "/turn-cert.pem", "--pkey=" + dir + "/turn-key.pem",
        "--pidfile=" + dir + "/turnserver.pid", "--userdb=" + dir + "/turndb",
        "--log-file=stdout", "--simple-log");
    LabProcess p = lab.spawn(lab.publicNs(), "coturn", cmd);
    String ready = p.awaitLine(l -> l.contains("Total General servers"), START_TIMEOUT);
    if (ready == null
        || !lab.awaitListening(lab.publicNs(), "udp", NatLab.PUBLIC_IP, PORT, START_TIMEOUT)
        || !lab.awaitListening(lab.publicNs(), "tcp", NatLab.PUBLIC_IP, PORT, START_TIMEOUT)
        || !lab.awaitListening(lab.publicNs(), "tcp", NatLab.PUBLIC_IP, TLS_PORT, START_TIMEOUT)) {
      throw new IllegalStateException("coturn did not come up on " + NatLab.PUBLIC_IP + ":" + PORT + "/"
          + TLS_PORT + " within " + START_TIMEOUT + ":\n" + p.tail(40));
    }
    return new Coturn(secret, p);
  }

  String secret() {
    return secret;
  }

  LabProcess process() {
    return process;
  }

  /** TURN REST credentials as coturn's use-auth-secret checks them: user {@code expiry:peer}, HMAC-SHA1 password. */
  String[] credentials(String peer, Duration ttl) {
    String user = (Instant.now().plus(ttl).getEpochSecond()) + ":" + peer;
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      String pass = Base64.getEncoder().encodeToString(mac.doFinal(user.getBytes(StandardCharsets.UTF_8)));
      return new String[] {user, pass};
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 unavailable", e);
    }
  }

  /** The value of one {@code peer --ice-server} flag: {@code URL,user,credential} with fresh credentials. */
  String iceServerArg(String url, String peer) {
    String[] c = credentials(peer, Duration.ofHours(1));
    return url + "," + c[0] + "," + c[1];
  }
}
