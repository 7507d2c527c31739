package dev.simplecall.transport.mqtt;

import dev.simplecall.protocol.MqttNames;
import dev.simplecall.protocol.MqttPresence;
import dev.simplecall.spi.TransportOptions;
import dev.simplecall.spi.support.NoDelaySocketFactory;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.ScheduledExecutorPingSender;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** Builds the per-transport Paho client, and its options from the app's template, which is never modified. */
final class ConnectOptions {
  /** Paho keeps at most this many QoS 1 messages in flight; beyond it sends wait in our queue. */
  static final int MAX_INFLIGHT = 1000;
  /** Keep-alive pings of every MQTT transport; Paho's default is a non-daemon timer per client. */
  private static final ScheduledExecutorService PINGS = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "simplecall-mqtt-ping");
    t.setDaemon(true);
    return t;
  });

  private ConnectOptions() {}

  /**
   * A stable client id for (room, peer): the broker keys the persistent session on it, so a peer that
   * reconnects gets what was queued meanwhile. 23 characters, the MQTT 3.1 limit.
   */
  static String clientId(String room, String peer) {
    return MqttNames.clientId(room, peer);
  }

  /** The Paho client of {@code peer} in {@code room}: its {@link #clientId}, in-memory persistence, the shared pinger. */
  static MqttAsyncClient client(MqttEndpoint endpoint, String room, String peer) throws MqttException {
    return new MqttAsyncClient(endpoint.serverUri(), clientId(room, peer), new MemoryPersistence(),
        new ScheduledExecutorPingSender(PINGS), null);
  }

  /**
   * Persistent session (cleanSession=false), no Paho auto-reconnect (the transport runs its own
   * loop), and a Last Will that clears the retained presence. Credentials: the URI's user info wins,
   * then the template's, then the join token as password with the peer id as user name.
   */
  static MqttConnectOptions forSession(MqttEndpoint endpoint, MqttConnectOptions base, TransportOptions options) {
    MqttConnectOptions o = new MqttConnectOptions();
    o.setKeepAliveInterval(base.getKeepAliveInterval());
    o.setConnectionTimeout((int) Math.max(1, (options.connectTimeout().toMillis() + 999) / 1000));
    o.setMqttVersion(base.getMqttVersion());
    o.setMaxInflight(Math.max(base.getMaxInflight(), MAX_INFLIGHT));
    if (base.getSocketFactory() != null) {
      o.setSocketFactory(base.getSocketFactory());
    } else if (!endpoint.tls()) {
      o.setSocketFactory(NoDelaySocketFactory.INSTANCE);
    }
    if (base.getSSLProperties() != null) o.setSSLProperties(base.getSSLProperties());
    if (base.getSSLHostnameVerifier() != null) o.setSSLHostnameVerifier(base.getSSLHostnameVerifier());
    o.setHttpsHostnameVerificationEnabled(base.isHttpsHostnameVerificationEnabled());
    if (endpoint.userName() != null) {
      o.setUserName(endpoint.userName());
      if (endpoint.password() != null) o.setPassword(endpoint.password());
    } else if (base.getUserName() != null) {
      o.setUserName(base.getUserName());
      if (base.getPassword() != null) o.setPassword(base.getPassword());
    } else if (options.token() != null) {
      o.setUserName(options.peerId());
      o.setPassword(options.token().toCharArray());
    }
    o.setCleanSession(false);
    o.setAutomaticReconnect(false);
    o.setWill(MqttNames.presenceTopic(options.room(), options.peerId()), MqttPresence.gonePayload(), 1, true);
    return o;
  }

  /** Same connection, cleanSession=true and no will: connecting with it discards the session. */
  static MqttConnectOptions forDiscard(MqttConnectOptions session) {
    MqttConnectOptions o = new MqttConnectOptions();
    o.setKeepAliveInterval(session.getKeepAliveInterval());
    o.setConnectionTimeout(session.getConnectionTimeout());
    o.setMqttVersion(session.getMqttVersion());
    o.setMaxInflight(session.getMaxInflight());
    if (session.getSocketFactory() != null) o.setSocketFactory(session.getSocketFactory());
    if (session.getSSLProperties() != null) o.setSSLProperties(session.getSSLProperties());
    if (session.getSSLHostnameVerifier() != null) o.setSSLHostnameVerifier(session.getSSLHostnameVerifier());
    o.setHttpsHostnameVerificationEnabled(session.isHttpsHostnameVerificationEnabled());
    if (session.getUserName() != null) o.setUserName(session.getUserName());
    if (session.getPassword() != null) o.setPassword(session.getPassword());
    o.setCleanSession(true);
    o.setAutomaticReconnect(false);
    return o;
  }
}
