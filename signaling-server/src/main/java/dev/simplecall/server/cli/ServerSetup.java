package dev.simplecall.server.cli;

import dev.simplecall.protocol.Uris;
import dev.simplecall.server.ServerTls;
import dev.simplecall.server.SignalingServer;
import dev.simplecall.server.mqtt.EmbeddedBroker;
import dev.simplecall.server.mqtt.MqttBridge;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Consumer;

/** Starts the server module's pieces, turning their failures into one-line {@link CommandException}s. */
final class ServerSetup {
  private ServerSetup() {}

  /** Builds with {@code options} applied to the builder and starts; a bad or contradicting setting is a usage error. */
  static SignalingServer startServer(String bind, int port, Consumer<SignalingServer.Builder> options) {
    SignalingServer server;
    try {
      SignalingServer.Builder b = SignalingServer.builder().bind(bind).port(port);
      options.accept(b);
      server = b.build(); // contradicting settings, e.g. a public --bind without --auth-secret
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new CommandException(ServerExitCodes.USAGE, e.getMessage());
    }
    try {
      return server.start();
    } catch (RuntimeException e) {
      throw new CommandException(ServerExitCodes.SIGNALING, "cannot start the server on " + bind + ":" + port + ": " + rootMessage(e));
    }
  }

  /**
   * The server's TLS from {@code --tls-cert}/{@code --tls-key} or {@code --tls-keystore}, or {@code null}
   * when none is given; the files themselves are read when the server is built.
   *
   * @throws CommandException (usage) for a half-given or contradicting combination
   */
  static ServerTls tls(Path cert, Path key, Path keystore, Path keystorePasswordFile) {
    if ((cert == null) != (key == null)) throw new CommandException(ServerExitCodes.USAGE, "--tls-cert and --tls-key go together");
    if (keystore != null && cert != null) {
      throw new CommandException(ServerExitCodes.USAGE, "give either --tls-cert/--tls-key or --tls-keystore, not both");
    }
    if (keystorePasswordFile != null && keystore == null) {
      throw new CommandException(ServerExitCodes.USAGE, "--tls-keystore-password-file needs --tls-keystore");
    }
    if (cert != null) return ServerTls.builder().pem(cert, key).build();
    if (keystore == null) return null;
    String password = SecretOption.resolve(null, keystorePasswordFile, "--tls-keystore-password");
    return ServerTls.builder().pkcs12(keystore, password == null ? new char[0] : password.toCharArray()).build();
  }

  /** The {@code --mqtt-bridge} URI; one without a scheme is a usage error. */
  static URI brokerUri(String text) {
    try {
      URI uri = new URI(text.trim());
      if (uri.getScheme() == null) {
        throw new CommandException(ServerExitCodes.USAGE, "--mqtt-bridge needs a URI with a scheme (tcp://HOST:1883 or mqtt://HOST:1883): \""
            + Uris.redact(text) + "\"");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new CommandException(ServerExitCodes.USAGE, "not a valid --mqtt-bridge URI: \"" + Uris.redact(text) + "\" (" + e.getReason() + ")");
    }
  }

  static MqttBridge startBridge(SignalingServer server, URI broker) {
    try {
      return MqttBridge.start(server, broker);
    } catch (IOException | RuntimeException e) {
      throw new CommandException(ServerExitCodes.SIGNALING, "cannot bridge to the MQTT broker " + Uris.redact(broker) + ": " + rootMessage(e));
    }
  }

  /** Bridges to the embedded broker, with its internal credentials when it authenticates. */
  static MqttBridge startBridge(SignalingServer server, EmbeddedBroker broker) {
    try {
      return MqttBridge.start(server, broker);
    } catch (IOException | RuntimeException e) {
      throw new CommandException(ServerExitCodes.SIGNALING, "cannot bridge to the embedded MQTT broker " + broker.uri() + ": " + rootMessage(e));
    }
  }

  /**
   * With {@code authSecret} the broker admits only peers with a join token (also one signed with {@code
   * previousSecret} until {@code previousUntil}); without one it is open.
   */
  static EmbeddedBroker startBroker(String bind, int port, String authSecret, String previousSecret, Instant previousUntil,
      boolean insecure) {
    EmbeddedBroker.Builder b = EmbeddedBroker.builder().host(bind).port(port).authSecret(authSecret)
        .previousAuthSecret(previousSecret, previousUntil).insecure(insecure);
    try {
      return b.start(); // an open broker on a public address without --insecure is refused
    } catch (IllegalStateException e) {
      throw new CommandException(ServerExitCodes.USAGE, e.getMessage());
    } catch (IOException | RuntimeException e) {
      throw new CommandException(ServerExitCodes.SIGNALING, "cannot start the embedded MQTT broker on " + bind + ":" + port + ": " + rootMessage(e));
    }
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) t = t.getCause();
    return t.getMessage() != null ? t.getMessage() : t.toString();
  }
}
