package dev.simplecall.transport.mqtt;

import dev.simplecall.spi.Envelope;
import dev.simplecall.spi.EnvelopeCodec;
import dev.simplecall.spi.EnvelopeException;
import dev.simplecall.spi.ErrorCode;
import dev.simplecall.spi.Ids;
import dev.simplecall.spi.RecentIds;
import dev.simplecall.spi.SignalingTransport;
import dev.simplecall.spi.TransportException;
import dev.simplecall.spi.TransportOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.ScheduledExecutorPingSender;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Broker-only signaling over MQTT. There is no server, so this transport plays the server's part
 * for its own peer: it makes the {@code welcome} (from retained presence), {@code peer-joined} and
 * {@code peer-left} (from presence changes), sets {@code from} and {@code room} of received messages
 * from the topic, and answers unroutable sends with an {@code error} envelope.
 *
 * <p>Threading: every field below "confined" is only touched on {@link #exec}, a single named daemon
 * thread that also runs all listener callbacks (so they never overlap). Paho's callbacks only post
 * tasks to it. The {@link ConnectionGate} separates stale Paho callbacks from the current connection.
 */
final class MqttTransport implements SignalingTransport {
  private static final Logger log = LoggerFactory.getLogger(MqttTransport.class);
  /** Longest wait for our own presence echo, which marks the end of the retained presence. */
  static final Duration SETTLE_FALLBACK = Duration.ofSeconds(1);
  private static final Duration CLOSE_LIMIT = Duration.ofSeconds(3);

  private final String room;
  private final String self;
  private final TransportOptions options;
  private final Listener listener;
  private final MqttConnectOptions connectOptions; // cleanSession=false, with the Last Will
  private final MqttConnectOptions discardOptions; // cleanSession=true, no will: drops a stale session
  private final String description;
  private final ScheduledExecutorService exec;
  private final MqttAsyncClient client;
  private final RecentIds recent = new RecentIds(2048);
  private final Random random = new Random();
  private final AtomicBoolean closed = new AtomicBoolean();

  private enum State { DISCARDING, CONNECTING, SETTLING, OPEN, RECONNECTING, CLOSING, DONE }

  // confined to exec
  private State state = State.DISCARDING;
  /** Bumped per connection attempt (written on exec only); callbacks tagged with an older one are ignored. */
  private volatile int generation;
  private int attempt;
  private long downSinceNanos = System.nanoTime();
  private boolean everOpened;
  private boolean left; // a "leave" cleared our presence; a later "join" re-announces it
  private final ArrayDeque<Outgoing> queue = new ArrayDeque<>();
  private Set<String> peers = new LinkedHashSet<>();
  private Set<String> settlingPeers = new LinkedHashSet<>();
  private final List<String> heldDuringSettle = new ArrayList<>();
  private boolean echoArmed;
  private ScheduledFuture<?> timer;

  private record Outgoing(String topic, byte[] payload, boolean retained) {}

  MqttTransport(MqttEndpoint endpoint, MqttConnectOptions base, TransportOptions options, Listener listener)
      throws MqttException {
    this.room = options.room();
    this.self = options.peerId();
    this.options = options;
    this.listener = listener;
    this.connectOptions = ConnectOptions.forSession(endpoint, base, options);
    this.discardOptions = ConnectOptions.forDiscard(connectOptions);
    this.description = "mqtt " + endpoint + " room " + room + " peer " + self;
    this.exec = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "simplecall-mqtt-" + self);
      t.setDaemon(true);
      return t;
    });
    this.client = new MqttAsyncClient(endpoint.serverUri(), ConnectOptions.clientId(room, self),
        new MemoryPersistence(), new ScheduledExecutorPingSender(exec), null);
    client.setCallback(new PahoCallback());
    run(this::discardStaleSession);
  }

  // ---------------------------------------------------------------- public SPI

  @Override
  public boolean send(String text) {
    if (text == null || closed.get()) return false;
    return run(() -> accept(text));
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) return;
    run(this::closeGracefully);
  }

  @Override
  public String toString() {
    return description;
  }

  // ---------------------------------------------------------------- connecting

  /**
   * A new transport is a new join: a session the broker still keeps for this client id from an
   * earlier life would replay that life's offers and byes. Connecting once with cleanSession=true
   * discards it; then the persistent session of this life starts.
   */
  private void discardStaleSession() {
    int gen = ++generation;
    try {
      client.connect(discardOptions, null, new Action(gen, this::afterDiscardConnect, this::connectFailed));
    } catch (MqttException e) {
      connectFailed(gen, e);
    }
  }

  private void afterDiscardConnect(int gen, IMqttToken token) {
    try {
      client.disconnect(0, null, new Action(gen, (g, t) -> connect(), (g, e) -> connect()));
    } catch (MqttException e) {
      connect();
    }
  }

  private void connect() {
    if (state == State.CLOSING || state == State.DONE) return;
    if (state == State.DISCARDING) state = State.CONNECTING;
    int gen = ++generation;
    // what arrives on this connection before the welcome is collected here (queued messages of the
    // persistent session can come right after CONNACK, even before the connect callback)
    settlingPeers = new LinkedHashSet<>();
    heldDuringSettle.clear();
    echoArmed = false;
    try {
      client.connect(connectOptions, null, new Action(gen, this::connected, this::connectFailed));
    } catch (MqttException e) {
      connectFailed(gen, e);
    }
  }

  private void connectFailed(int gen, Throwable error) {
    if (gen != generation || state == State.CLOSING || state == State.DONE) return;
    int reason = error instanceof MqttException me ? me.getReasonCode() : -1;
    if (reason == MqttException.REASON_CODE_FAILED_AUTHENTICATION
        || reason == MqttException.REASON_CODE_NOT_AUTHORIZED) {
      fail(TransportException.Kind.UNAUTHORIZED, "broker refused the credentials (" + description + ")", error);
      return;
    }
    if (hasCause(error, SSLException.class)) {
      fail(TransportException.Kind.UNREACHABLE, "TLS handshake failed (" + description + ")", error);
      return;
    }
    log.debug("{}: connect failed: {}", description, error.toString());
    scheduleReconnect(error);
  }

  private void scheduleReconnect(Throwable cause) {
    if (System.nanoTime() - downSinceNanos > options.giveUpAfter().toNanos()) {
      fail(TransportException.Kind.UNREACHABLE,
          "no connection for " + options.giveUpAfter() + " (" + description + ")", cause);
      return;
    }
    if (state != State.DISCARDING) state = everOpened ? State.RECONNECTING : State.CONNECTING;
    Duration delay = options.backoff(attempt++, random);
    State next = state;
    timer = exec.schedule(() -> {
      if (state != next) return;
      if (next == State.DISCARDING) discardStaleSession(); else connect();
    }, delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void connected(int gen, IMqttToken token) {
    if (gen != generation) return;
    if (state == State.CLOSING || state == State.DONE) return;
    state = State.SETTLING;
    String[] filters = {Topics.inbox(room, self), Topics.presenceOfRoom(room)};
    try {
      client.subscribe(filters, new int[] {1, 1}, null, new Action(gen, this::subscribed, this::linkError));
    } catch (MqttException e) {
      linkError(gen, e);
    }
  }

  private void subscribed(int gen, IMqttToken token) {
    if (gen != generation || state != State.SETTLING) return;
    int[] granted = token.getGrantedQos();
    for (int i = 0; granted != null && i < granted.length; i++) {
      if (granted[i] == 0x80) {
        fail(TransportException.Kind.UNAUTHORIZED, "broker refused the subscription to "
            + (i == 0 ? Topics.inbox(room, self) : Topics.presenceOfRoom(room))
            + " (with the simplecall ACL the MQTT user name must equal the peer id) (" + description + ")", null);
        return;
      }
    }
    // The broker sends the retained presence right after SUBACK, before it handles our next
    // PUBLISH; our own presence coming back therefore marks the end of the retained set.
    if (!left) {
      publish(new Outgoing(Topics.presence(room, self), Presence.ONLINE, true));
      echoArmed = true;
    }
    flush();
    timer = exec.schedule(() -> {
      if (gen != generation || state != State.SETTLING) return;
      if (echoArmed) {
        log.warn("{}: our presence did not come back within {}; going on without it. A broker ACL may deny"
            + " publishing to {} (with the simplecall ACL the MQTT user name must equal the peer id)",
            description, SETTLE_FALLBACK, Topics.presence(room, self));
      }
      finishSettle();
    }, left ? 50 : SETTLE_FALLBACK.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void finishSettle() {
    cancelTimer();
    state = State.OPEN;
    attempt = 0;
    everOpened = true;
    peers = settlingPeers;
    listener.onOpen(this);
    deliver(EnvelopeCodec.encode(new Envelope.Welcome(Ids.newId(), room, self, List.copyOf(peers), List.of())));
    for (String held : heldDuringSettle) deliver(held);
    heldDuringSettle.clear();
    flush();
  }

  /** The link broke (Paho's connectionLost, or an action failed on a live link). */
  private void linkError(int gen, Throwable cause) {
    if (gen != generation || (state != State.SETTLING && state != State.OPEN)) return;
    cancelTimer();
    boolean wasOpen = state == State.OPEN;
    generation++;
    downSinceNanos = wasOpen ? System.nanoTime() : downSinceNanos;
    try {
      if (client.isConnected()) client.disconnectForcibly(0, 1000, false);
    } catch (MqttException ignored) {
      // already down
    }
    if (everOpened) state = State.RECONNECTING;
    if (wasOpen) {
      log.info("{}: link lost ({}), reconnecting", description, cause == null ? "?" : cause.toString());
      listener.onReconnecting(this, cause);
    }
    scheduleReconnect(cause);
  }

  // ---------------------------------------------------------------- incoming

  private void arrived(int gen, String topic, byte[] payload, boolean retained) {
    if (gen != generation || state == State.DISCARDING || state == State.CLOSING || state == State.DONE) return;
    Topics.Parsed t = Topics.parse(topic);
    if (t == null || !t.room().equals(room)) return;
    if (t.kind() == Topics.Parsed.Kind.PRESENCE) {
      presence(t.from(), Presence.parse(payload), retained);
    } else if (t.to().equals(self)) {
      message(t.from(), new String(payload, StandardCharsets.UTF_8));
    }
  }

  private void presence(String peer, Boolean online, boolean retained) {
    if (online == null) return;
    if (peer.equals(self)) {
      // a live (not retained) copy of our own announcement: every retained one came before it
      if (online && !retained && echoArmed && state == State.SETTLING) finishSettle();
      return;
    }
    if (state != State.OPEN) {
      if (online) settlingPeers.add(peer); else settlingPeers.remove(peer);
      return;
    }
    if (online && peers.add(peer)) {
      deliver(EnvelopeCodec.encode(new Envelope.PeerJoined(Ids.newId(), room, peer)));
    } else if (!online && peers.remove(peer)) {
      deliver(EnvelopeCodec.encode(new Envelope.PeerLeft(Ids.newId(), room, peer)));
    }
  }

  private void message(String from, String text) {
    Envelope e;
    try {
      e = EnvelopeCodec.decode(text);
    } catch (EnvelopeException ex) {
      log.warn("{}: dropped a message from {}: {}", description, from, ex.getMessage());
      return;
    }
    if (!(e instanceof Envelope.Routed routed)) {
      log.warn("{}: dropped a '{}' from {}: peers may only send offer, answer, candidate, bye",
          description, e.type(), from);
      return;
    }
    if (!recent.firstSeen(from + "/" + e.id())) return; // QoS 1 redelivery
    String trusted = EnvelopeCodec.encode(routed.withSender(room, from));
    if (state != State.OPEN) heldDuringSettle.add(trusted); else deliver(trusted);
  }

  private void deliver(String text) {
    try {
      listener.onMessage(this, text);
    } catch (RuntimeException e) {
      log.warn("{}: listener threw on a message", description, e);
    }
  }

  // ---------------------------------------------------------------- outgoing

  private void accept(String text) {
    if (state == State.CLOSING || state == State.DONE) return;
    Envelope e;
    try {
      e = EnvelopeCodec.decode(text);
    } catch (EnvelopeException ex) {
      reject(ex.code(), ex.getMessage(), ex.ref());
      return;
    }
    if (e instanceof Envelope.Routed routed) {
      String to = routed.to();
      if (!TransportOptions.isValidName(to)) {
        reject(ErrorCode.NO_SUCH_PEER, "'" + e.type() + "' needs a valid 'to' peer id, got " + to, e.id());
        return;
      }
      byte[] payload = EnvelopeCodec.encode(routed.withSender(room, self)).getBytes(StandardCharsets.UTF_8);
      queue.add(new Outgoing(Topics.message(room, to, self), payload, false));
    } else if (e instanceof Envelope.Leave) {
      left = true;
      queue.add(new Outgoing(Topics.presence(room, self), Presence.GONE, true));
    } else if (e instanceof Envelope.Join) {
      if (left) {
        left = false;
        queue.add(new Outgoing(Topics.presence(room, self), Presence.ONLINE, true));
      }
    } else {
      reject(ErrorCode.UNKNOWN_TYPE, "peers do not send '" + e.type() + "' over MQTT", e.id());
      return;
    }
    flush();
  }

  private void reject(ErrorCode code, String message, String ref) {
    log.warn("{}: refused a send: {}", description, message);
    deliver(EnvelopeCodec.encode(new Envelope.Error(Ids.newId(), room, self, code, message, ref)));
  }

  /** Hands queued messages to Paho, which keeps QoS 1 ones in flight across a reconnect itself. */
  private void flush() {
    while (!queue.isEmpty() && (state == State.SETTLING || state == State.OPEN)) {
      if (!publish(queue.peek())) return;
      queue.poll();
    }
  }

  private boolean publish(Outgoing m) {
    try {
      MqttMessage msg = new MqttMessage(m.payload());
      msg.setQos(1);
      msg.setRetained(m.retained());
      client.publish(m.topic(), msg);
      return true;
    } catch (MqttException e) {
      // too many in flight: the rest goes out from deliveryComplete; not connected: after reconnect
      if (e.getReasonCode() != MqttException.REASON_CODE_MAX_INFLIGHT) {
        log.debug("{}: publish deferred: {}", description, e.toString());
      }
      return false;
    }
  }

  // ---------------------------------------------------------------- closing

  private void closeGracefully() {
    if (state == State.DONE || state == State.CLOSING) return;
    boolean live = state == State.OPEN || state == State.SETTLING;
    state = State.CLOSING;
    cancelTimer();
    int gen = ++generation;
    timer = exec.schedule(this::finishClose, CLOSE_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
    if (!live) {
      if (!queue.isEmpty()) log.info("{}: closed while disconnected; {} unsent message(s) dropped", description, queue.size());
      finishClose();
      return;
    }
    try {
      for (Outgoing m : queue) client.publish(m.topic(), m.payload(), 1, m.retained());
      if (!left) client.publish(Topics.presence(room, self), Presence.GONE, 1, true);
      // disconnect waits (quiesce) for the QoS 1 handshakes of what was just published
      client.disconnect(CLOSE_LIMIT.toMillis() / 2, null, new Action(gen,
          (g, t) -> dropSession(), (g, e) -> finishClose()));
    } catch (MqttException e) {
      log.debug("{}: close: {}", description, e.toString());
      finishClose();
    }
  }

  /** Leaves no session behind on the broker, so nothing queues up for a peer that left. */
  private void dropSession() {
    if (state == State.DONE) return;
    int gen = generation;
    try {
      client.connect(discardOptions, null, new Action(gen, (g, t) -> {
        try {
          client.disconnect(0, null, new Action(g, (g2, t2) -> finishClose(), (g2, e) -> finishClose()));
        } catch (MqttException e) {
          finishClose();
        }
      }, (g, e) -> finishClose()));
    } catch (MqttException e) {
      finishClose();
    }
  }

  private void finishClose() {
    if (state == State.DONE) return;
    shutDown();
    listener.onClosed(this);
  }

  private void fail(TransportException.Kind kind, String message, Throwable cause) {
    if (state == State.DONE) return;
    closed.set(true);
    log.warn("{}: giving up: {}", description, message);
    shutDown();
    listener.onFailure(this, new TransportException(kind, message, cause));
  }

  private void shutDown() {
    state = State.DONE;
    generation++;
    cancelTimer();
    try {
      client.disconnectForcibly(0, 500, false);
    } catch (MqttException ignored) {
      // not connected
    }
    try {
      client.close(true);
    } catch (MqttException e) {
      log.debug("{}: close: {}", description, e.toString());
    }
    exec.shutdown(); // tasks already queued still run, and see state DONE
  }

  // ---------------------------------------------------------------- plumbing

  private void cancelTimer() {
    if (timer != null) timer.cancel(false);
    timer = null;
  }

  private boolean run(Runnable task) {
    try {
      exec.execute(() -> {
        try {
          task.run();
        } catch (RuntimeException e) {
          log.error("{}: unexpected error", description, e);
        }
      });
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }

  private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause()) if (type.isInstance(c)) return true;
    return false;
  }

  private interface OnSuccess { void accept(int gen, IMqttToken token); }

  private interface OnFailure { void accept(int gen, Throwable error); }

  /** Paho action callbacks, moved onto {@link #exec} and tagged with their connection generation. */
  private final class Action implements org.eclipse.paho.client.mqttv3.IMqttActionListener {
    private final int gen;
    private final OnSuccess success;
    private final OnFailure failure;

    Action(int gen, OnSuccess success, OnFailure failure) {
      this.gen = gen;
      this.success = success;
      this.failure = failure;
    }

    @Override
    public void onSuccess(IMqttToken token) {
      run(() -> success.accept(gen, token));
    }

    @Override
    public void onFailure(IMqttToken token, Throwable error) {
      run(() -> failure.accept(gen, error));
    }
  }

  private final class PahoCallback implements MqttCallback {
    @Override
    public void connectionLost(Throwable cause) {
      int gen = generation;
      run(() -> linkError(gen, cause));
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      int gen = generation;
      byte[] payload = message.getPayload();
      boolean retained = message.isRetained();
      run(() -> arrived(gen, topic, payload, retained));
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
      run(MqttTransport.this::flush);
    }
  }
}
