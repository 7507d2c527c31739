package com.example.transport.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.spi.SignalingTransport;
import dev.simplecall.spi.SignalingTransportFactory;
import dev.simplecall.spi.TransportException;
import dev.simplecall.spi.TransportOptions;
import dev.simplecall.testing.RecordingTransportListener;
import dev.simplecall.testing.TcpProxy;
import dev.simplecall.testing.TestPorts;
import dev.simplecall.testing.TransportContractTest;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shared contract suite against a real redis-server that the test starts on loopback. */
class RedisContractTest extends TransportContractTest {
  /**
   * One factory for the class, as an app has one: its Lettuce client and event loops are shared. A 3 s
   * presence TTL (15 s by default), so a peer that vanished leaves the room within a test.
   */
  private static final RedisTransportFactory FACTORY = new RedisTransportFactory(Duration.ofSeconds(3));
  private static final String PASSWORD = "contract-test-password";
  private RedisServerProcess redis;
  private String requirePassword;

  /**
   * Lettuce and Netty load and initialise for about a second (0.9 s measured on a loaded 2-core
   * machine) the first time a JVM connects. An app pays that once per factory; here it would fall
   * inside the 2 s give-up window of {@code silentServiceTimesOutThenReconnectsThenGivesUp} whenever
   * that test runs first, so one join is made before the suite.
   */
  @BeforeAll
  static void warmUpLettuce() throws Exception {
    RedisServerProcess warm = RedisServerProcess.start(TestPorts.restartable());
    try {
      RecordingTransportListener events = new RecordingTransportListener("warm-up");
      SignalingTransport t = FACTORY.create(URI.create("redis://127.0.0.1:" + warm.port()),
          TransportOptions.builder()
              .room("warm-up").peerId("warm-up").build(), events);
      events.expectOpen();
      events.expectEnvelope(Envelope.Welcome.class);
      t.close();
      events.expectClosed();
    } finally {
      warm.stop();
    }
  }

  @Override
  protected int startService(int port) throws Exception {
    redis = RedisServerProcess.start(port == 0 ? TestPorts.restartable() : port, requirePassword);
    return redis.port();
  }

  @Override
  protected void stopService() throws Exception {
    redis.stop();
  }

  /** A peer that stopped refreshing its presence leaves within 4/3 of the 3 s TTL. */
  @Override
  protected Duration crashedPeerLeavesWithin() {
    return Duration.ofSeconds(8);
  }

  @Override
  protected void requireCredentials() throws Exception {
    takeServiceDown();
    requirePassword = PASSWORD;
    bringServiceBack();
  }

  /** Redis's password in the URI's user info ({@code redis://:PASSWORD@host:port}). */
  @Override
  protected Credentials credentials(String peer, int port, boolean accepted) {
    String password = accepted ? PASSWORD : "wrong-password";
    return new Credentials(URI.create("redis://:" + password + "@127.0.0.1:" + port), options(peer).build());
  }

  @Override
  protected URI endpoint(int port) {
    return URI.create("redis://127.0.0.1:" + port);
  }

  @Override
  protected SignalingTransportFactory factory() {
    return FACTORY;
  }

  // ---- what the shared suite does not check (docs/TRANSPORTS.md): this transport's own promises

  /** A peer that vanishes without leaving (its link cut for good) leaves the room when its key expires. */
  @Test
  void aCrashedPeersPresenceExpires() throws Exception {
    RedisTransportFactory shortTtl = new RedisTransportFactory(Duration.ofSeconds(1));
    TcpProxy bobPath = proxy();
    Peer alice = joinWith(shortTtl, "alice", servicePort());
    Peer bob = joinWith(shortTtl, "bob", bobPath.port());
    assertEquals("bob", alice.events().expectEnvelope(Envelope.PeerJoined.class).peer());

    long cut = System.nanoTime();
    bobPath.stop(); // bob keeps trying to reconnect, so nothing clears his presence but its TTL
    assertEquals("bob", alice.events().expectEnvelope(Envelope.PeerLeft.class).peer());
    long ms = (System.nanoTime() - cut) / 1_000_000;
    assertTrue(ms >= 300, "peer-left came before bob's presence could expire: " + ms + " ms");
    alice.events().assertNoMoreEvents(QUIET);
    bob.transport().close();
    alice.transport().close();
    shortTtl.close();
  }

  @Test
  void aDatabaseRedisDoesNotHaveIsAConfigurationFailure() {
    RecordingTransportListener events = new RecordingTransportListener("alice");
    SignalingTransport t = create(URI.create("redis://127.0.0.1:" + servicePort() + "/99"), options("alice").build(), events);
    TransportException e = events.expectFailure(RecordingTransportListener.WAIT);
    assertEquals(TransportException.Kind.CONFIGURATION, e.kind(), e.toString());
    assertTrue(e.getMessage().contains("DB index is out of range"), e.getMessage());
    RecordingTransportListener.assertSendRefused(t);
    events.assertNoMoreEvents(QUIET);
  }

  @Test
  void closingTheFactoryEndsLettucesThreads() throws Exception {
    Peer carol = join("carol", servicePort());
    carol.transport().close();
    carol.events().expectClosed();
    assertTrue(threadsNamed("lettuce-") > 0, "Lettuce ran the connection on its event loops");
    transportFactory().close();
    assertThreadsEnd("lettuce-");
  }

  private Peer joinWith(RedisTransportFactory factory, String peer, int port) {
    RecordingTransportListener events = new RecordingTransportListener(peer);
    SignalingTransport t = track(factory.create(endpoint(port), options(peer).build(), events));
    events.expectOpen();
    events.expectEnvelope(Envelope.Welcome.class);
    return new Peer(peer, t, events);
  }
}
