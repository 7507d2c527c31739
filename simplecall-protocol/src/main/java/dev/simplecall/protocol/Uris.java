package dev.simplecall.protocol;

import java.net.URI;
import java.util.Locale;

/**
 * URIs made safe to log or print: a signaling or broker URI may carry credentials in its user info
 * ({@code mqtt://user:password@host}) or query ({@code ?token=...}).
 *
 * <pre>{@code
 * log.info("connecting to {}", Uris.redact(uri));   // mqtt://alice:***@broker:1883
 * }</pre>
 */
public final class Uris {
  private static final String MASK = "***";

  private Uris() {}

  /**
   * {@code uri} as text with the password of its user info replaced by {@code ***} (user info without a
   * colon, which may itself be a token, is masked whole), and the values of query parameters whose name
   * mentions a token, secret, password, key or credential masked too. {@code null} gives {@code "null"}.
   * A query parameter is masked when its name, in any case, contains {@code token}, {@code secret},
   * {@code pass}, {@code key}, {@code credential} or {@code auth}; one without {@code =} is kept. An
   * opaque URI ({@code scheme:rest}) becomes {@code scheme:***}.
   *
   * @param uri the URI, or {@code null}
   * @return the text to log
   */
  public static String redact(URI uri) {
    if (uri == null) return "null";
    if (uri.isOpaque()) return uri.getScheme() + ":" + MASK;
    String info = uri.getRawUserInfo();
    String query = uri.getRawQuery();
    if (info == null && query == null) return uri.toString();
    StringBuilder b = new StringBuilder();
    if (uri.getScheme() != null) b.append(uri.getScheme()).append("://");
    if (info != null) {
      int colon = info.indexOf(':');
      b.append(colon < 0 ? MASK : info.substring(0, colon) + ":" + MASK).append('@');
    }
    if (uri.getHost() != null) {
      b.append(uri.getHost());
      if (uri.getPort() != -1) b.append(':').append(uri.getPort());
    } else if (uri.getRawAuthority() != null) {
      String authority = uri.getRawAuthority();
      b.append(authority.substring(authority.lastIndexOf('@') + 1));
    }
    if (uri.getRawPath() != null) b.append(uri.getRawPath());
    if (query != null) b.append('?').append(redactQuery(query));
    if (uri.getRawFragment() != null) b.append('#').append(uri.getRawFragment());
    return b.toString();
  }

  /**
   * {@link #redact(URI)} for text that may not even parse as a URI (then only the scheme is kept).
   *
   * @param uri the URI text, or {@code null}
   * @return the text to log: {@code "null"} for {@code null}; for text that does not parse, {@code
   *     scheme:***} when it starts with a scheme, else {@code ***}
   */
  public static String redact(String uri) {
    if (uri == null) return "null";
    try {
      return redact(new URI(uri));
    } catch (java.net.URISyntaxException e) {
      int colon = uri.indexOf(':');
      return colon > 0 && uri.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*")
          ? uri.substring(0, colon) + ":" + MASK : MASK;
    }
  }

  private static String redactQuery(String query) {
    StringBuilder b = new StringBuilder();
    for (String part : query.split("&", -1)) {
      if (b.length() > 0) b.append('&');
      int eq = part.indexOf('=');
      String name = (eq < 0 ? part : part.substring(0, eq)).toLowerCase(Locale.ROOT);
      boolean secret = name.contains("token") || name.contains("secret") || name.contains("pass")
          || name.contains("key") || name.contains("credential") || name.contains("auth");
      b.append(secret && eq >= 0 ? part.substring(0, eq + 1) + MASK : part);
    }
    return b.toString();
  }
}
