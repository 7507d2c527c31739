package dev.simplecall.samples.cli;

import dev.simplecall.server.SignalingServer;
import java.net.URI;
import java.util.List;

/** Starts the server module's pieces, turning their failures into one-line {@link CliException}s. */
final class ServerSetup {
  private ServerSetup() {}

  static SignalingServer startServer(String bind, int port, String authSecret, String turnSecret,
      List<String> turnUris, boolean insecure, URI mqttBridge) {
    try {
      SignalingServer.Builder b = SignalingServer.builder().bind(bind).port(port).insecure(insecure);
      if (authSecret != null) b.authSecret(authSecret);
      if (turnSecret != null) b.turnSecret(turnSecret).turnUris(turnUris);
      if (mqttBridge != null) {
        throw new CliException(ExitCodes.USAGE, "--mqtt-bridge / --embedded-mqtt: this build's server has no MQTT bridge yet");
      }
      return b.build().start();
    } catch (CliException e) {
      throw e;
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new CliException(ExitCodes.USAGE, e.getMessage());
    } catch (RuntimeException e) {
      throw new CliException(ExitCodes.SIGNALING, "cannot start the server on " + bind + ":" + port + ": " + rootMessage(e));
    }
  }

  static MqttBroker startBroker(String bind, int port) {
    try {
      return MqttBroker.start(bind, port);
    } catch (RuntimeException e) {
      throw new CliException(ExitCodes.SIGNALING, "cannot start the embedded MQTT broker on " + bind + ":" + port + ": " + rootMessage(e));
    }
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) t = t.getCause();
    return t.getMessage() != null ? t.getMessage() : t.toString();
  }
}
