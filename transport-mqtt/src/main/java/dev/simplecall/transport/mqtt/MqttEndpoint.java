package dev.simplecall.transport.mqtt;

import dev.simplecall.protocol.Uris;
import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * An {@code mqtt://} or {@code mqtts://} URI turned into what Paho wants: {@code tcp://host:1883}
 * or {@code ssl://host:8883}, plus the user name and password from the URI's user info (if any).
 */
record MqttEndpoint(String serverUri, String userName, char[] password, boolean tls) {

  static MqttEndpoint parse(URI uri) {
    Objects.requireNonNull(uri, "endpoint == null");
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    boolean tls;
    if (scheme.equals("mqtt")) {
      tls = false;
    } else if (scheme.equals("mqtts")) {
      tls = true;
    } else {
      throw new IllegalArgumentException("not an mqtt:// or mqtts:// URI: " + uri);
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("MQTT URI without a host: " + Uris.redact(uri));
    }
    String path = uri.getRawPath();
    if (path != null && !path.isEmpty() && !path.equals("/")) {
      throw new IllegalArgumentException("MQTT URIs have no path (topics are fixed by the protocol): " + Uris.redact(uri));
    }
    int port = uri.getPort() != -1 ? uri.getPort() : tls ? 8883 : 1883;
    String user = null;
    char[] password = null;
    String info = uri.getUserInfo();
    if (info != null && !info.isEmpty()) {
      int colon = info.indexOf(':');
      user = colon < 0 ? info : info.substring(0, colon);
      password = colon < 0 ? null : info.substring(colon + 1).toCharArray();
    }
    return new MqttEndpoint((tls ? "ssl://" : "tcp://") + host + ":" + port, user, password, tls);
  }

  @Override
  public String toString() {
    // never print the password
    return serverUri + (userName == null ? "" : " as " + userName);
  }
}
