package dev.simplecall.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The certificate and private key a {@link SignalingServer} serves TLS with: its one port then speaks
 * {@code https://} and {@code wss://} only, no plain HTTP. The key material comes from PEM files (a
 * certificate chain, leaf first, and an unencrypted PKCS#8 private key: certbot's {@code fullchain.pem}
 * and {@code privkey.pem}) or from a PKCS#12 key store (its first key entry).
 *
 * <p>The server reads the files when it is built, then again every {@link Builder#reloadInterval
 * reload interval} (5 s by default). When their bytes changed and hold a certificate chain with its
 * key, new connections get the new certificate; connections already open keep theirs. Files that
 * cannot be used (half written, a key that does not match) are logged and the server keeps serving
 * the certificate it has.
 *
 * <pre>{@code
 * SignalingServer server = SignalingServer.builder()
 *     .bind("0.0.0.0").port(8443).authSecret(secret)
 *     .tls(ServerTls.builder()
 *         .pem(Path.of("/etc/simplecall/fullchain.pem"), Path.of("/etc/simplecall/privkey.pem"))
 *         .build())
 *     .build()
 *     .start();
 * }</pre>
 */
public final class ServerTls {
  private final Path certificateChain; // PEM, with privateKey; null for a key store
  private final Path privateKey;
  private final Path keyStore; // PKCS#12, with keyStorePassword; null for PEM
  private final char[] keyStorePassword;
  private final Duration reloadInterval;

  private ServerTls(Builder b) {
    this.certificateChain = b.certificateChain;
    this.privateKey = b.privateKey;
    this.keyStore = b.keyStore;
    this.keyStorePassword = b.keyStorePassword == null ? null : b.keyStorePassword.clone();
    this.reloadInterval = b.reloadInterval;
  }

  /**
   * A builder without key material; give {@link Builder#pem} or {@link Builder#pkcs12}.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * How often the files are read again to find a renewed certificate.
   *
   * @return a positive duration; 5 s by default
   */
  public Duration reloadInterval() {
    return reloadInterval;
  }

  /** The PEM certificate chain, or {@code null} when the key material is a PKCS#12 key store. */
  Path certificateChain() {
    return certificateChain;
  }

  Path privateKey() {
    return privateKey;
  }

  /** The PKCS#12 key store, or {@code null} when the key material is in PEM files. */
  Path keyStore() {
    return keyStore;
  }

  char[] keyStorePassword() {
    return keyStorePassword.clone();
  }

  /** The files this reads, for messages and logs. */
  String describe() {
    return keyStore != null ? "PKCS#12 key store " + keyStore : "certificate chain " + certificateChain + " and key " + privateKey;
  }

  @Override
  public String toString() {
    return "ServerTls{" + describe() + ", reload every " + reloadInterval + "}"; // never the password
  }

  /** Builds a {@link ServerTls}: PEM files or a PKCS#12 key store (the last one given wins). */
  public static final class Builder {
    private Path certificateChain;
    private Path privateKey;
    private Path keyStore;
    private char[] keyStorePassword;
    private Duration reloadInterval = Duration.ofSeconds(5);

    private Builder() {}

    /**
     * PEM files: {@code certificateChain} holds the server's certificate, then the intermediates that
     * signed it; {@code privateKey} the unencrypted PKCS#8 key ({@code -----BEGIN PRIVATE KEY-----}).
     * Both may be the same file. A PKCS#1 or SEC1 key converts with {@code openssl pkcs8 -topk8
     * -nocrypt -in KEY -out KEY.pk8}.
     *
     * <p>The files are not read here: the server reads them when it is built.
     *
     * @param certificateChain the PEM certificate chain, leaf first
     * @param privateKey the PEM file holding the unencrypted PKCS#8 private key of the leaf certificate
     * @return this builder, with any earlier {@link #pkcs12} replaced
     * @throws NullPointerException when an argument is {@code null}
     */
    public Builder pem(Path certificateChain, Path privateKey) {
      this.certificateChain = Objects.requireNonNull(certificateChain, "certificateChain == null");
      this.privateKey = Objects.requireNonNull(privateKey, "privateKey == null");
      this.keyStore = null;
      this.keyStorePassword = null;
      return this;
    }

    /**
     * A PKCS#12 key store ({@code .p12}, {@code .pfx}) and its password; its first key entry is served.
     * The file is not read here: the server reads it when it is built.
     *
     * @param keyStore the key store file
     * @param password the key store's password, copied (the caller may clear its array); the key entry
     *     must have the same one
     * @return this builder, with any earlier {@link #pem} replaced
     * @throws NullPointerException when an argument is {@code null}
     */
    public Builder pkcs12(Path keyStore, char[] password) {
      this.keyStore = Objects.requireNonNull(keyStore, "keyStore == null");
      this.keyStorePassword = Objects.requireNonNull(password, "password == null").clone();
      this.certificateChain = null;
      this.privateKey = null;
      return this;
    }

    /**
     * How often to read the files again for a renewed certificate, default 5 s.
     *
     * @param reloadInterval positive
     * @return this builder
     * @throws NullPointerException when {@code reloadInterval} is {@code null}
     * @throws IllegalArgumentException when {@code reloadInterval} is zero or negative
     */
    public Builder reloadInterval(Duration reloadInterval) {
      this.reloadInterval = ServerSettings.positive(reloadInterval, "reloadInterval");
      return this;
    }

    /**
     * The settings so far, as an immutable {@link ServerTls}; nothing is read yet.
     *
     * @return the new settings
     * @throws IllegalStateException when neither {@link #pem} nor {@link #pkcs12} was given
     */
    public ServerTls build() {
      if (certificateChain == null && keyStore == null) {
        throw new IllegalStateException("no key material: give pem(certificateChain, privateKey) or pkcs12(keyStore, password)");
      }
      return new ServerTls(this);
    }
  }
}
