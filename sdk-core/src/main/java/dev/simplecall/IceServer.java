package dev.simplecall;

import java.util.List;
import java.util.Objects;

/**
 * A STUN or TURN server, as in the browser's {@code RTCIceServer}.
 *
 * <pre>{@code
 * IceServer stun = IceServer.of("stun:stun.example.org:3478");
 * IceServer turn = IceServer.of("turn:turn.example.org:3478?transport=tcp", "user", "secret");
 * // tests and private deployments only: a turns: server with a self-signed or private-CA certificate
 * IceServer lab = IceServer.of("turns:10.0.0.5:5349?transport=tcp", "user", "secret").withInsecureTls();
 * }</pre>
 *
 * @param urls one or more {@code stun:}, {@code turn:} or {@code turns:} URLs
 * @param username TURN user name, or {@code null}
 * @param credential TURN password, or {@code null}
 * @param insecureTls {@code true} turns OFF the check of the TURN server's TLS certificate for
 *     {@code turns:} URLs (libwebrtc's {@code INSECURE_NO_CHECK}); anyone on the path can then
 *     impersonate the TURN server. Only for tests and private networks whose TURN server has a
 *     self-signed or private-CA certificate; never for servers reached over the Internet. Media stays
 *     end-to-end encrypted by DTLS-SRTP either way. Default {@code false}.
 */
public record IceServer(List<String> urls, String username, String credential, boolean insecureTls) {
  /** A server whose {@code turns:} certificate is checked (the default). */
  public IceServer(List<String> urls, String username, String credential) {
    this(urls, username, credential, false);
  }

  public IceServer {
    Objects.requireNonNull(urls, "urls == null");
    urls = List.copyOf(urls);
    if (urls.isEmpty()) throw new IllegalArgumentException("urls is empty");
    for (String url : urls) {
      if (!(url.startsWith("stun:") || url.startsWith("stuns:") || url.startsWith("turn:") || url.startsWith("turns:"))) {
        throw new IllegalArgumentException("not a stun:, turn: or turns: URL: " + url);
      }
    }
  }

  public static IceServer of(String url) {
    return new IceServer(List.of(url), null, null);
  }

  public static IceServer of(String url, String username, String credential) {
    return new IceServer(List.of(url), username, credential);
  }

  /**
   * A copy of this server that does not check the TLS certificate of its {@code turns:} URLs. For
   * tests and private deployments only: see {@link #insecureTls()}.
   */
  public IceServer withInsecureTls() {
    return new IceServer(urls, username, credential, true);
  }

  /**
   * Parses the command-line form {@code URL[,user,credential]}.
   *
   * @throws IllegalArgumentException naming the bad value
   */
  public static IceServer parse(String spec) {
    Objects.requireNonNull(spec, "spec == null");
    String[] parts = spec.split(",", -1);
    if (parts.length == 1) return of(parts[0].trim());
    if (parts.length == 3) return of(parts[0].trim(), parts[1], parts[2]);
    throw new IllegalArgumentException("expected URL or URL,user,credential: " + spec);
  }

  @Override
  public String toString() {
    return "IceServer" + urls + (username != null ? " user=" + username : "")
        + (insecureTls ? " insecure-tls" : "");
  }
}
