package dev.simplecall.samples.cli;

import dev.simplecall.protocol.Uris;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/** Maps {@code --transport} names and signaling URI schemes onto each other. */
public final class Transports {
  public static final List<String> NAMES = List.of("websocket", "mqtt", "http-poll", "memory");

  private Transports() {}

  /** The transport name a URI selects: ws/wss websocket, mqtt/mqtts/tcp/ssl mqtt, http/https http-poll. */
  public static String nameOf(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    switch (scheme) {
      case "ws": case "wss": return "websocket";
      case "mqtt": case "mqtts": case "tcp": case "ssl": return "mqtt";
      case "http": case "https": return "http-poll";
      case "memory": return "memory";
      default: return scheme.isEmpty() ? "unknown" : scheme;
    }
  }

  public static String requireName(String transport) {
    String t = transport.toLowerCase(Locale.ROOT);
    if (t.equals("ws")) t = "websocket";
    if (t.equals("poll") || t.equals("http")) t = "http-poll";
    if (!NAMES.contains(t)) {
      throw new CliException(ExitCodes.USAGE, "unknown transport \"" + transport + "\"; expected one of " + NAMES);
    }
    return t;
  }

  /** Parses a signaling URI given on the command line; a scheme-less one is a usage error. */
  public static URI parse(String text) {
    try {
      URI uri = new URI(text.trim());
      if (uri.getScheme() == null) {
        throw new CliException(ExitCodes.USAGE, "signaling URI needs a scheme (ws://, http://, mqtt://, memory://): \"" + Uris.redact(text) + "\"");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new CliException(ExitCodes.USAGE, "not a valid signaling URI: \"" + Uris.redact(text) + "\" (" + e.getReason() + ")");
    }
  }

  /**
   * Points a signaling server URI at the endpoint of {@code transport}: {@code http://h:8080} with
   * websocket becomes {@code ws://h:8080/v1/ws}, {@code ws://h:8080/v1/ws} with http-poll becomes
   * {@code http://h:8080}. MQTT talks to a broker, not the server, so it needs an mqtt:// URI.
   */
  public static URI forTransport(URI uri, String transport) {
    String t = requireName(transport);
    if (t.equals(nameOf(uri))) return uri;
    boolean secure = List.of("wss", "https", "mqtts", "ssl").contains(uri.getScheme().toLowerCase(Locale.ROOT));
    String authority = uri.getRawAuthority();
    switch (t) {
      case "websocket":
        requireServer(uri, t);
        return URI.create((secure ? "wss" : "ws") + "://" + authority + "/v1/ws");
      case "http-poll":
        requireServer(uri, t);
        return URI.create((secure ? "https" : "http") + "://" + authority);
      default:
        throw new CliException(ExitCodes.USAGE, "--transport " + t + " needs a " + (t.equals("mqtt") ? "mqtt://host:port broker" : "memory://name")
            + " signaling URI, not " + Uris.redact(uri));
    }
  }

  private static void requireServer(URI uri, String transport) {
    String n = nameOf(uri);
    if (!n.equals("websocket") && !n.equals("http-poll")) {
      throw new CliException(ExitCodes.USAGE, "--transport " + transport + " needs the signaling server's ws:// or http:// URI, not " + Uris.redact(uri));
    }
  }
}
