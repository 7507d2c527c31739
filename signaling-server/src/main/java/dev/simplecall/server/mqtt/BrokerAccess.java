package dev.simplecall.server.mqtt;

import dev.simplecall.protocol.MqttNames;
import dev.simplecall.protocol.Names;
import dev.simplecall.server.TokenVerifier;
import dev.simplecall.spi.TransportOptions;
import io.moquette.broker.Server;
import io.moquette.broker.security.IAuthenticator;
import io.moquette.broker.security.IAuthorizatorPolicy;
import io.moquette.broker.subscriptions.Topic;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may connect to the embedded broker of a server with an auth secret, and which topics each may
 * use: the rules of config/mosquitto/simplecall.acl, with the room taken from the join token.
 *
 * <ul>
 *   <li>CONNECT: user name = peer id, password = a join token for that peer (signature, expiry), client
 *       id = {@link MqttTransportFactory#clientId} of the token's (room, peer), and a Will, if any, on a
 *       topic the peer may write. The bridge logs in as {@link EmbeddedBroker#BRIDGE_USER}, a name no
 *       peer id can take, with a random per-process password.</li>
 *   <li>peer ME of room R: write {@code simplecall/v1/R/to/+/from/ME} and {@code simplecall/v1/R/presence/ME};
 *       read {@code simplecall/v1/R/to/ME/from/+} and {@code simplecall/v1/R/presence/+}.</li>
 *   <li>the bridge: read and write {@code simplecall/v1/#}.</li>
 * </ul>
 *
 * A subscription filter is granted only when every topic it can match is allowed: {@code +} only where
 * the rule has {@code +}, {@code #} never (for the bridge only below {@code simplecall/v1/}).
 *
 * <p>Thread-safe: Moquette calls in from its Netty and session threads. Never throws: a failure refuses.
 */
final class BrokerAccess implements IAuthenticator, IAuthorizatorPolicy {
  private static final Logger log = LoggerFactory.getLogger(BrokerAccess.class);
  private static final String[] INBOX = {"simplecall", "v1", null, "to", null, "from", "+"};
  private static final String[] OUTBOX = {"simplecall", "v1", null, "to", "+", "from", null};
  private static final String[] PRESENCE_ANY = {"simplecall", "v1", null, "presence", "+"};
  private static final String[] PRESENCE_OWN = {"simplecall", "v1", null, "presence", null};

  private final TokenVerifier verifier;
  private final byte[] bridgePassword;
  /**
   * Client id -> the identity its token proved; an id is derived from its identity, so an entry is only
   * ever replaced by an equal one. One small entry per (room, peer) that ever logged in, as Moquette
   * itself keeps one session per client id for the life of the process.
   */
  private final Map<String, TokenVerifier.Identity> identities = new ConcurrentHashMap<>();

  /** Disconnects clients whose token expired; one daemon thread per broker, ended by {@link #close()}. */
  private final ScheduledExecutorService expiry = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "simplecall-broker-token-expiry");
    t.setDaemon(true);
    return t;
  });
  private volatile Server server; // set once the broker runs

  BrokerAccess(String authSecret, String previousSecret, Instant previousUntil, byte[] bridgePassword) {
    this.verifier = new TokenVerifier(authSecret, previousSecret, previousUntil, java.time.Clock.systemUTC());
    this.bridgePassword = bridgePassword.clone();
  }

  /** The running broker, so that a client whose token expired can be disconnected. */
  void attach(Server server) {
    this.server = server;
  }

  void close() {
    expiry.shutdownNow();
  }

  /**
   * At the token's expiry (plus the verifier's leeway) the client is disconnected, as the signaling
   * server closes a WebSocket member: its Last Will then tells the room it is gone, and a reconnect with
   * the same token is refused. A later CONNECT with a fresh token replaced the identity meanwhile: then
   * nothing happens here, and that CONNECT's own check is pending.
   */
  private void disconnectAtExpiry(String clientId, Instant expiresAt) {
    if (expiresAt == null) return;
    long delay = expiresAt.plusSeconds(TokenVerifier.LEEWAY_SECONDS).toEpochMilli() - System.currentTimeMillis();
    try {
      expiry.schedule(() -> {
        TokenVerifier.Identity now = identities.get(clientId);
        Server s = server;
        if (now == null || s == null || now.expiresAt() == null
            || now.expiresAt().plusSeconds(TokenVerifier.LEEWAY_SECONDS).isAfter(Instant.now())) {
          return;
        }
        identities.remove(clientId, now);
        boolean was = s.disconnectClient(clientId);
        log.info("embedded MQTT broker: token of {} in {} expired{}", now.peer(), now.room(), was ? ", disconnected" : "");
      }, Math.max(0, delay), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // broker closed
    }
  }

  // ---------------------------------------------------------------- CONNECT

  @Override
  public boolean checkValid(String clientId, String username, byte[] password) {
    try {
      String problem = refusal(clientId, username, password, PacketGuard.current());
      if (problem == null) return true;
      log.info("embedded MQTT broker refused client {} (user {}): {}", clientId, username, problem);
      return false;
    } catch (RuntimeException e) {
      log.warn("embedded MQTT broker refused client {} (user {}): check failed", clientId, username, e);
      return false;
    }
  }

  /** Why this CONNECT is refused, or {@code null} to accept it. */
  private String refusal(String clientId, String username, byte[] password, MqttConnectMessage connect) {
    if (connect == null) return "the CONNECT was not seen by the connection guard";
    if (username == null || password == null) return "user name and password (the join token) are required";
    if (username.equals(EmbeddedBroker.BRIDGE_USER)) {
      if (!MessageDigest.isEqual(password, bridgePassword)) return "wrong bridge password";
      return willRefusal(connect, null);
    }
    TokenVerifier.Result r = verifier.verify(new String(password, StandardCharsets.UTF_8));
    if (r.problem() != null) return r.problem();
    TokenVerifier.Identity id = r.identity();
    if (!Names.isValid(id.peer()) || !Names.isValid(id.room())) {
      return "token names a peer or room outside [A-Za-z0-9._-]{1,64}";
    }
    if (!id.peer().equals(username)) return "token is for peer \"" + id.peer() + "\", not \"" + username + "\"";
    String expected = MqttNames.clientId(id.room(), id.peer());
    if (!expected.equals(clientId)) {
      return "client id must be " + expected + ", the one of the token's room and peer";
    }
    String will = willRefusal(connect, id);
    if (will != null) return will;
    identities.put(clientId, id);
    disconnectAtExpiry(clientId, id.expiresAt());
    return null;
  }

  /** The Will is published by the broker without a write check, so it is checked here. */
  private static String willRefusal(MqttConnectMessage connect, TokenVerifier.Identity id) {
    if (!connect.variableHeader().isWillFlag()) return null;
    String topic = connect.payload().willTopic();
    boolean ok = id == null ? bridgeMay(topic, false) : peerMayWrite(topic, id);
    return ok ? null : "a Will on " + topic + " is not this client's to write";
  }

  // ---------------------------------------------------------------- topics

  @Override
  public boolean canWrite(Topic topic, String user, String client) {
    try {
      String t = topic.toString();
      if (EmbeddedBroker.BRIDGE_USER.equals(user)) return bridgeMay(t, false);
      TokenVerifier.Identity id = identity(user, client);
      return id != null && peerMayWrite(t, id);
    } catch (RuntimeException e) {
      log.warn("embedded MQTT broker: write check failed for {}", client, e);
      return false;
    }
  }

  @Override
  public boolean canRead(Topic topic, String user, String client) {
    try {
      String filter = topic.toString();
      if (EmbeddedBroker.BRIDGE_USER.equals(user)) return bridgeMay(filter, true);
      TokenVerifier.Identity id = identity(user, client);
      if (id == null) return false;
      String[] f = filter.split("/", -1);
      return covers(bind(INBOX, id.room(), id.peer()), f) || covers(bind(PRESENCE_ANY, id.room(), null), f);
    } catch (RuntimeException e) {
      log.warn("embedded MQTT broker: read check failed for {}", client, e);
      return false;
    }
  }

  private TokenVerifier.Identity identity(String user, String client) {
    TokenVerifier.Identity id = client == null ? null : identities.get(client);
    return id != null && id.peer().equals(user) ? id : null;
  }

  private static boolean peerMayWrite(String topic, TokenVerifier.Identity id) {
    if (topic.contains("+") || topic.contains("#")) return false;
    String[] t = topic.split("/", -1);
    return covers(bind(OUTBOX, id.room(), id.peer()), t) || covers(bind(PRESENCE_OWN, id.room(), id.peer()), t);
  }

  /** Anything strictly below {@code simplecall/v1/}; a filter may end in {@code #}, a topic has no wildcard. */
  private static boolean bridgeMay(String topicOrFilter, boolean filter) {
    String[] t = topicOrFilter.split("/", -1);
    if (t.length < 3 || !t[0].equals("simplecall") || !t[1].equals("v1")) return false;
    for (int i = 2; i < t.length; i++) {
      String level = t[i];
      if (filter && (level.equals("+") || level.equals("#") && i == t.length - 1)) continue;
      if (level.contains("+") || level.contains("#")) return false;
    }
    return true;
  }

  /** The rule with its {@code null} slots filled: room first, then peer. */
  private static String[] bind(String[] rule, String room, String peer) {
    String[] out = rule.clone();
    out[2] = room;
    for (int i = 3; i < out.length; i++) if (out[i] == null) out[i] = peer;
    return out;
  }

  /**
   * Whether every topic {@code filter} can match is matched by {@code rule}, whose {@code +} stands for
   * any one level. {@code #} in the filter matches any depth, which no rule of fixed length covers.
   */
  static boolean covers(String[] rule, String[] filter) {
    if (filter.length != rule.length) return false;
    for (int i = 0; i < rule.length; i++) {
      String f = filter[i];
      if (f.contains("#")) return false;
      if (rule[i].equals("+")) continue; // any level, a literal one or "+"
      if (f.contains("+") || !f.equals(rule[i])) return false;
    }
    return true;
  }
}
