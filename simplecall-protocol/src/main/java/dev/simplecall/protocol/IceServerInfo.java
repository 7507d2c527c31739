package dev.simplecall.protocol;

import java.util.List;
import java.util.Objects;

/**
 * One entry of a {@code welcome}'s {@code iceServers}: the wire form of the browser's {@code
 * RTCIceServer}, {@code {"urls":[...],"username":"...","credential":"..."}}. The SDK turns it into
 * the app-facing {@code dev.simplecall.IceServer}; the server builds it from its configuration.
 *
 * <pre>{@code
 * IceServerInfo stun = IceServerInfo.of("stun:stun.example.org:3478");
 * IceServerInfo turn = new IceServerInfo(List.of("turn:h:3478"), "1700000000:alice", "base64hmac");
 * }</pre>
 *
 * @param urls one or more {@code stun:}, {@code stuns:}, {@code turn:} or {@code turns:} URLs
 * @param username TURN user name, or {@code null}
 * @param credential TURN password, or {@code null}
 */
public record IceServerInfo(List<String> urls, String username, String credential) {
  /**
   * Checks the URLs and keeps an unmodifiable copy of them.
   *
   * @param urls one or more {@code stun:}, {@code stuns:}, {@code turn:} or {@code turns:} URLs
   * @param username TURN user name, or {@code null}
   * @param credential TURN password, or {@code null}
   * @throws NullPointerException when {@code urls} is or holds {@code null}
   * @throws IllegalArgumentException when {@code urls} is empty or a URL has another scheme
   */
  public IceServerInfo {
    Objects.requireNonNull(urls, "urls == null");
    urls = List.copyOf(urls);
    if (urls.isEmpty()) throw new IllegalArgumentException("urls is empty");
    for (String url : urls) {
      if (!(url.startsWith("stun:") || url.startsWith("stuns:") || url.startsWith("turn:") || url.startsWith("turns:"))) {
        throw new IllegalArgumentException("not a stun:, turn: or turns: URL: " + url);
      }
    }
  }

  /**
   * A server without credentials (STUN).
   *
   * @param url a {@code stun:}, {@code stuns:}, {@code turn:} or {@code turns:} URL
   * @return the server, with {@code null} user name and credential
   * @throws NullPointerException when {@code url} is {@code null}
   * @throws IllegalArgumentException when {@code url} has another scheme
   */
  public static IceServerInfo of(String url) {
    return new IceServerInfo(List.of(url), null, null);
  }

  /**
   * A server with credentials (TURN).
   *
   * @param url a {@code stun:}, {@code stuns:}, {@code turn:} or {@code turns:} URL
   * @param username TURN user name, or {@code null}
   * @param credential TURN password, or {@code null}
   * @return the server
   * @throws NullPointerException when {@code url} is {@code null}
   * @throws IllegalArgumentException when {@code url} has another scheme
   */
  public static IceServerInfo of(String url, String username, String credential) {
    return new IceServerInfo(List.of(url), username, credential);
  }

  @Override
  public String toString() {
    return "IceServerInfo" + urls + (username != null ? " user=" + username : ""); // never the credential
  }
}
