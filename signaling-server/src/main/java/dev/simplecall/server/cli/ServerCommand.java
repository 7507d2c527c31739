package dev.simplecall.server.cli;

import dev.simplecall.protocol.Uris;
import dev.simplecall.server.ServerTls;
import dev.simplecall.server.SignalingServer;
import dev.simplecall.server.mqtt.EmbeddedBroker;
import dev.simplecall.server.mqtt.MqttBridge;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code simplecall server}, and the server jar's only command ({@link ServerMain}): the signaling
 * server in the foreground until Ctrl-C or SIGTERM.
 *
 * <pre>{@code
 * java -jar simplecall-server-VERSION.jar --bind 0.0.0.0 --auth-secret-file /etc/simplecall/auth.secret
 * }</pre>
 */
@Command(name = "server", mixinStandardHelpOptions = true, sortOptions = false,
    header = "Runs the signaling server (WebSocket and long-poll) until Ctrl-C.",
    description = "Serves WebSocket (ws://HOST:PORT/v1/ws) and HTTP long-poll (http://HOST:PORT) signaling, or with --tls-cert/--tls-key wss:// and https://, optionally with an embedded MQTT broker or a bridge to one. Stops on Ctrl-C.")
public final class ServerCommand implements Callable<Integer> {
  @Mixin ServerCommonOptions common;
  @Spec CommandSpec spec;

  @Option(names = "--bind", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
      description = "Address to listen on (default: ${DEFAULT-VALUE}). Non-loopback needs --auth-secret or --insecure.")
  String bind;

  @Option(names = "--port", defaultValue = "8080", paramLabel = "PORT", description = "TCP port, 0 for any free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--mqtt-bridge", paramLabel = "URI",
      description = "Bridge rooms to an MQTT broker (tcp://host:1883 or mqtt://host:1883), so MQTT peers can call WebSocket and long-poll peers.")
  String mqttBridge;

  @Option(names = "--embedded-mqtt", paramLabel = "PORT",
      description = "Also run an embedded MQTT broker (Moquette) on this port of --bind and bridge to it. With --auth-secret"
          + " MQTT peers log in with their peer id and join token; without, a non-loopback --bind needs --insecure.")
  Integer embeddedMqtt;

  @Option(names = "--cluster", paramLabel = "URI", split = ",",
      description = "Share rooms, presence and routing with the other servers through Redis, so peers on different servers"
          + " reach each other: one Redis (redis://HOST:PORT), or nodes of a Redis Cluster (comma-separated; one is enough).")
  List<URI> cluster = new ArrayList<>();

  @Option(names = "--drain-timeout", defaultValue = "10s", paramLabel = "TIME", converter = Durations.Converter.class,
      description = "With --cluster: on stop, wait this long for this server's peers to reconnect to other servers (their"
          + " WebSockets are closed with 1012), so the rooms hear no leave (default: ${DEFAULT-VALUE}).")
  Duration drainTimeout;

  @Option(names = "--max-threads", defaultValue = "16", paramLabel = "N",
      description = "Most threads serving HTTP and WebSocket (default: ${DEFAULT-VALUE}). Every endpoint is non-blocking"
          + " except a join with --cluster, which waits for Redis: raise it when many peers join at once through a"
          + " slow Redis. More threads cost CPU on every message.")
  int maxThreads;

  @Option(names = "--turn-secret", paramLabel = "S", description = "coturn static-auth-secret: hand out time-limited TURN credentials in welcome. "
      + "Visible to every local user in the process list: prefer --turn-secret-file or SIMPLECALL_TURN_SECRET.")
  String turnSecret;

  @Option(names = "--turn-secret-file", paramLabel = "FILE", description = "Read the TURN secret from FILE (first line).")
  Path turnSecretFile;

  @Option(names = "--turn-uri", paramLabel = "URI",
      description = "TURN URI to hand out with credentials, repeatable, e.g. turn:203.0.113.5:3478.")
  List<String> turnUris = new ArrayList<>();

  @Option(names = "--turn-ttl", defaultValue = "1h", paramLabel = "TIME", converter = Durations.Converter.class,
      description = "Lifetime of TURN credentials, e.g. 30m or 1h (default: ${DEFAULT-VALUE}); with --auth-secret also at most the join token's expiry plus this.")
  Duration turnTtl;

  @Option(names = "--allow-open-turn",
      description = "Allow --turn-secret on a non-loopback --bind without --auth-secret: anyone who can reach the server gets TURN credentials (an open relay).")
  boolean allowOpenTurn;

  @Option(names = "--max-sessions-per-ip", defaultValue = "100", paramLabel = "N",
      description = "Most sessions (WebSocket peers and long-poll sessions in rooms) one client address may hold (default: ${DEFAULT-VALUE}); behind a reverse proxy see --trusted-proxy.")
  int maxSessionsPerIp;

  @Option(names = "--max-rooms-per-ip", defaultValue = "50", paramLabel = "N",
      description = "Most live rooms one client address may create (default: ${DEFAULT-VALUE}).")
  int maxRoomsPerIp;

  @Option(names = "--joins-per-minute-per-ip", defaultValue = "600", paramLabel = "N",
      description = "Joins one client address may make per minute, refused ones included (default: ${DEFAULT-VALUE}); beyond it and --join-burst-per-ip a join is answered rate-limited.")
  double joinsPerMinutePerIp;

  @Option(names = "--join-burst-per-ip", defaultValue = "200", paramLabel = "N",
      description = "Joins one client address may make at once before --joins-per-minute-per-ip applies (default: ${DEFAULT-VALUE}).")
  int joinBurstPerIp;

  @Option(names = "--max-connections-per-ip", defaultValue = "200", paramLabel = "N",
      description = "Most open TCP connections one client address may hold (default: ${DEFAULT-VALUE}); one more is closed as soon as it is accepted. A --trusted-proxy's connections are not capped.")
  int maxConnectionsPerIp;

  @Option(names = "--request-read-timeout", defaultValue = "10s", paramLabel = "TIME", converter = Durations.Converter.class,
      description = "Close a connection whose request (headers and body) has not arrived whole within this time, the first one counted from the connect (default: ${DEFAULT-VALUE}).")
  Duration requestReadTimeout;

  @Option(names = "--join-timeout", defaultValue = "10s", paramLabel = "TIME", converter = Durations.Converter.class,
      description = "Close a WebSocket that has been in no room for this long: not joined since it connected, refused, or left (default: ${DEFAULT-VALUE}).")
  Duration joinTimeout;

  @Option(names = "--auth-secret", paramLabel = "S", description = "Require HMAC-signed join tokens (mint them with: simplecall token). "
      + "Visible to every local user in the process list: prefer --auth-secret-file or SIMPLECALL_AUTH_SECRET.")
  String authSecret;

  @Option(names = "--auth-secret-file", paramLabel = "FILE", description = "Read the auth secret from FILE (first line).")
  Path authSecretFile;

  @Option(names = "--previous-auth-secret", paramLabel = "S", description = "Secret rotation: the --auth-secret used before;"
      + " join tokens signed with it are still accepted for --previous-auth-secret-for after start."
      + " Visible to every local user in the process list: prefer --previous-auth-secret-file or SIMPLECALL_PREVIOUS_AUTH_SECRET.")
  String previousAuthSecret;

  @Option(names = "--previous-auth-secret-file", paramLabel = "FILE", description = "Read the previous auth secret from FILE (first line).")
  Path previousAuthSecretFile;

  @Option(names = "--previous-auth-secret-for", defaultValue = "1h", paramLabel = "TIME", converter = Durations.Converter.class,
      description = "How long after start tokens signed with the previous auth secret are accepted, e.g. 30m or 24h"
          + " (default: ${DEFAULT-VALUE}): the longest lifetime of the tokens minted before the rotation.")
  Duration previousAuthSecretFor;

  @Option(names = "--allowed-origin", paramLabel = "ORIGIN", split = "[,\\s]+", splitSynopsisLabel = ",",
      description = "Also let web pages from this origin use the server, repeatable, e.g. https://app.example.com (scheme://host[:port]). "
          + "Its own page is always allowed; a browser request from any other origin gets 403; clients that send no Origin are not affected.")
  List<String> allowedOrigins = new ArrayList<>();

  @Option(names = "--trusted-proxy", paramLabel = "CIDR", split = "[,\\s]+", splitSynopsisLabel = ",",
      description = "A reverse proxy in front of the server (an address or range, e.g. 10.0.0.0/8), repeatable: on its "
          + "connections the client address the per-address limits count is read from X-Forwarded-For (from the right, "
          + "the first address that is no trusted proxy). From any other address the header is ignored. Default: none.")
  List<String> trustedProxies = new ArrayList<>();

  @Option(names = "--metrics-from", paramLabel = "CIDR", split = "[,\\s]+", splitSynopsisLabel = ",",
      description = "Serve GET /metrics (Prometheus text format) to clients from this address or range, repeatable, e.g. "
          + "127.0.0.1; every other client gets 404. Default: none (no one reads /metrics).")
  List<String> metricsFrom = new ArrayList<>();

  @Option(names = "--insecure", description = "Allow a non-loopback --bind without --auth-secret: anyone can join as anyone.")
  boolean insecure;

  @Option(names = "--tls-cert", paramLabel = "FILE",
      description = "Serve wss:// and https:// (and no plain HTTP) on --port with this PEM certificate chain, the server's certificate first; "
          + "needs --tls-key. The files are read again every 5 s: a renewed certificate serves new connections without a restart.")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE", description = "The unencrypted PKCS#8 PEM private key of --tls-cert (-----BEGIN PRIVATE KEY-----).")
  Path tlsKey;

  @Option(names = "--tls-keystore", paramLabel = "FILE",
      description = "Serve TLS from this PKCS#12 key store (its first key entry) instead of --tls-cert/--tls-key; read again every 5 s too.")
  Path tlsKeystore;

  @Option(names = "--tls-keystore-password-file", paramLabel = "FILE",
      description = "Read the password of --tls-keystore from FILE (first line); without it the password is empty.")
  Path tlsKeystorePasswordFile;

  @Override
  public Integer call() throws Exception {
    common.apply();
    authSecret = SecretOption.resolve(authSecret, authSecretFile, "--auth-secret");
    turnSecret = SecretOption.resolve(turnSecret, turnSecretFile, "--turn-secret");
    previousAuthSecret = SecretOption.resolve(previousAuthSecret, previousAuthSecretFile, "--previous-auth-secret");
    if (previousAuthSecret != null && authSecret == null) {
      throw new CommandException(ServerExitCodes.USAGE, "--previous-auth-secret needs --auth-secret (the secret it was rotated to)");
    }
    Instant previousUntil = previousAuthSecret == null ? null : Instant.now().plus(previousAuthSecretFor);
    if (turnSecret != null && turnUris.isEmpty()) {
      throw new CommandException(ServerExitCodes.USAGE, "--turn-secret needs at least one --turn-uri (e.g. --turn-uri turn:HOST:3478)");
    }
    if (mqttBridge != null && embeddedMqtt != null) {
      throw new CommandException(ServerExitCodes.USAGE, "give either --mqtt-bridge or --embedded-mqtt, not both");
    }
    ServerTls tls = ServerSetup.tls(tlsCert, tlsKey, tlsKeystore, tlsKeystorePasswordFile);
    PrintWriter out = spec.commandLine().getOut();
    String host = hostForUri(bind);
    URI bridgeTo = mqttBridge == null ? null : ServerSetup.brokerUri(mqttBridge);
    EmbeddedBroker broker = null;
    SignalingServer server = null;
    MqttBridge bridge = null;
    try {
      if (embeddedMqtt != null) {
        broker = ServerSetup.startBroker(bind, embeddedMqtt, authSecret, previousAuthSecret, previousUntil, insecure);
        bridgeTo = URI.create("tcp://" + host + ":" + broker.port());
        out.println("embedded MQTT broker: mqtt://" + host + ":" + broker.port()
            + (broker.authenticates() ? " (user = peer id, password = join token)" : " (open: no auth)"));
      }
      server = ServerSetup.startServer(bind, port, b -> {
        b.insecure(insecure).allowedOrigins(allowedOrigins).allowOpenTurn(allowOpenTurn).turnTtl(turnTtl)
            .maxSessionsPerIp(maxSessionsPerIp).maxRoomsPerIp(maxRoomsPerIp).maxConnectionsPerIp(maxConnectionsPerIp)
            .joinRateLimit(joinsPerMinutePerIp, joinBurstPerIp)
            .requestReadTimeout(requestReadTimeout).joinTimeout(joinTimeout).trustedProxies(trustedProxies)
            .metricsFrom(metricsFrom).drainTimeout(drainTimeout).maxThreads(maxThreads);
        if (authSecret != null) b.authSecret(authSecret).previousAuthSecret(previousAuthSecret, previousUntil);
        if (turnSecret != null) b.turnSecret(turnSecret).turnUris(turnUris);
        if (tls != null) b.tls(tls);
        if (!cluster.isEmpty()) b.cluster(cluster.toArray(URI[]::new));
      });
      if (broker != null) {
        bridge = ServerSetup.startBridge(server, broker);
      } else if (bridgeTo != null) {
        bridge = ServerSetup.startBridge(server, bridgeTo);
      }
    } catch (CommandException e) {
      if (server != null) server.close();
      if (broker != null) broker.close();
      throw e;
    }
    SignalingServer s = server;
    EmbeddedBroker b = broker;
    MqttBridge br = bridge;
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (br != null) br.close();
      s.close();
      if (b != null) b.close();
      stopped.countDown();
    }, "simplecall-server-shutdown"));
    String ws = tls != null ? "wss://" : "ws://";
    String http = tls != null ? "https://" : "http://";
    out.println("signaling server listening: " + ws + host + ":" + s.port() + "/v1/ws (WebSocket), " + http
        + host + ":" + s.port() + " (long-poll)" + (authSecret != null ? ", join tokens required" : ", no auth")
        + (bridgeTo != null ? ", bridged to MQTT at " + Uris.redact(bridgeTo) : "")
        + (cluster.isEmpty() ? "" : ", cluster on Redis " + String.join(",", cluster.stream().map(Uris::redact).toList()))
        + (allowedOrigins.isEmpty() ? "" : ", also serving pages from " + String.join(" ", allowedOrigins))
        + (trustedProxies.isEmpty() ? "" : ", client addresses from X-Forwarded-For of " + String.join(" ", trustedProxies)));
    out.println("press Ctrl-C to stop");
    out.flush();
    stopped.await();
    return ServerExitCodes.OK;
  }

  private static String hostForUri(String bind) {
    if (bind.equals("0.0.0.0") || bind.equals("::")) return "127.0.0.1";
    return bind.contains(":") ? "[" + bind + "]" : bind;
  }
}
