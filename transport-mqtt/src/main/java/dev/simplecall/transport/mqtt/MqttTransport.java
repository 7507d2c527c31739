package dev.simplecall.transport.mqtt;

import dev.simplecall.protocol.MqttNames;
import dev.simplecall.protocol.MqttPresence;
import dev.simplecall.spi.SignalingTransport;
import dev.simplecall.spi.TransportException;
import dev.simplecall.spi.TransportOptions;
import dev.simplecall.spi.support.BrokerRoom;
import dev.simplecall.spi.support.TransportLoop;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Broker-only signaling over MQTT. There is no server, so this transport plays the server's part
 * for its own peer through a {@link BrokerRoom}: the {@code welcome} (from retained presence), {@code
 * peer-joined} and {@code peer-left} (from presence changes), {@code from} and {@code room} of received
 * messages taken from the topic, and {@code error} envelopes for unroutable sends. What is MQTT's own
 * stays here: the persistent session, the Last Will, and knowing that every retained presence has
 * arrived when our own presence comes back.
 *
 * <p>Threading: all state lives on the {@link TransportLoop} (one named daemon thread, which also
 * runs the listener); Paho's callbacks only post tasks to it, tagged with the connection {@link
 * #generation} they belong to so that callbacks of an abandoned connection are ignored.
 */
final class MqttTransport implements SignalingTransport {
  private static final Logger log = LoggerFactory.getLogger(MqttTransport.class);
  /** Longest wait for our own presence echo, which marks the end of the retained presence. */
  static final Duration SETTLE_FALLBACK = Duration.ofSeconds(1);
  private static final Duration CLOSE_LIMIT = Duration.ofSeconds(3);

  private final String room;
  private final String self;
  private final TransportOptions options;
  private final MqttConnectOptions connectOptions; // cleanSession=false, with the Last Will
  private final MqttConnectOptions discardOptions; // cleanSession=true, no will: drops a stale session
  private final String description;
  private final TransportLoop loop;
  private final MqttAsyncClient client;
  private final InFlight inFlight; // only touched on the loop
  private final BrokerRoom members; // only touched on the loop
  private final BrokerRoom.Wire wire = new BrokerRoom.Wire() {
    @Override
    public boolean publish(String to, String text) {
      if (!inFlight.publishAgain()) return false; // what was in flight when the link dropped goes first
      return inFlight.publish(MqttNames.messageTopic(room, to, self), text.getBytes(StandardCharsets.UTF_8), false);
    }

    @Override
    public boolean announce(boolean online) {
      byte[] payload = online ? MqttPresence.onlinePayload() : MqttPresence.gonePayload();
      return inFlight.publish(MqttNames.presenceTopic(room, self), payload, true);
    }
  };
  private final AtomicBoolean closeCalled = new AtomicBoolean();

  private enum State { DISCARDING, CONNECTING, SETTLING, OPEN, DOWN, CLOSING, DONE }

  /** Bumped per connection attempt (written on the loop only); Paho callbacks carry the one they belong to. */
  private volatile int generation;
  // only touched on the loop
  private State state = State.DOWN;
  private boolean discarded; // checked for a stale session of an earlier life (first connection only)
  private boolean echoArmed;
  private ScheduledFuture<?> timer; // the attempt's connect timeout, the settle fallback, or the close limit

  MqttTransport(MqttEndpoint endpoint, MqttConnectOptions base, TransportOptions options, Listener listener)
      throws MqttException {
    this.room = options.room();
    this.self = options.peerId();
    this.options = options;
    this.connectOptions = ConnectOptions.forSession(endpoint, base, options);
    this.discardOptions = ConnectOptions.forDiscard(connectOptions);
    this.description = "mqtt " + endpoint + " room " + room + " peer " + self;
    this.client = ConnectOptions.client(endpoint, room, self);
    this.inFlight = new InFlight(client, description);
    client.setCallback(new PahoCallback());
    this.loop = new TransportLoop("simplecall-mqtt-" + self, this, listener, options, this::release);
    this.members = new BrokerRoom(loop, options, description, wire);
    loop.execute(this::attempt);
  }

  // ---------------------------------------------------------------- public SPI

  @Override
  public boolean send(String text) {
    if (text == null || closeCalled.get()) return false;
    return loop.enqueue(() -> {
      if (state != State.CLOSING && state != State.DONE) members.send(text);
      else loop.dequeued(1);
    });
  }

  @Override
  public void close() {
    if (closeCalled.compareAndSet(false, true)) loop.execute(this::closeGracefully);
  }

  @Override
  public String toString() {
    return description;
  }

  // ---------------------------------------------------------------- connecting

  /** One connection attempt, with the persistent session (cleanSession=false). */
  private void attempt() {
    if (state != State.DOWN) return;
    int gen = ++generation;
    // what arrives on this connection before the welcome is collected here (queued messages of the
    // persistent session can come right after CONNACK, even before the connect callback)
    members.connecting();
    echoArmed = false;
    state = State.CONNECTING;
    timer = loop.schedule(() -> broken(gen, new MqttException(MqttException.REASON_CODE_CLIENT_TIMEOUT)),
        options.connectTimeout());
    try {
      client.connect(connectOptions, null, action(gen, this::connected, this::broken));
    } catch (MqttException e) {
      broken(gen, e);
    }
  }

  /**
   * On the first connection only: a session the broker kept for this client id from an earlier life
   * (the app crashed, or closed while offline) would replay that life's offers and byes. It is
   * dropped by connecting once with cleanSession=true; what it delivered meanwhile is ignored
   * (state DISCARDING). A clean close drops its session itself, so this is the rare path.
   */
  private void dropStaleSession(int gen) {
    log.info("{}: dropping a stale broker session of this peer", description);
    state = State.DISCARDING;
    try {
      client.disconnect(0, null, action(gen, (g, t) -> connectClean(g), (g, e) -> connectClean(g)));
    } catch (MqttException e) {
      connectClean(gen);
    }
  }

  private void connectClean(int gen) {
    if (gen != generation || state != State.DISCARDING) return;
    try {
      client.connect(discardOptions, null, action(gen, (g, t) -> {
        if (g != generation || state != State.DISCARDING) return;
        try {
          client.disconnect(0, null, action(g, (g2, t2) -> next(g2), (g2, e) -> next(g2)));
        } catch (MqttException e) {
          next(g);
        }
      }, this::broken));
    } catch (MqttException e) {
      broken(gen, e);
    }
  }

  private void next(int gen) {
    if (gen != generation || state != State.DISCARDING) return;
    cancelTimer();
    state = State.DOWN;
    attempt();
  }

  /** An attempt failed or the link broke: report it once per outage and try again after a backoff. */
  private void broken(int gen, Throwable cause) {
    if (gen != generation) return;
    boolean connecting = state == State.DISCARDING || state == State.CONNECTING;
    if (!connecting && state != State.SETTLING && state != State.OPEN) return;
    cancelTimer();
    int reason = cause instanceof MqttException me ? me.getReasonCode() : -1;
    if (connecting && (reason == MqttException.REASON_CODE_FAILED_AUTHENTICATION
        || reason == MqttException.REASON_CODE_NOT_AUTHORIZED)) {
      fail(TransportException.Kind.UNAUTHORIZED, "broker refused the credentials (" + description + ")", cause);
      return;
    }
    if (connecting && hasCause(cause, SSLException.class)) {
      fail(TransportException.Kind.UNREACHABLE, "TLS handshake failed (" + description + ")", cause);
      return;
    }
    if (state == State.OPEN) {
      log.info("{}: link lost ({}), reconnecting", description, String.valueOf(cause));
    } else {
      log.debug("{}: attempt failed: {}", description, String.valueOf(cause));
    }
    generation++;
    state = State.DOWN;
    members.down();
    inFlight.takeBack();
    try {
      client.disconnectForcibly(0, 100, false); // also ends a connect that is still waiting for CONNACK
    } catch (MqttException ignored) {
      // not connected
    }
    loop.disconnected(cause);
    loop.schedule(this::attempt, loop.nextBackoff());
  }

  private void connected(int gen, IMqttToken token) {
    if (gen != generation || state != State.CONNECTING) return;
    if (!discarded) {
      discarded = true;
      if (token.getSessionPresent()) {
        dropStaleSession(gen);
        return;
      }
    }
    state = State.SETTLING;
    String[] filters = {MqttNames.inboxFilter(room, self), MqttNames.roomPresenceFilter(room)};
    try {
      client.subscribe(filters, new int[] {1, 1}, null, action(gen, this::subscribed, this::broken));
    } catch (MqttException e) {
      broken(gen, e);
    }
  }

  private void subscribed(int gen, IMqttToken token) {
    if (gen != generation || state != State.SETTLING) return;
    cancelTimer();
    int[] granted = token.getGrantedQos();
    for (int i = 0; granted != null && i < granted.length; i++) {
      if (granted[i] == 0x80) {
        fail(TransportException.Kind.UNAUTHORIZED, "broker refused the subscription to "
            + (i == 0 ? MqttNames.inboxFilter(room, self) : MqttNames.roomPresenceFilter(room))
            + " (with the simplecall ACL the MQTT user name must equal the peer id) (" + description + ")", null);
        return;
      }
    }
    // The broker sends the retained presence right after SUBACK, before it handles our next
    // PUBLISH; our own presence coming back therefore marks the end of the retained set.
    if (!members.hasLeft()) {
      inFlight.publish(MqttNames.presenceTopic(room, self), MqttPresence.onlinePayload(), true);
      echoArmed = true;
    }
    inFlight.publishAgain();
    members.linked();
    timer = loop.schedule(() -> {
      if (gen != generation || state != State.SETTLING) return;
      if (echoArmed) {
        log.warn("{}: our presence did not come back within {}; going on without it. A broker ACL may deny"
            + " publishing to {} (with the simplecall ACL the MQTT user name must equal the peer id)",
            description, SETTLE_FALLBACK, MqttNames.presenceTopic(room, self));
      }
      finishSettle();
    }, members.hasLeft() ? Duration.ofMillis(50) : SETTLE_FALLBACK);
  }

  private void finishSettle() {
    cancelTimer();
    state = State.OPEN;
    members.settled();
  }

  // ---------------------------------------------------------------- incoming

  private void arrived(int gen, String topic, byte[] payload, boolean retained) {
    if (gen != generation || (state != State.CONNECTING && state != State.SETTLING && state != State.OPEN)) return;
    MqttNames.Topic t = MqttNames.parseTopic(topic);
    if (t == null || !t.room().equals(room)) return;
    if (t.kind() == MqttNames.Topic.Kind.PRESENCE) {
      presence(t.from(), payload, retained);
    } else if (t.to().equals(self)) {
      members.message(t.from(), new String(payload, StandardCharsets.UTF_8));
    }
  }

  private void presence(String peer, byte[] payload, boolean retained) {
    MqttPresence p = MqttPresence.parse(payload);
    Boolean online = p == null ? null : p.online();
    if (online == null) return; // neither online nor gone: ignored
    if (peer.equals(self)) {
      // a live (not retained) copy of our own announcement: every retained one came before it
      if (online && !retained && echoArmed && state == State.SETTLING) finishSettle();
      return;
    }
    members.presence(peer, online, !retained);
  }

  // ---------------------------------------------------------------- closing

  private void closeGracefully() {
    boolean live = state == State.OPEN || state == State.SETTLING;
    if (state == State.CLOSING || state == State.DONE) return;
    state = State.CLOSING;
    cancelTimer();
    int gen = ++generation;
    if (!live) {
      int unsent = members.queued();
      members.close(null);
      if (unsent > 0) log.info("{}: closed while disconnected; {} unsent message(s) dropped", description, unsent);
      loop.closed();
      return;
    }
    timer = loop.schedule(loop::closed, CLOSE_LIMIT);
    try {
      if (!members.close(wire)) { // Paho refused one: not connected after all
        loop.closed();
        return;
      }
      if (!members.hasLeft()) client.publish(MqttNames.presenceTopic(room, self), MqttPresence.gonePayload(), 1, true);
      // disconnect waits (quiesce) for the QoS 1 handshakes of what was just published
      client.disconnect(CLOSE_LIMIT.toMillis() / 2, null, action(gen,
          (g, t) -> dropSession(g), (g, e) -> loop.closed()));
    } catch (MqttException e) {
      log.debug("{}: close: {}", description, e.toString());
      loop.closed();
    }
  }

  /** Leaves no session behind on the broker, so nothing queues up for a peer that left. */
  private void dropSession(int gen) {
    try {
      client.connect(discardOptions, null, action(gen, (g, t) -> {
        try {
          client.disconnect(0, null, action(g, (g2, t2) -> loop.closed(), (g2, e) -> loop.closed()));
        } catch (MqttException e) {
          loop.closed();
        }
      }, (g, e) -> loop.closed()));
    } catch (MqttException e) {
      loop.closed();
    }
  }

  private void fail(TransportException.Kind kind, String message, Throwable cause) {
    log.warn("{}: giving up: {}", description, message);
    loop.failed(new TransportException(kind, message, cause));
  }

  /** The loop's cleanup, run once just before the terminal callback. */
  private void release() {
    closeCalled.set(true);
    state = State.DONE;
    generation++;
    cancelTimer();
    try {
      client.disconnectForcibly(0, 100, false);
    } catch (MqttException ignored) {
      // not connected
    }
    try {
      client.close(true);
    } catch (MqttException e) {
      log.debug("{}: close: {}", description, e.toString());
    }
  }

  // ---------------------------------------------------------------- plumbing

  private void cancelTimer() {
    if (timer != null) timer.cancel(false);
    timer = null;
  }

  private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause()) if (type.isInstance(c)) return true;
    return false;
  }

  private LoopAction action(int gen, LoopAction.OnSuccess success, LoopAction.OnFailure failure) {
    return new LoopAction(loop, gen, success, failure);
  }

  private final class PahoCallback implements MqttCallback {
    @Override
    public void connectionLost(Throwable cause) {
      int gen = generation;
      loop.execute(() -> broken(gen, cause));
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      int gen = generation;
      byte[] payload = message.getPayload();
      boolean retained = message.isRetained();
      loop.execute(() -> arrived(gen, topic, payload, retained));
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
      loop.execute(() -> {
        inFlight.acknowledged(token);
        if (inFlight.publishAgain()) members.flush();
      });
    }
  }
}
