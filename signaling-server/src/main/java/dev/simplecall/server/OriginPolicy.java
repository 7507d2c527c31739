package dev.simplecall.server;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Which browser origins may use the API ({@code /v1/ws}, {@code /v1/poll/...}, {@code /v1/turn-credentials}).
 * Browsers send {@code Origin} on WebSocket upgrades and cross-origin requests, and a page cannot forge
 * it; so a request is refused when it carries an {@code Origin} that is neither the server's own (same
 * scheme, host and port as the request's {@code Host}: the page this server serves) nor listed. A request
 * without {@code Origin} is not from a web page (the SDK's transports, curl) and passes. {@code Origin:
 * null} (sandboxed frames, {@code file://}) is foreign. Immutable.
 */
final class OriginPolicy {
  private final Set<String> allowed; // normalized: scheme://host[:port], port only when not the default
  private final boolean loopbackOnly;

  /**
   * @param loopbackOnly the server listens on loopback only: then a request must name a loopback host
   *     ({@code localhost}, {@code 127.x.x.x}, {@code [::1]}) in {@code Host}, which defeats DNS rebinding
   *     (a page on {@code attacker.example} whose name later resolves to 127.0.0.1 sends its own name)
   */
  OriginPolicy(List<String> allowedOrigins, boolean loopbackOnly) {
    Set<String> s = new LinkedHashSet<>();
    for (String o : allowedOrigins) s.add(normalizeListed(o));
    this.allowed = Collections.unmodifiableSet(s);
    this.loopbackOnly = loopbackOnly;
  }

  /**
   * The canonical form of an origin given with {@code --allowed-origin}: {@code scheme://host[:port]},
   * lower case, the default port dropped.
   *
   * @throws IllegalArgumentException naming the value when it is not an http(s) origin without path
   */
  static String normalizeListed(String origin) {
    Objects.requireNonNull(origin, "origin == null");
    String n = normalize(origin);
    if (n == null) {
      throw new IllegalArgumentException("not an origin (want scheme://host[:port], e.g. https://app.example.com): " + origin);
    }
    return n;
  }

  /** Null when the request may go on; otherwise the reason to refuse it (403). */
  String refusal(HttpServletRequest request) {
    if (loopbackOnly) {
      String host = hostName(request.getHeader("Host"));
      if (host != null && !isLoopbackName(host)) {
        return "Host " + printable(host) + " is not a loopback name, and this server listens on loopback only";
      }
    }
    List<String> origins = Collections.list(request.getHeaders("Origin"));
    if (origins.isEmpty()) return null; // not a browser page: SDK transports, curl
    if (origins.size() > 1) return "more than one Origin header";
    String origin = normalize(origins.get(0));
    if (origin != null && (allowed.contains(origin) || origin.equals(own(request)))) return null;
    return "origin " + printable(origins.get(0)) + " is not allowed here (see --allowed-origin)";
  }

  /** {@code scheme://host[:port]} of the request's own {@code Host}, as a page served by us would send it. */
  private static String own(HttpServletRequest request) {
    String host = request.getHeader("Host");
    if (host == null || host.isEmpty()) return null;
    return normalize((request.isSecure() ? "https" : "http") + "://" + host);
  }

  /** Canonical {@code scheme://host[:port]} of an http(s) origin, or {@code null} if it is not one ({@code "null"} included). */
  private static String normalize(String origin) {
    URI u;
    try {
      u = new URI(origin.trim());
    } catch (URISyntaxException e) {
      return null;
    }
    String scheme = u.getScheme() == null ? null : u.getScheme().toLowerCase(Locale.ROOT);
    if (!"http".equals(scheme) && !"https".equals(scheme)) return null;
    if (u.getHost() == null || u.getRawUserInfo() != null || u.getRawQuery() != null || u.getRawFragment() != null) return null;
    if (u.getRawPath() != null && !u.getRawPath().isEmpty() && !u.getRawPath().equals("/")) return null;
    int dflt = scheme.equals("https") ? 443 : 80;
    int port = u.getPort() == -1 ? dflt : u.getPort();
    String host = u.getHost().toLowerCase(Locale.ROOT);
    return scheme + "://" + host + (port == dflt ? "" : ":" + port);
  }

  /** The host part of a {@code Host} header ({@code name[:port]}, {@code [v6]:port}), lower case; null when absent. */
  static String hostName(String hostHeader) {
    if (hostHeader == null || hostHeader.isBlank()) return null;
    String h = hostHeader.trim().toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      int close = h.indexOf(']');
      return close < 0 ? h : h.substring(0, close + 1);
    }
    int colon = h.indexOf(':');
    return colon < 0 ? h : h.substring(0, colon);
  }

  static boolean isLoopbackName(String host) {
    if (host.equals("localhost") || host.endsWith(".localhost") || host.equals("[::1]")) return true;
    String[] p = host.split("\\.", -1);
    if (p.length != 4 || !p[0].equals("127")) return false;
    for (String part : p) {
      if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit) || Integer.parseInt(part) > 255) {
        return false;
      }
    }
    return true;
  }

  private static String printable(String s) {
    String t = s.length() > 100 ? s.substring(0, 100) + "..." : s;
    return '"' + t.replaceAll("[^\\x20-\\x7e]", "?") + '"';
  }

  /** The listed origins, normalized (for logs). */
  Set<String> allowed() {
    return allowed;
  }
}
