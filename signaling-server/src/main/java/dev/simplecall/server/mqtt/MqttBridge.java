package dev.simplecall.server.mqtt;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.protocol.EnvelopeException;
import dev.simplecall.protocol.Ids;
import dev.simplecall.protocol.MqttNames;
import dev.simplecall.protocol.MqttPresence;
import dev.simplecall.protocol.Uris;
import dev.simplecall.server.ExternalPeers;
import dev.simplecall.server.RefusalLog;
import dev.simplecall.server.SignalingServer;
import dev.simplecall.spi.support.NoDelaySocketFactory;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Joins a signaling server to an MQTT broker so that WebSocket and long-poll peers and MQTT peers share
 * rooms ({@code simplecall server --mqtt-bridge tcp://broker:1883}). Presence is mirrored both ways:
 * an MQTT peer's retained presence makes it a room member on the server, and a server peer gets a
 * retained presence on the broker, so MQTT peers see it in their {@code welcome}. Messages are routed
 * both ways: server to MQTT as a publish on {@code simplecall/v1/{room}/to/{to}/from/{from}}, MQTT to
 * server when the recipient is a server peer. From MQTT the bridge takes what the topic says: an
 * {@code offer}, {@code answer}, {@code candidate} or {@code bye} whose {@code to} is the topic's, from
 * the topic's sender in the topic's room ({@code from} and {@code room} in the payload are overwritten),
 * in a payload of well-formed UTF-8; anything else is dropped and logged.
 *
 * <p>No loops: the presence this bridge publishes carries its id ({@code "bridge":"..."}) and is not
 * taken back as an MQTT peer (on a cluster node, no presence that a bridge published is: it mirrors a
 * peer of some node, already in the cluster's rooms); a message is taken into the server only when its
 * recipient is a server peer and its sender is not, so what the bridge publishes (always to an MQTT
 * peer) never comes back.
 * With config/mosquitto/simplecall.acl the bridge logs in as user {@code simplecall-bridge}; on an
 * {@link EmbeddedBroker} with an auth secret, as {@link EmbeddedBroker#BRIDGE_USER} with that broker's
 * per-process password ({@link #start(SignalingServer, EmbeddedBroker)}).
 *
 * <p>The bridge makes an MQTT peer a room member from its retained presence, without a token of its
 * own: the broker's authentication and ACL are what tie a presence topic to a peer. So a server that
 * requires join tokens must only be bridged to a broker that checks them (the embedded broker with the
 * same secret) or that ties topics to authenticated users (mosquitto with simplecall.acl).
 *
 * <pre>{@code
 * try (SignalingServer server = SignalingServer.builder().port(8080).build().start();
 *      MqttBridge bridge = MqttBridge.start(server, URI.create("tcp://broker:1883"))) {
 *   ...
 * }
 * }</pre>
 *
 * <p>A PUBLISH on a topic that Paho 1.2.5 cannot read (a control character, an emoji, anything from
 * U+FDD0 up) is ignored like one with a bad room or peer id, rather than ending Paho's receiving thread.
 *
 * <p>Threading: all state lives on one named daemon thread; Paho and the hub only post tasks to it.
 */
public final class MqttBridge implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MqttBridge.class);
  /** On a cluster node, how often MQTT peers held by no bridge here are tried again. */
  static final Duration WAITING_RETRY = Duration.ofSeconds(5);

  private final ExternalPeers seam;
  private final MqttAsyncClient client;
  private final MqttConnectOptions options;
  private final String id = Ids.newId();
  private final ScheduledExecutorService exec;
  private final AutoCloseable watch;
  /** Messages from MQTT peers that were not relayed: logged at most every 10 s, so none can flood the log. */
  private final RefusalLog dropped =
      new RefusalLog(log, Level.INFO, "bad messages from MQTT peers (dropped)", TimeUnit.SECONDS.toNanos(10), System::nanoTime);
  // only touched on exec
  private final Map<String, ExternalPeers.Peer> mqttPeers = new HashMap<>(); // "room/peer" -> member
  private final Set<String> serverPeers = new LinkedHashSet<>(); // "room/peer" of the server's own peers
  /** On a cluster node: "room/peer" of MQTT peers online but not joined here (another node holds them, or a refusal). */
  private final Set<String> waiting = new LinkedHashSet<>();
  private boolean closed;

  private MqttBridge(SignalingServer server, String pahoUri, MqttConnectOptions options) throws MqttException {
    this.seam = ExternalPeers.of(server);
    this.options = options;
    this.exec = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "simplecall-mqtt-bridge");
      t.setDaemon(true);
      return t;
    });
    this.client = PahoTopics.client(pahoUri, "simplecall-bridge-" + id.substring(0, 8), new MemoryPersistence());
    client.setCallback(new Callback());
    this.watch = seam.watchLocalPresence(new ExternalPeers.LocalPresence() {
      @Override
      public void peerJoined(String room, String peer) {
        post(() -> serverPeerJoined(room, peer));
      }

      @Override
      public void peerLeft(String room, String peer) {
        post(() -> serverPeerLeft(room, peer));
      }
    });
    if (seam.clustered()) {
      long every = WAITING_RETRY.toMillis();
      exec.scheduleWithFixedDelay(() -> post(this::joinWaiting), every, every, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Connects to {@code broker} ({@code tcp://}, {@code ssl://}, {@code mqtt://} or {@code mqtts://}, user
   * info as credentials). Waits for the first connection, as {@link #start(SignalingServer, URI,
   * MqttConnectOptions)}.
   *
   * @param server the signaling server whose rooms are shared; started or not
   * @param broker the broker's URI; without a port, 1883 ({@code tcp}, {@code mqtt}) or 8883 ({@code ssl},
   *     {@code mqtts})
   * @return the connected bridge; close it to stop bridging
   * @throws NullPointerException when an argument is {@code null}
   * @throws IllegalArgumentException for another scheme or a URI without a host
   * @throws IOException when the broker cannot be reached, refuses the login, or does not answer within
   *     10 s
   */
  public static MqttBridge start(SignalingServer server, URI broker) throws IOException {
    return start(server, broker, new MqttConnectOptions());
  }

  /**
   * Connects to an {@link EmbeddedBroker} in this JVM, logging in with its internal bridge credentials
   * when it authenticates clients.
   *
   * @param server the signaling server whose rooms are shared
   * @param broker a running broker in this JVM, reached over loopback for a wildcard host
   * @return the connected bridge; close it before the broker
   * @throws NullPointerException when an argument is {@code null}
   * @throws IllegalStateException when {@code server} requires join tokens but {@code broker} is open:
   *     anyone could then join the server's rooms through the broker as anyone
   * @throws IOException when the broker cannot be reached or refuses the login within 10 s
   */
  public static MqttBridge start(SignalingServer server, EmbeddedBroker broker) throws IOException {
    Objects.requireNonNull(server, "server == null");
    Objects.requireNonNull(broker, "broker == null");
    if (ExternalPeers.of(server).tokensRequired() && !broker.authenticates()) {
      throw new IllegalStateException("the server requires join tokens but the embedded MQTT broker admits anyone;"
          + " start the broker with the server's auth secret");
    }
    MqttConnectOptions o = new MqttConnectOptions();
    if (broker.authenticates()) {
      o.setUserName(EmbeddedBroker.BRIDGE_USER);
      o.setPassword(broker.bridgePassword());
    }
    return start(server, broker.localUri(), o);
  }

  /**
   * Like {@link #start(SignalingServer, URI)} with the app's Paho options (TLS socket factory,
   * credentials). Waits for the first connection and fails if the broker cannot be reached or refuses.
   * After that the bridge reconnects by itself (at most 10 s apart); while the broker is away its MQTT
   * peers are out of the rooms.
   *
   * @param server the signaling server whose rooms are shared; started or not
   * @param broker the broker's URI; without a port, 1883 ({@code tcp}, {@code mqtt}) or 8883 ({@code ssl},
   *     {@code mqtts}); its user info, when present, wins over the template's credentials
   * @param template what is taken from it: keep-alive, max in-flight (at least 1000 is used), socket
   *     factory, user name and password; the bridge sets clean session and automatic reconnect itself
   * @return the connected bridge; close it to stop bridging
   * @throws NullPointerException when an argument is {@code null}
   * @throws IllegalArgumentException for another scheme or a URI without a host
   * @throws IOException when the broker cannot be reached, refuses the login, or does not answer within
   *     10 s
   */
  public static MqttBridge start(SignalingServer server, URI broker, MqttConnectOptions template) throws IOException {
    Objects.requireNonNull(server, "server == null");
    Objects.requireNonNull(broker, "broker == null");
    Objects.requireNonNull(template, "template == null");
    String scheme = String.valueOf(broker.getScheme()).toLowerCase(java.util.Locale.ROOT);
    boolean tls = scheme.equals("ssl") || scheme.equals("mqtts");
    if (!tls && !scheme.equals("tcp") && !scheme.equals("mqtt")) {
      throw new IllegalArgumentException("MQTT bridge URI must be tcp://, ssl://, mqtt:// or mqtts://: " + Uris.redact(broker));
    }
    if (broker.getHost() == null) throw new IllegalArgumentException("MQTT bridge URI without a host: " + Uris.redact(broker));
    int port = broker.getPort() != -1 ? broker.getPort() : tls ? 8883 : 1883;
    MqttConnectOptions o = connectOptions(broker, tls, template);
    String host = broker.getHost();
    MqttBridge bridge = null;
    try {
      bridge = new MqttBridge(server, (tls ? "ssl://" : "tcp://") + host + ":" + port, o);
      bridge.client.connect(o).waitForCompletion(TimeUnit.SECONDS.toMillis(10));
    } catch (MqttException e) {
      if (bridge != null) bridge.close(); // its thread, its watch of the server and its Paho client
      throw new IOException("MQTT bridge cannot connect to " + host + ":" + port + ": " + e.getMessage(), e);
    }
    log.info("MQTT bridge {} connected to {}:{}", bridge.id, host, port);
    return bridge;
  }

  /**
   * The bridge's Paho options: the template's keep-alive, socket factory and credentials (the URI's
   * user info wins), at least 1000 in flight, a clean session, Paho's automatic reconnect. Without a
   * socket factory of the app's, a plain connection gets TCP_NODELAY ({@link NoDelaySocketFactory}).
   */
  static MqttConnectOptions connectOptions(URI broker, boolean tls, MqttConnectOptions template) {
    MqttConnectOptions o = new MqttConnectOptions();
    o.setKeepAliveInterval(template.getKeepAliveInterval());
    o.setMaxInflight(Math.max(1000, template.getMaxInflight()));
    if (template.getSocketFactory() != null) {
      o.setSocketFactory(template.getSocketFactory());
    } else if (!tls) {
      o.setSocketFactory(NoDelaySocketFactory.INSTANCE);
    }
    o.setUserName(template.getUserName());
    if (template.getPassword() != null) o.setPassword(template.getPassword());
    String info = broker.getUserInfo();
    if (info != null && !info.isEmpty()) {
      int colon = info.indexOf(':');
      o.setUserName(colon < 0 ? info : info.substring(0, colon));
      if (colon >= 0) o.setPassword(info.substring(colon + 1).toCharArray());
    }
    o.setCleanSession(true);
    o.setAutomaticReconnect(true);
    o.setMaxReconnectDelay(10_000);
    return o;
  }

  // ---------------------------------------------------------------- broker side

  private void connected(boolean reconnect) {
    if (closed) return;
    try {
      client.subscribe(new String[] {MqttNames.EVERY_PRESENCE, MqttNames.EVERY_MESSAGE}, new int[] {1, 1});
    } catch (MqttException e) {
      log.warn("MQTT bridge: subscribe failed: {}", e.toString());
    }
    if (reconnect) {
      for (String key : serverPeers) publishPresence(key, true); // the broker may have lost them
    }
  }

  private void lost(Throwable cause) {
    if (closed) return;
    log.warn("MQTT bridge lost the broker ({}); MQTT peers leave the rooms until it is back", String.valueOf(cause));
    for (ExternalPeers.Peer p : mqttPeers.values()) p.leave();
    mqttPeers.clear();
    waiting.clear(); // the broker sends every retained presence again on the new subscription
  }

  private void arrived(String topic, byte[] payload) {
    if (closed) return;
    MqttNames.Topic t = MqttNames.parseTopic(topic);
    if (t == null) { // the subscriptions fix the shape, so it is the ids that are bad
      log.debug("MQTT bridge: ignored a message on a topic with a bad room or peer id");
    } else if (t.kind() == MqttNames.Topic.Kind.PRESENCE) {
      mqttPresence(t.room(), t.from(), payload);
    } else {
      mqttMessage(t.room(), t.to(), t.from(), payload);
    }
  }

  private void mqttPresence(String room, String peer, byte[] payload) {
    String key = room + "/" + peer;
    MqttPresence presence = MqttPresence.parse(payload);
    if (presence == null) return; // not a presence payload
    if (id.equals(presence.bridge())) return; // our own mirror of a server peer
    // in a cluster, another node's bridge mirrors that node's peers, which are in the cluster's rooms already
    if (presence.bridge() != null && seam.clustered()) return;
    if (serverPeers.contains(key)) return; // a server peer of the same id is in the room
    // anything but online counts as gone here, even a payload without a state (which a transport ignores)
    boolean online = Boolean.TRUE.equals(presence.online());
    ExternalPeers.Peer member = mqttPeers.get(key);
    if (!online) waiting.remove(key);
    if (online && (member == null || !member.active())) {
      joinMqttPeer(room, peer);
    } else if (!online && member != null) {
      mqttPeers.remove(key);
      member.leave();
    }
  }

  private void joinMqttPeer(String room, String peer) {
    String key = room + "/" + peer;
    ExternalPeers.Peer joined = seam.join(room, peer, envelope -> post(() -> toMqtt(room, peer, envelope)));
    if (joined != null) {
      mqttPeers.put(key, joined);
      waiting.remove(key);
    } else {
      mqttPeers.remove(key);
      if (seam.clustered()) waiting.add(key);
    }
  }

  /**
   * On a cluster node, every {@link #WAITING_RETRY}: joins again the MQTT peers that are online but
   * joined nowhere here, so that one held by a node that stopped comes back into its rooms.
   */
  private void joinWaiting() {
    if (closed || !client.isConnected()) return;
    for (String key : List.copyOf(waiting)) {
      int slash = key.indexOf('/');
      joinMqttPeer(key.substring(0, slash), key.substring(slash + 1));
    }
  }

  private void mqttMessage(String room, String to, String from, byte[] payload) {
    if (!forServerPeer(room, to)) return; // for an MQTT peer: the broker delivers it
    ExternalPeers.Peer sender = mqttPeers.get(room + "/" + from);
    if (sender == null || !sender.active()) {
      log.debug("MQTT bridge: dropped a message from {} in {}: no presence seen for it here", from, room);
      return;
    }
    String text;
    try {
      text = EnvelopeCodec.utf8(payload); // strictly: never relayed with U+FFFD in place of bad bytes
    } catch (EnvelopeException ex) {
      dropped.record(from + " in " + room + ": not UTF-8");
      return;
    }
    Envelope e;
    try {
      e = EnvelopeCodec.decode(text);
    } catch (EnvelopeException ex) {
      dropped.record(from + " in " + room + ": " + ex.getMessage());
      return;
    }
    // The topic is what the broker's ACL let through and what MQTT peers go by: they take only these
    // four types from a message topic, and a message is for the peer its topic names.
    if (!(e instanceof Envelope.Routed routed)) {
      dropped.record(from + " in " + room + ": a \"" + e.type() + "\"; peers send only offer, answer, candidate and bye");
    } else if (!routed.to().equals(to)) {
      dropped.record(from + " in " + room + ": for " + routed.to() + ", its topic for " + to);
    } else {
      sender.send(routed);
    }
  }

  /**
   * Whether a message to {@code to} is for a peer of the signaling server. Alone, the server's peers are
   * this bridge's own. On a cluster node they may be on any node, so it is any peer that is not an MQTT
   * peer with presence; only the bridge that holds the sender takes the message in, and the hub passes
   * it on to the node that holds {@code to}.
   */
  private boolean forServerPeer(String room, String to) {
    String key = room + "/" + to;
    if (!seam.clustered()) return serverPeers.contains(key);
    return !mqttPeers.containsKey(key) && !waiting.contains(key);
  }

  // ---------------------------------------------------------------- server side

  // a change the hub posted before close() stopped the watch may run after shutDown: it is dropped

  private void serverPeerJoined(String room, String peer) {
    if (closed) return;
    serverPeers.add(room + "/" + peer);
    publishPresence(room + "/" + peer, true);
  }

  private void serverPeerLeft(String room, String peer) {
    if (closed) return;
    if (serverPeers.remove(room + "/" + peer)) publishPresence(room + "/" + peer, false);
  }

  /** What the hub delivers to an MQTT peer: routed messages are published; the rest it knows from presence. */
  private void toMqtt(String room, String peer, Envelope envelope) {
    if (closed) return;
    if (envelope instanceof Envelope.Routed r && r.from() != null) {
      publish(MqttNames.messageTopic(room, peer, r.from()), EnvelopeCodec.encode(envelope).getBytes(StandardCharsets.UTF_8), false);
    } else if (envelope instanceof Envelope.Error e) {
      log.info("MQTT bridge: server refused MQTT peer {} in {}: {} {}", peer, room, e.code(), e.message());
    }
  }

  private void publishPresence(String key, boolean online) {
    byte[] payload = online ? MqttPresence.bridgedPayload(id) : MqttPresence.gonePayload();
    int slash = key.indexOf('/');
    publish(MqttNames.presenceTopic(key.substring(0, slash), key.substring(slash + 1)), payload, true);
  }

  private void publish(String topic, byte[] payload, boolean retained) {
    try {
      client.publish(topic, payload, 1, retained);
    } catch (MqttException e) {
      log.warn("MQTT bridge: could not publish to {}: {}", topic, e.toString());
    }
  }

  // ---------------------------------------------------------------- lifecycle

  /** Clears the presence it published, takes the MQTT peers out of the rooms, disconnects. Idempotent. */
  @Override
  public void close() {
    try {
      exec.submit(this::shutDown).get(5, TimeUnit.SECONDS);
    } catch (RejectedExecutionException e) {
      return; // already closed
    } catch (Exception e) {
      log.warn("MQTT bridge: close did not finish cleanly: {}", e.toString());
    }
    exec.shutdown();
  }

  private void shutDown() {
    if (closed) return;
    try {
      watch.close();
    } catch (Exception ignored) {
      // removing a listener does not fail
    }
    if (client.isConnected()) for (String key : serverPeers) publishPresence(key, false);
    closed = true;
    for (ExternalPeers.Peer p : mqttPeers.values()) p.leave();
    mqttPeers.clear();
    try {
      client.disconnect(2000).waitForCompletion(3000);
    } catch (MqttException e) {
      log.debug("MQTT bridge: disconnect: {}", e.toString());
    }
    try {
      client.close(true);
    } catch (MqttException e) {
      log.debug("MQTT bridge: close: {}", e.toString());
    }
  }

  private void post(Runnable task) {
    try {
      exec.execute(() -> {
        try {
          task.run();
        } catch (RuntimeException e) {
          log.error("MQTT bridge task failed", e);
        }
      });
    } catch (RejectedExecutionException e) {
      // closed
    }
  }

  private final class Callback implements MqttCallbackExtended {
    @Override
    public void connectComplete(boolean reconnect, String serverURI) {
      post(() -> connected(reconnect));
    }

    @Override
    public void connectionLost(Throwable cause) {
      post(() -> lost(cause));
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      byte[] payload = message.getPayload();
      post(() -> arrived(topic, payload));
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {}
  }
}
