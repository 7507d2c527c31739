package dev.simplecall.server.mqtt;

import io.moquette.broker.NettyUtils;
import io.moquette.broker.Server;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.lang.reflect.Field;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits in each connection's pipeline of an {@link EmbeddedBroker}, right before Moquette's own handler
 * (in the slot Moquette keeps for an optional metrics handler), and does what Moquette 0.17 does not:
 *
 * <ul>
 *   <li>Closes a connection that publishes, or asks for a Will on, a topic that is empty or that a Paho
 *       client cannot read ({@link PahoTopics#readable}: a control character, U+0000 included, anything
 *       from U+FDD0 up, an emoji). MQTT 3.1.1 (section 1.5.3) has a receiver close the connection over
 *       U+0000 and allows it over control characters and non-characters; mosquitto closes it over all of
 *       those. Moquette would forward the topic, and a Paho client subscribed to it (an SDK peer, a
 *       bridge other than this server's) would stop reading its connection at the first one.</li>
 *   <li>Closes a connection whose first packet is not CONNECT, or that sends a second one (MQTT 3.1.1
 *       [MQTT-3.1.0-1], [MQTT-3.1.0-2]); Moquette took a PUBLISH before CONNECT, and a second CONNECT
 *       failed in it with an exception in the log.</li>
 *   <li>Closes a connection whose packet does not decode (over {@link EmbeddedBroker#MAX_PACKET_BYTES},
 *       a reserved QoS or packet type, a broken length) or whose socket fails, and logs it at debug:
 *       Moquette's handler logged each at ERROR with a stack trace, so any client could fill the log.</li>
 *   <li>Shows the authenticator the whole CONNECT packet: Moquette 0.17 passes an {@code IAuthenticator}
 *       only the client id, user name and password, and later publishes the client's Will without asking
 *       the {@code IAuthorizatorPolicy}; so a client could leave a Will that speaks as another peer or
 *       into another room. The decoded CONNECT is held in a thread-local while Moquette handles it:
 *       Moquette calls the authenticator synchronously on that same Netty thread. {@link BrokerAccess}
 *       refuses every CONNECT it cannot see, so a connection without this guard cannot log in.</li>
 *   <li>Gives each connection a write buffer that QoS 1 and 2 messages alone cannot fill
 *       ({@link #WATER_MARK}). Moquette 0.17 writes a PUBLISH only while the connection is writable, and
 *       otherwise drops it and resends it after 5 s without writes; it checks writability before it
 *       sends a message and again when it writes, on a session thread, while the connection's Netty
 *       thread moves earlier packets into the socket buffer and so changes the count of unsent bytes. Near
 *       Netty's default high-water mark (64 KiB, reached by one large packet) a connection regularly
 *       turned unwritable between the two checks, and a QoS 1 or 2 message reached its subscriber 5 to 7
 *       s late, after later ones. Moquette keeps at most 10 QoS 1 or 2 messages in flight per
 *       connection, at most 10 times {@link EmbeddedBroker#MAX_PACKET_BYTES} of unsent bytes, below
 *       the mark; a connection reaches it only with QoS 0 traffic on top (which MQTT lets a broker
 *       drop) or a subscriber that stopped reading.</li>
 *   <li>Closes a connection only once Moquette has answered its CONNECT. Moquette 0.17 leaves the session
 *       of a connection that closes before its CONNACK in its registry for good (half-connected, never
 *       cleaned up), and when the CONNACK then fails to go out it logs a WARN with a stack trace: 3,000
 *       clients that sent CONNECT and closed at once left 2,354 sessions and 2,354 warnings behind. So a
 *       client's end of stream (the connection is half-closed for this), a reset, or a refusal by this
 *       guard while a CONNECT is with Moquette only stops reading; the CONNACK is then reported sent
 *       without being written (its client is gone) and the connection closed, which Moquette handles as
 *       a lost connection of a connected session. Without a CONNACK within 10 s it is closed anyway.</li>
 * </ul>
 */
@ChannelHandler.Sharable
final class PacketGuard extends ChannelDuplexHandler {
  private static final Logger log = LoggerFactory.getLogger(PacketGuard.class);
  private static final ThreadLocal<MqttConnectMessage> CURRENT = new ThreadLocal<>();
  private static final AttributeKey<Boolean> CONNECTED = AttributeKey.valueOf(PacketGuard.class, "connected");
  /** Set while a CONNECT is with Moquette and its CONNACK has not gone out. */
  private static final AttributeKey<Boolean> ANSWER_DUE = AttributeKey.valueOf(PacketGuard.class, "answerDue");
  /** Set when the connection is to close as soon as its CONNACK has gone out. */
  private static final AttributeKey<Boolean> CLOSE_AFTER_ANSWER = AttributeKey.valueOf(PacketGuard.class, "closeAfterAnswer");
  private static final long ANSWER_WAIT_SECONDS = 10;

  /**
   * A connection stops being writable above 2 MiB of unsent bytes (over twice what Moquette's 10 QoS 1
   * and 2 messages in flight can hold) and is writable again below 1 MiB. So the broker holds at most
   * about 2 MiB for a client that stops reading, where Netty's default is 64 KiB.
   */
  static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(1024 * 1024, 2 * 1024 * 1024);

  /** The CONNECT being authenticated on this thread, or {@code null}. */
  static MqttConnectMessage current() {
    return CURRENT.get();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    ctx.channel().config().setWriteBufferWaterMark(WATER_MARK);
    ctx.channel().config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true); // the client's end of stream: userEventTriggered
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent) {
      closeSoon(ctx);
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  /**
   * A CONNACK is reported sent to Moquette even when it could not be (its client is gone), and the
   * connection then closes: Moquette counts the session as connected, and cleans it up on the close. A
   * CONNACK whose connection is already to close is not written at all.
   */
  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    Channel ch = ctx.channel();
    if (!(msg instanceof MqttConnAckMessage) || !Boolean.TRUE.equals(ch.attr(ANSWER_DUE).getAndSet(null))) {
      ctx.write(msg, promise);
      return;
    }
    if (Boolean.TRUE.equals(ch.attr(CLOSE_AFTER_ANSWER).get())) {
      ReferenceCountUtil.release(msg);
      promise.trySuccess();
      ctx.close();
      return;
    }
    ChannelPromise written = ctx.newPromise();
    written.addListener(f -> {
      promise.trySuccess();
      if (!f.isSuccess()) ctx.close();
    });
    ctx.write(msg, written);
  }

  /** Closes now, or, while Moquette is answering a CONNECT, stops reading and closes once it has answered. */
  private static void closeSoon(ChannelHandlerContext ctx) {
    Channel ch = ctx.channel();
    if (!Boolean.TRUE.equals(ch.attr(ANSWER_DUE).get())) {
      ctx.close();
      return;
    }
    if (ch.attr(CLOSE_AFTER_ANSWER).getAndSet(Boolean.TRUE) != null) return;
    ch.config().setAutoRead(false);
    ctx.executor().schedule(() -> ctx.close(), ANSWER_WAIT_SECONDS, TimeUnit.SECONDS);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    String refused = refusal(ctx, msg);
    if (refused != null) {
      log.debug("embedded MQTT broker: closing the connection {}: {}", describe(ctx.channel()), refused);
      ReferenceCountUtil.release(msg);
      closeSoon(ctx);
      return;
    }
    if (!(msg instanceof MqttConnectMessage connect)) {
      ctx.fireChannelRead(msg);
      return;
    }
    ctx.channel().attr(ANSWER_DUE).set(Boolean.TRUE);
    CURRENT.set(connect);
    try {
      ctx.fireChannelRead(msg);
    } finally {
      CURRENT.remove();
    }
  }

  /** "from ADDRESS", and the client id once Moquette knows it, for the log. */
  private static String describe(Channel ch) {
    String client = NettyUtils.clientID(ch);
    return "from " + ch.remoteAddress() + (client != null ? " (client " + client + ")" : "");
  }

  /** Why {@code msg} closes its connection, or {@code null} to hand it to Moquette. */
  private static String refusal(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof MqttMessage m) || m.fixedHeader() == null) return null;
    if (m.decoderResult().isFailure()) return "a packet that does not decode: " + m.decoderResult().cause();
    boolean connected = ctx.channel().hasAttr(CONNECTED);
    if (m instanceof MqttConnectMessage c) {
      if (connected) return "a second CONNECT";
      ctx.channel().attr(CONNECTED).set(Boolean.TRUE);
      if (c.variableHeader().isWillFlag() && !PahoTopics.readable(c.payload().willTopic())) {
        return "a Will on a topic a Paho client cannot read";
      }
      return null;
    }
    if (!connected) return "a " + m.fixedHeader().messageType() + " before CONNECT";
    if (m instanceof MqttPublishMessage p && !PahoTopics.readable(p.variableHeader().topicName())) {
      return "a PUBLISH on a topic a Paho client cannot read";
    }
    return null;
  }

  /**
   * A packet that failed to decode reaches here as the {@link IOException} Moquette's message logger
   * throws for it, a socket error as its own; both close the connection quietly. Anything else goes on
   * to Moquette's handler, which logs it.
   */
  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (!(cause instanceof IOException)) {
      ctx.fireExceptionCaught(cause);
      return;
    }
    log.debug("embedded MQTT broker: closing the connection {}: {}", describe(ctx.channel()),
        cause.getCause() != null ? cause.getCause().toString() : cause.toString());
    closeSoon(ctx);
  }

  /**
   * Puts a guard into every connection {@code server} accepts from now on. Moquette has no public hook
   * for this, so it sets the acceptor's metrics-handler field; a Moquette whose fields differ fails here
   * (and the broker is not started) rather than running without the guard.
   */
  static void install(Server server) throws ReflectiveOperationException {
    Field acceptorField = Server.class.getDeclaredField("acceptor");
    acceptorField.setAccessible(true);
    Object acceptor = acceptorField.get(server);
    Field metrics = acceptor.getClass().getDeclaredField("metrics");
    metrics.setAccessible(true);
    if (((Optional<?>) metrics.get(acceptor)).isPresent()) {
      throw new IllegalStateException("Moquette metrics are on; the packet guard needs their slot");
    }
    metrics.set(acceptor, Optional.of(new PacketGuard()));
  }
}
