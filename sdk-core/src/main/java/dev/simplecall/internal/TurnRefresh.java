package dev.simplecall.internal;

import dev.simplecall.IceServer;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.protocol.EnvelopeException;
import dev.simplecall.protocol.IceServerInfo;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TURN REST credentials ({@code <expiry unix seconds>:<peer>} user names) and how to get fresh ones
 * from the signaling server: {@code GET {base}/v1/turn-credentials} with the join token as Bearer,
 * answered with {@code {"ttl":S,"iceServers":[...]}}. Only for {@code ws(s)://} and {@code http(s)://}
 * signaling; other transports (MQTT) have no such server and keep the servers they have.
 */
final class TurnRefresh {
  private static final Pattern REST_USER = Pattern.compile("^(\\d{9,12}):.*");
  /** Refresh when this share of the credentials' lifetime has passed. */
  static final double REFRESH_AT = 0.8;
  private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);

  private TurnRefresh() {}

  /** The earliest expiry among the TURN REST user names in {@code servers}, or {@code null}. */
  static Instant earliestExpiry(List<IceServer> servers) {
    Instant first = null;
    for (IceServer s : servers) {
      if (s.username() == null) continue;
      Matcher m = REST_USER.matcher(s.username());
      if (!m.matches()) continue;
      Instant e = Instant.ofEpochSecond(Long.parseLong(m.group(1)));
      if (first == null || e.isBefore(first)) first = e;
    }
    return first;
  }

  /**
   * How long after {@code received} to refresh credentials that expire at {@code expiry}: at
   * {@link #REFRESH_AT} of the lifetime, at least one second from now.
   */
  static Duration refreshDelay(Instant received, Instant expiry, Instant now) {
    long lifetimeMs = Math.max(0, expiry.toEpochMilli() - received.toEpochMilli());
    Instant at = received.plusMillis((long) (lifetimeMs * REFRESH_AT));
    Duration d = Duration.between(now, at);
    return d.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : d;
  }

  /** {@code GET .../v1/turn-credentials} on the same server as {@code signaling}, or {@code null} (MQTT, ...). */
  static URI credentialsUri(URI signaling, String peerId) {
    String scheme = signaling.getScheme() == null ? "" : signaling.getScheme().toLowerCase();
    String http;
    switch (scheme) {
      case "ws": case "http": http = "http"; break;
      case "wss": case "https": http = "https"; break;
      default: return null;
    }
    String path = signaling.getRawPath() == null ? "" : signaling.getRawPath();
    int v1 = path.indexOf("/v1/");
    String base = v1 >= 0 ? path.substring(0, v1) : path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    return URI.create(http + "://" + signaling.getRawAuthority() + base + "/v1/turn-credentials?peer="
        + URLEncoder.encode(peerId, StandardCharsets.UTF_8));
  }

  /** Fetches fresh ICE servers; completes exceptionally with a message naming the URI on any failure. */
  static CompletableFuture<List<IceServer>> fetch(HttpClient http, URI uri, String token) {
    HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(HTTP_TIMEOUT).GET();
    if (token != null) req.header("Authorization", "Bearer " + token);
    return http.sendAsync(req.build(), HttpResponse.BodyHandlers.ofString()).thenApply(res -> {
      if (res.statusCode() != 200) {
        throw new IllegalStateException("GET " + uri.getPath() + " answered " + res.statusCode() + ": "
            + res.body().substring(0, Math.min(200, res.body().length())));
      }
      try {
        return parse(res.body());
      } catch (IOException | RuntimeException e) {
        throw new IllegalStateException("GET " + uri.getPath() + ": bad body: " + e.getMessage(), e);
      }
    });
  }

  /** Parses {@code {"ttl":S,"iceServers":[{"urls":[..],"username":..,"credential":..}]}}. */
  static List<IceServer> parse(String body) throws IOException {
    List<IceServer> out = new ArrayList<>();
    try {
      for (IceServerInfo i : EnvelopeCodec.decodeIceServers(body)) {
        out.add(IceServer.builder().urls(i.urls()).username(i.username()).credential(i.credential()).build());
      }
    } catch (EnvelopeException e) {
      throw new IOException(e.getMessage(), e);
    }
    return out;
  }
}
