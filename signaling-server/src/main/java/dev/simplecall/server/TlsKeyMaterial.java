package dev.simplecall.server;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@link ServerTls}'s files and turns them into an in-memory key store with one key entry
 * ({@link #ALIAS}, password {@link #PASSWORD}), checking that the key belongs to the certificate.
 * Reading ({@link #read}) and parsing ({@link #keyStore}) are apart so that the reloader parses
 * exactly the bytes it compared. Stateless.
 */
final class TlsKeyMaterial {
  static final String ALIAS = "simplecall";
  /** Protects the entry of the in-memory store only; never written anywhere. */
  static final char[] PASSWORD = "in-memory".toCharArray();
  private static final Pattern PEM_BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

  private TlsKeyMaterial() {}

  /** The bytes of the files, as read at one moment. */
  record Contents(byte[] first, byte[] second) {
    boolean sameAs(Contents other) {
      return other != null && Arrays.equals(first, other.first) && Arrays.equals(second, other.second);
    }
  }

  /** What a reload serves: the store and its leaf certificate (for logs). */
  record Loaded(KeyStore keyStore, X509Certificate leaf) {}

  static Contents read(ServerTls tls) throws IOException {
    if (tls.keyStore() != null) return new Contents(Files.readAllBytes(tls.keyStore()), new byte[0]);
    return new Contents(Files.readAllBytes(tls.certificateChain()), Files.readAllBytes(tls.privateKey()));
  }

  /** @throws GeneralSecurityException with a message naming the file that cannot be used and why */
  static Loaded keyStore(ServerTls tls, Contents contents) throws GeneralSecurityException {
    PrivateKey key;
    X509Certificate[] chain;
    if (tls.keyStore() != null) {
      KeyStore p12 = KeyStore.getInstance("PKCS12");
      char[] password = tls.keyStorePassword();
      try {
        p12.load(new ByteArrayInputStream(contents.first()), password);
      } catch (IOException e) {
        throw new GeneralSecurityException(tls.keyStore() + " is not a PKCS#12 key store this password opens: " + e.getMessage(), e);
      }
      String alias = null;
      for (String a : Collections.list(p12.aliases())) {
        if (p12.isKeyEntry(a)) {
          alias = a;
          break;
        }
      }
      if (alias == null) throw new GeneralSecurityException(tls.keyStore() + " holds no private key entry");
      Key k = p12.getKey(alias, password);
      Arrays.fill(password, '\0');
      if (!(k instanceof PrivateKey pk)) throw new GeneralSecurityException(tls.keyStore() + ": entry " + alias + " is not a private key");
      key = pk;
      Certificate[] certs = p12.getCertificateChain(alias);
      if (certs == null || certs.length == 0) throw new GeneralSecurityException(tls.keyStore() + ": entry " + alias + " has no certificate");
      chain = new X509Certificate[certs.length];
      for (int i = 0; i < certs.length; i++) chain[i] = (X509Certificate) certs[i];
    } else {
      chain = certificates(tls.certificateChain(), contents.first());
      key = privateKey(tls.privateKey(), contents.second(), chain[0].getPublicKey().getAlgorithm());
    }
    requireMatch(key, chain[0].getPublicKey(), tls);
    KeyStore store = KeyStore.getInstance("PKCS12");
    try {
      store.load(null, null);
    } catch (IOException e) {
      throw new GeneralSecurityException(e);
    }
    store.setKeyEntry(ALIAS, key, PASSWORD, chain);
    return new Loaded(store, chain[0]);
  }

  private static X509Certificate[] certificates(Path file, byte[] pem) throws GeneralSecurityException {
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    List<X509Certificate> chain = new ArrayList<>();
    for (Block b : blocks(file, pem)) {
      if (b.type().equals("CERTIFICATE")) {
        chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(b.der())));
      }
    }
    if (chain.isEmpty()) throw new GeneralSecurityException(file + " holds no -----BEGIN CERTIFICATE----- block");
    return chain.toArray(new X509Certificate[0]);
  }

  private static PrivateKey privateKey(Path file, byte[] pem, String algorithm) throws GeneralSecurityException {
    for (Block b : blocks(file, pem)) {
      switch (b.type()) {
        case "PRIVATE KEY":
          try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(b.der()));
          } catch (GeneralSecurityException e) {
            throw new GeneralSecurityException(file + ": not a PKCS#8 " + algorithm + " key (the certificate's key type): " + e.getMessage(), e);
          }
        case "ENCRYPTED PRIVATE KEY":
          throw new GeneralSecurityException(file + " holds an encrypted key; decrypt it with: openssl pkcs8 -in "
              + file + " -out KEY.pem");
        case "RSA PRIVATE KEY":
        case "EC PRIVATE KEY":
          throw new GeneralSecurityException(file + " holds a " + b.type() + " (PKCS#1/SEC1), not PKCS#8; convert it with:"
              + " openssl pkcs8 -topk8 -nocrypt -in " + file + " -out KEY.pem");
        default:
          break; // a certificate in the same file, parameters: skip
      }
    }
    throw new GeneralSecurityException(file + " holds no -----BEGIN PRIVATE KEY----- block");
  }

  /** Signs with the key and verifies with the certificate, when the JDK names a signature for the type. */
  private static void requireMatch(PrivateKey key, PublicKey certified, ServerTls tls) throws GeneralSecurityException {
    String algorithm;
    switch (key.getAlgorithm()) {
      case "RSA":
        algorithm = "SHA256withRSA";
        break;
      case "EC":
        algorithm = "SHA256withECDSA";
        break;
      case "EdDSA":
      case "Ed25519":
      case "Ed448":
        algorithm = key.getAlgorithm();
        break;
      default:
        return;
    }
    byte[] probe = "simplecall key check".getBytes(StandardCharsets.US_ASCII);
    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(key);
    signer.update(probe);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance(algorithm);
    verifier.initVerify(certified);
    verifier.update(probe);
    if (!verifier.verify(signature)) {
      throw new GeneralSecurityException("the private key does not belong to the certificate (" + tls.describe() + ")");
    }
  }

  private record Block(String type, byte[] der) {}

  private static List<Block> blocks(Path file, byte[] pem) throws GeneralSecurityException {
    List<Block> blocks = new ArrayList<>();
    Matcher m = PEM_BLOCK.matcher(new String(pem, StandardCharsets.US_ASCII));
    while (m.find()) {
      try {
        blocks.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
      } catch (IllegalArgumentException e) {
        throw new GeneralSecurityException(file + ": a " + m.group(1) + " block is not base64: " + e.getMessage(), e);
      }
    }
    return blocks;
  }
}
