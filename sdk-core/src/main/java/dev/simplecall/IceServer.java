package dev.simplecall;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A STUN or TURN server, as in the browser's {@code RTCIceServer}. Immutable; made with {@link #of}
 * or {@link #builder()}, changed with {@link #newBuilder()}.
 *
 * <pre>{@code
 * IceServer stun = IceServer.of("stun:stun.example.org:3478");
 * IceServer turn = IceServer.of("turn:turn.example.org:3478?transport=tcp", "user", "secret");
 * IceServer both = IceServer.builder()
 *     .url("turn:turn.example.org:3478?transport=udp")
 *     .url("turns:turn.example.org:5349?transport=tcp")
 *     .username("user").credential("secret")
 *     .build();
 * // tests and private deployments only: a turns: server with a self-signed or private-CA certificate
 * IceServer lab = IceServer.builder().url("turns:10.0.0.5:5349?transport=tcp")
 *     .username("user").credential("secret").insecureTls(true).build();
 * }</pre>
 */
public final class IceServer {
  private final List<String> urls;
  private final String username;
  private final String credential;
  private final boolean insecureTls;

  private IceServer(Builder b) {
    this.urls = List.copyOf(b.urls);
    this.username = b.username;
    this.credential = b.credential;
    this.insecureTls = b.insecureTls;
  }

  /**
   * A server without credentials (STUN, or TURN that needs none).
   *
   * @param url a {@code stun:}, {@code stuns:}, {@code turn:} or {@code turns:} URL, such as
   *     {@code turn:turn.example.org:3478?transport=udp}
   * @return a server with that one URL
   * @throws NullPointerException when {@code url} is {@code null}
   * @throws IllegalArgumentException naming {@code url} when it is not a stun:, stuns:, turn: or turns: URL
   */
  public static IceServer of(String url) {
    return builder().url(url).build();
  }

  /**
   * A TURN server with a user name and credential.
   *
   * @param url a {@code stun:}, {@code stuns:}, {@code turn:} or {@code turns:} URL, such as
   *     {@code turn:turn.example.org:3478?transport=udp}
   * @param username the TURN user name; {@code null} for none
   * @param credential the TURN password; {@code null} for none
   * @return a server with that one URL and those credentials
   * @throws NullPointerException when {@code url} is {@code null}
   * @throws IllegalArgumentException naming {@code url} when it is not a stun:, stuns:, turn: or turns: URL
   */
  public static IceServer of(String url, String username, String credential) {
    return builder().url(url).username(username).credential(credential).build();
  }

  /**
   * A builder with no URL, no credentials and the TLS check on.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder with this server's settings.
   *
   * @return a new builder; changing it leaves this server as it is
   */
  public Builder newBuilder() {
    Builder b = new Builder();
    b.urls.addAll(urls);
    b.username = username;
    b.credential = credential;
    b.insecureTls = insecureTls;
    return b;
  }

  /**
   * One or more {@code stun:}, {@code stuns:}, {@code turn:} or {@code turns:} URLs; never empty.
   *
   * @return the URLs in the order given, unmodifiable
   */
  public List<String> urls() {
    return urls;
  }

  /**
   * TURN user name, or {@code null}.
   *
   * @return the user name given, or {@code null} when none was
   */
  public String username() {
    return username;
  }

  /**
   * TURN password, or {@code null}.
   *
   * @return the credential given, or {@code null} when none was; {@link #toString()} never shows it
   */
  public String credential() {
    return credential;
  }

  /**
   * {@code true} turns OFF the check of the TURN server's TLS certificate for {@code turns:} URLs
   * (libwebrtc's {@code INSECURE_NO_CHECK}); anyone on the path can then impersonate the TURN server.
   * Only for tests and private networks whose TURN server has a self-signed or private-CA certificate;
   * never for servers reached over the Internet. Media stays end-to-end encrypted by DTLS-SRTP either
   * way. Default {@code false}.
   *
   * @return {@code true} when the certificate of a {@code turns:} server is not checked
   */
  public boolean insecureTls() {
    return insecureTls;
  }

  /**
   * A copy of this server that does not check its {@code turns:} certificate: see {@link #insecureTls()}.
   *
   * @return a new server, equal to this one but for {@code insecureTls}
   */
  public IceServer withInsecureTls() {
    return newBuilder().insecureTls(true).build();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IceServer s && s.urls.equals(urls) && Objects.equals(s.username, username)
        && Objects.equals(s.credential, credential) && s.insecureTls == insecureTls;
  }

  @Override
  public int hashCode() {
    return Objects.hash(urls, username, credential, insecureTls);
  }

  /** URLs and user name; never the credential. */
  @Override
  public String toString() {
    return "IceServer" + urls + (username != null ? " user=" + username : "") + (insecureTls ? " insecure-tls" : "");
  }

  /** Builds an {@link IceServer}; at least one URL is required. */
  public static final class Builder {
    private final List<String> urls = new ArrayList<>();
    private String username;
    private String credential;
    private boolean insecureTls;

    private Builder() {}

    /**
     * Adds a URL.
     *
     * @param url a {@code stun:}, {@code stuns:}, {@code turn:} or {@code turns:} URL
     * @return this builder
     * @throws NullPointerException when {@code url} is {@code null}
     * @throws IllegalArgumentException naming {@code url} when it is not a stun:, stuns:, turn: or turns: URL
     */
    public Builder url(String url) {
      urls.add(checkUrl(url));
      return this;
    }

    /**
     * Replaces the URLs. Nothing changes when one of them is refused.
     *
     * @param urls {@code stun:}, {@code stuns:}, {@code turn:} or {@code turns:} URLs, copied
     * @return this builder
     * @throws NullPointerException when {@code urls} or one of them is {@code null}
     * @throws IllegalArgumentException naming the first URL that is not a stun:, stuns:, turn: or turns: URL
     */
    public Builder urls(List<String> urls) {
      Objects.requireNonNull(urls, "urls == null");
      List<String> checked = new ArrayList<>();
      for (String url : urls) checked.add(checkUrl(url));
      this.urls.clear();
      this.urls.addAll(checked);
      return this;
    }

    /**
     * TURN user name; {@code null} for none.
     *
     * @param username the user name the TURN server knows, or {@code null}
     * @return this builder
     */
    public Builder username(String username) {
      this.username = username;
      return this;
    }

    /**
     * TURN password; {@code null} for none.
     *
     * @param credential the password for {@code username}, or {@code null}
     * @return this builder
     */
    public Builder credential(String credential) {
      this.credential = credential;
      return this;
    }

    /**
     * See {@link IceServer#insecureTls()}: for tests and private networks only.
     *
     * @param insecureTls {@code true} to skip the certificate check of {@code turns:} servers
     * @return this builder
     */
    public Builder insecureTls(boolean insecureTls) {
      this.insecureTls = insecureTls;
      return this;
    }

    /**
     * Makes the server; the builder can go on being used.
     *
     * @return a new immutable server with the URLs and credentials set
     * @throws IllegalStateException when no URL was given
     */
    public IceServer build() {
      if (urls.isEmpty()) throw new IllegalStateException("no url: an ICE server needs at least one");
      return new IceServer(this);
    }

    private static String checkUrl(String url) {
      Objects.requireNonNull(url, "url == null");
      if (!(url.startsWith("stun:") || url.startsWith("stuns:") || url.startsWith("turn:") || url.startsWith("turns:"))) {
        throw new IllegalArgumentException("not a stun:, stuns:, turn: or turns: URL: " + url);
      }
      return url;
    }
  }
}
