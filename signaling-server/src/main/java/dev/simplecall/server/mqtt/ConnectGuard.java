package dev.simplecall.server.mqtt;

import io.moquette.broker.Server;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import java.lang.reflect.Field;
import java.util.Optional;

/**
 * Shows the authenticator the whole CONNECT packet. Moquette 0.17 passes an {@code IAuthenticator} only
 * the client id, user name and password, and later publishes the client's Will without asking the
 * {@code IAuthorizatorPolicy}; so a client could leave a Will that speaks as another peer or into
 * another room. This handler sits in each connection's pipeline right before Moquette's own (in the
 * slot Moquette keeps for an optional metrics handler) and holds the decoded CONNECT in a thread-local
 * while Moquette handles it: Moquette calls the authenticator synchronously on that same Netty thread.
 * The authenticator refuses every CONNECT it cannot see, so a connection without this guard cannot log in.
 */
@ChannelHandler.Sharable
final class ConnectGuard extends ChannelInboundHandlerAdapter {
  private static final ThreadLocal<MqttConnectMessage> CURRENT = new ThreadLocal<>();

  /** The CONNECT being authenticated on this thread, or {@code null}. */
  static MqttConnectMessage current() {
    return CURRENT.get();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (!(msg instanceof MqttConnectMessage connect)) {
      ctx.fireChannelRead(msg);
      return;
    }
    CURRENT.set(connect);
    try {
      ctx.fireChannelRead(msg);
    } finally {
      CURRENT.remove();
    }
  }

  /**
   * Puts a guard into every connection {@code server} accepts from now on. Moquette has no public hook
   * for this, so it sets the acceptor's metrics-handler field; a Moquette whose fields differ fails here
   * (and the broker is not started) rather than running without the Will check.
   */
  static void install(Server server) throws ReflectiveOperationException {
    Field acceptorField = Server.class.getDeclaredField("acceptor");
    acceptorField.setAccessible(true);
    Object acceptor = acceptorField.get(server);
    Field metrics = acceptor.getClass().getDeclaredField("metrics");
    metrics.setAccessible(true);
    if (((Optional<?>) metrics.get(acceptor)).isPresent()) {
      throw new IllegalStateException("Moquette metrics are on; the connection guard needs their slot");
    }
    metrics.set(acceptor, Optional.of(new ConnectGuard()));
  }
}
