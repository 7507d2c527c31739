package dev.simplecall.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.protocol.EnvelopeException;
import dev.simplecall.protocol.Ids;
import dev.simplecall.spi.SignalingTransport;
import dev.simplecall.spi.SignalingTransportFactory;
import dev.simplecall.spi.TransportOptions;
import dev.simplecall.testing.RecordingTransportListener.Event;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the contract suite stands on, for a transport author's own tests too: the service started and
 * stopped around each test (and on demand: {@link #takeServiceDown()}, {@link #bringServiceBack()}),
 * peers joined through this test's factory, {@link TcpProxy} paths that can be cut, a black hole, and
 * the waits and envelopes the suite uses. {@link TransportContractTest} adds the contract's tests; a
 * class that extends this one directly gets the fixture without them.
 */
public abstract class TransportFixture {
  protected static final String ROOM = "contract";
  /** How long to listen for events that must not come. */
  protected static final Duration QUIET = Duration.ofMillis(400);

  private final List<SignalingTransport> transports = new ArrayList<>();
  private final List<TcpProxy> proxies = new ArrayList<>();
  private int servicePort;
  private boolean serviceRunning;
  private SignalingTransportFactory factory;

  /**
   * Starts the signaling service on 127.0.0.1:{@code port}; returns its port. {@code 0} means a first
   * start: pick {@link TestPorts#restartable()}, since some tests restart the service on that port.
   */
  protected abstract int startService(int port) throws Exception;

  /** Stops the service: every connection dropped, the port closed. Called at most once per start. */
  protected abstract void stopService() throws Exception;

  /** The URI of a service listening on 127.0.0.1:{@code port}. */
  protected abstract URI endpoint(int port);

  /**
   * A factory for one test: the suite asks once per test, makes every transport of the test with it and
   * closes it after the test (after its transports). Returning the same instance every time is fine: a
   * factory used after {@code close()} makes its resources again.
   */
  protected abstract SignalingTransportFactory factory();

  /**
   * Options for one peer of the contract room; override to tune timing. The connect timeout is
   * generous because the first connection to a cold server on a loaded machine can take seconds.
   */
  protected TransportOptions.Builder options(String peer) {
    return TransportOptions.builder()
        .room(ROOM)
        .peerId(peer)
        .connectTimeout(Duration.ofSeconds(5))
        .initialBackoff(Duration.ofMillis(50))
        .maxBackoff(Duration.ofMillis(300))
        .giveUpAfter(Duration.ofSeconds(60));
  }

  /**
   * How soon the others hear {@code peer-left} for a peer whose link is cut for good (it keeps trying to
   * reconnect and never gets through): the service's or the transport's presence expiry, plus margin.
   * 10 s by default; a transport whose service keeps an absent peer longer overrides it.
   */
  protected Duration crashedPeerLeavesWithin() {
    return Duration.ofSeconds(10);
  }

  /**
   * Makes the running service require credentials: typically {@link #takeServiceDown()}, a setting
   * changed, {@link #bringServiceBack()} (on the same port). The credentials test calls it first; the
   * other tests run against the service as {@link #startService(int)} starts it.
   */
  protected abstract void requireCredentials() throws Exception;

  /**
   * How {@code peer} reaches the service at {@code port} presenting credentials that the service (after
   * {@link #requireCredentials()}) accepts ({@code accepted}) or refuses: a URI (user info, where the
   * transport takes credentials from it) and options (a token, where it takes them from there), based
   * on {@link #endpoint(int)} and {@link #options(String)}.
   */
  protected abstract Credentials credentials(String peer, int port, boolean accepted);

  /** What a peer presents to the service: see {@link #credentials(String, int, boolean)}. */
  public record Credentials(URI uri, TransportOptions options) {}

  /** One transport and what it heard. */
  public record Peer(String id, SignalingTransport transport, RecordingTransportListener events) {}

  @BeforeEach
  protected void startServiceForTest() throws Exception {
    factory = factory();
    servicePort = startService(0);
    serviceRunning = true;
  }

  @AfterEach
  protected void stopEverything() throws Exception {
    for (SignalingTransport t : transports) t.close();
    if (factory != null) factory.close();
    for (TcpProxy p : proxies) p.close();
    if (serviceRunning) takeServiceDown();
  }

  // ---- helpers

  protected int servicePort() {
    return servicePort;
  }

  /** This test's factory (from {@link #factory()}): it makes every transport of the test. */
  protected SignalingTransportFactory transportFactory() {
    return factory;
  }

  /** Stops the service; {@link #bringServiceBack()} starts it again on the same port. */
  protected void takeServiceDown() throws Exception {
    serviceRunning = false;
    stopService();
  }

  protected void bringServiceBack() throws Exception {
    int port = startService(servicePort);
    serviceRunning = true;
    assertEquals(servicePort, port, "service restarted on another port");
  }

  /** A transport for {@code peer} to the service at {@code port}, open and welcomed. */
  protected Peer join(String peer, int port) {
    return join(peer, port, options(peer).build());
  }

  /** A transport for {@code peer} with {@code options} to the service at {@code port}, open and welcomed. */
  protected Peer join(String peer, int port, TransportOptions options) {
    return join(peer, endpoint(port), options);
  }

  /** A transport for {@code peer} with {@code options} to the service at {@code uri}, open and welcomed. */
  protected Peer join(String peer, URI uri, TransportOptions options) {
    RecordingTransportListener events = new RecordingTransportListener(peer);
    SignalingTransport t = create(uri, options, events);
    // The contract lets a first attempt fail (onReconnecting, then onOpen after a retry): a service may
    // drop a fresh connection (Moquette 0.17 does when a SUBSCRIBE overtakes its own CONNACK bookkeeping).
    Event first = events.next(RecordingTransportListener.WAIT);
    if (first.kind().equals("reconnecting")) {
      System.err.println(peer + ": the first attempt failed (" + first.error() + "); the transport retries");
      events.expectOpen();
    } else {
      assertEquals("open", first.kind(), peer + ": expected open but got " + first);
    }
    Envelope.Welcome welcome = events.expectEnvelope(Envelope.Welcome.class);
    assertEquals(ROOM, welcome.room());
    assertFalse(welcome.peers().contains(peer), "welcome lists the joining peer itself: " + welcome.peers());
    return new Peer(peer, t, events);
  }

  protected SignalingTransport create(URI uri, TransportOptions options, SignalingTransport.Listener listener) {
    return track(factory.create(uri, options, listener));
  }

  /** Closes {@code t} after the test. */
  protected <T extends SignalingTransport> T track(T t) {
    transports.add(t);
    return t;
  }

  protected TcpProxy proxy() {
    TcpProxy p = TcpProxy.start(servicePort);
    proxies.add(p);
    return p;
  }

  protected TcpProxy blackHole() {
    TcpProxy p = TcpProxy.blackHole();
    proxies.add(p);
    return p;
  }

  /**
   * Waits for {@code onReconnecting}, allowing what a server says while shutting down before it:
   * {@code peer-left} of peers it dropped first and an {@code error} announcing it is going away.
   */
  protected static void awaitReconnecting(Peer peer) {
    for (int skipped = 0; ; skipped++) {
      Event e = peer.events.next(RecordingTransportListener.WAIT);
      if (e.kind().equals("reconnecting")) return;
      boolean shutdownNoise =
          e.kind().equals("message") && (e.text().contains("\"peer-left\"") || e.text().contains("\"error\""));
      if (!shutdownNoise || skipped > 4) fail(peer.id + ": expected reconnecting but got " + e);
    }
  }

  /** Live threads whose name contains {@code fragment} (transports name theirs after the peer). */
  protected static int threadsNamed(String fragment) {
    int n = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) if (t.isAlive() && t.getName().contains(fragment)) n++;
    return n;
  }

  /** Every thread whose name contains {@code fragment} ends within a few seconds. */
  protected static void assertThreadsEnd(String fragment) throws InterruptedException {
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (!t.getName().contains(fragment)) continue;
      t.join(TimeUnit.SECONDS.toMillis(10));
      assertFalse(t.isAlive(), "thread still running after the end: " + t.getName());
    }
  }

  protected static Envelope decode(Event message) {
    try {
      return EnvelopeCodec.decode(message.text());
    } catch (EnvelopeException e) {
      throw new AssertionError("undecodable message " + message.text(), e);
    }
  }

  protected static void expectOffers(Peer to, String from, int first, int count) {
    for (int i = first; i < first + count; i++) {
      Envelope.Offer o = to.events.expectEnvelope(Envelope.Offer.class);
      assertEquals("offer-" + i, o.sdp(), "offers out of order or lost");
      assertEquals(from, o.from());
    }
  }

  /** Sends {@code text}, trying again every 20 ms while the transport refuses it, for up to {@code within}. */
  protected static boolean sendWithin(SignalingTransport t, String text, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (!t.send(text)) {
      if (System.nanoTime() > deadline) return false;
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  /**
   * The next offer {@code to} receives from {@code from}, skipping what a reconnect of the sender
   * says about it ({@code peer-left}, {@code peer-joined}): whether a short outage shows in presence
   * depends on the transport.
   */
  protected static Envelope.Offer nextOfferSkippingPresence(Peer to, String from) {
    for (int skipped = 0; skipped <= 6; skipped++) {
      Envelope e = decode(to.events.expect("message"));
      if (e instanceof Envelope.Offer o) {
        assertEquals(from, o.from());
        return o;
      }
      // what a reconnect of either side says: a fresh welcome, the other's presence
      boolean reconnectNoise = e instanceof Envelope.Welcome
          || e instanceof Envelope.PeerLeft pl && pl.peer().equals(from)
          || e instanceof Envelope.PeerJoined pj && pj.peer().equals(from);
      if (!reconnectNoise) fail(to.id + ": expected an offer from " + from + " but got " + e);
    }
    throw new AssertionError(to.id + ": no offer from " + from + " among its presence events");
  }

  protected static String offer(String from, String to, int seq) {
    return EnvelopeCodec.encode(new Envelope.Offer(Ids.newId(), ROOM, from, to, "offer-" + seq));
  }

  protected static String answer(String from, String to, int seq) {
    return EnvelopeCodec.encode(new Envelope.Answer(Ids.newId(), ROOM, from, to, "answer-" + seq));
  }
}
