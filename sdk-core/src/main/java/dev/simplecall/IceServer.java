package dev.simplecall;

import java.util.List;
import java.util.Objects;

/**
 * A STUN or TURN server, as in the browser's {@code RTCIceServer}.
 *
 * <pre>{@code
 * IceServer stun = IceServer.of("stun:stun.example.org:3478");
 * IceServer turn = IceServer.of("turn:turn.example.org:3478?transport=tcp", "user", "secret");
 * }</pre>
 *
 * @param urls one or more {@code stun:}, {@code turn:} or {@code turns:} URLs
 * @param username TURN user name, or {@code null}
 * @param credential TURN password, or {@code null}
 */
public record IceServer(List<String> urls, String username, String credential) {
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
    return "IceServer" + urls + (username != null ? " user=" + username : "");
  }
}
