package dev.simplecall.transport.mqtt;

import dev.simplecall.protocol.Uris;
import dev.simplecall.spi.SignalingTransport;
import dev.simplecall.spi.SignalingTransportFactory;
import dev.simplecall.spi.TransportCapabilities;
import dev.simplecall.spi.TransportOptions;
import java.net.URI;
import java.util.Objects;
import java.util.Set;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;

/**
 * Signaling over an MQTT broker, no signaling server needed: {@code mqtt://host:1883} and {@code
 * mqtts://host:8883} (TLS). The user name and password come from the URI ({@code
 * mqtt://alice:secret@host}), else from the Paho options given to {@link #create(MqttConnectOptions)},
 * else the join token is sent as password with the peer id as user name. With the ACL shipped in
 * {@code config/mosquitto/simplecall.acl} the MQTT user name must equal the peer id.
 *
 * <p>Topics (docs/PROTOCOL.md): messages go to {@code simplecall/v1/{room}/to/{to}/from/{from}}
 * with QoS 1; presence is a retained {@code {"state":"online"}} on {@code
 * simplecall/v1/{room}/presence/{peer}}, cleared by a clean leave or by the Last Will. The transport
 * makes the {@code welcome}, {@code peer-joined} and {@code peer-left} envelopes from presence, keeps
 * a persistent broker session (stable client id per room and peer) so messages sent while it was
 * briefly away still arrive, reconnects with backoff and jitter, and drops QoS 1 duplicates.
 *
 * <pre>{@code
 * MqttConnectOptions paho = new MqttConnectOptions();
 * paho.setSocketFactory(myTlsContext.getSocketFactory());   // e.g. a private CA
 * CallClient client = CallClient.builder()
 *     .addTransportFactory(MqttTransportFactory.create(paho))
 *     .build();
 * // then SessionOptions.builder().signaling(URI.create("mqtts://alice:pw@broker.example:8883"))...
 * }</pre>
 *
 * <p>Found by {@link java.util.ServiceLoader} with default Paho options (keep-alive 20 s) when not
 * passed explicitly.
 */
public final class MqttTransportFactory implements SignalingTransportFactory {
  private final MqttConnectOptions template;

  /** Default Paho options; for {@link java.util.ServiceLoader}. */
  public MqttTransportFactory() {
    MqttConnectOptions o = new MqttConnectOptions();
    o.setKeepAliveInterval(20);
    this.template = o;
  }

  private MqttTransportFactory(MqttConnectOptions template) {
    this.template = template;
  }

  /**
   * A factory whose connections start from {@code options}: socket factory and TLS settings, keep-alive,
   * MQTT version, credentials. The transport copies what it needs per connection and sets clean
   * session, the Last Will and reconnecting itself; later changes to {@code options} are not seen.
   *
   * @param options the Paho options to start from; copied here: keep-alive, connection timeout, MQTT
   *     version, max in-flight, socket factory, SSL properties, host name verifier and whether HTTPS
   *     host name verification is on, user name and password
   * @return the new factory
   * @throws NullPointerException when {@code options} is {@code null}
   */
  public static MqttTransportFactory create(MqttConnectOptions options) {
    Objects.requireNonNull(options, "options == null");
    MqttConnectOptions copy = new MqttConnectOptions();
    copy.setKeepAliveInterval(options.getKeepAliveInterval());
    copy.setConnectionTimeout(options.getConnectionTimeout());
    copy.setMqttVersion(options.getMqttVersion());
    copy.setMaxInflight(options.getMaxInflight());
    if (options.getSocketFactory() != null) copy.setSocketFactory(options.getSocketFactory());
    if (options.getSSLProperties() != null) copy.setSSLProperties(options.getSSLProperties());
    if (options.getSSLHostnameVerifier() != null) copy.setSSLHostnameVerifier(options.getSSLHostnameVerifier());
    copy.setHttpsHostnameVerificationEnabled(options.isHttpsHostnameVerificationEnabled());
    if (options.getUserName() != null) copy.setUserName(options.getUserName());
    if (options.getPassword() != null) copy.setPassword(options.getPassword().clone());
    return new MqttTransportFactory(copy);
  }

  /**
   * The MQTT client id this transport connects with for {@code peer} in {@code room}: {@code "sc-"} and
   * the first 20 hex digits of SHA-256(room + "\n" + peer). Stable, so the broker's persistent session
   * (and what was queued in it) survives a restart of the app. Anyone can compute it, so a broker must
   * tie it to the peer's credentials: the embedded broker with an auth secret accepts it only with a
   * token for that (room, peer); mosquitto uses the user name instead ({@code use_username_as_clientid}).
   *
   * @param room the room id
   * @param peer the peer id
   * @return 23 characters: {@code "sc-"} and 20 lower-case hex digits ({@link
   *     dev.simplecall.protocol.MqttNames#clientId})
   */
  public static String clientId(String room, String peer) {
    return ConnectOptions.clientId(room, peer);
  }

  /**
   * A peer's broker session is persistent (clean session off, QoS 1): the broker keeps what is sent to
   * it while its link is down and delivers it when the peer reconnects.
   */
  @Override
  public TransportCapabilities capabilities() {
    return TransportCapabilities.builder().deliversToReconnectingPeer(true).build();
  }

  @Override
  public Set<String> schemes() {
    return Set.of("mqtt", "mqtts");
  }

  @Override
  public SignalingTransport create(URI endpoint, TransportOptions options, SignalingTransport.Listener listener) {
    Objects.requireNonNull(options, "options == null");
    Objects.requireNonNull(listener, "listener == null");
    MqttEndpoint parsed = MqttEndpoint.parse(endpoint);
    try {
      return new MqttTransport(parsed, template, options, listener);
    } catch (MqttException e) {
      // Paho refuses only malformed server URIs and client ids here, which parse() already excludes
      throw new IllegalArgumentException("unusable MQTT endpoint " + Uris.redact(endpoint) + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "MqttTransportFactory" + schemes();
  }
}
