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
  /** The room every peer of the suite joins ({@link #options(String)}). */
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
   *
   * @param port the port to listen on, or {@code 0} for the first start of a test
   * @return the port the service listens on; for a restart it must equal {@code port}
   * @throws Exception when the service cannot start
   */
  protected abstract int startService(int port) throws Exception;

  /**
   * Stops the service: every connection dropped, the port closed. Called at most once per start.
   *
   * @throws Exception when the service cannot stop
   */
  protected abstract void stopService() throws Exception;

  /**
   * The URI of a service listening on 127.0.0.1:{@code port}.
   *
   * @param port the service's port, or a {@link TcpProxy}'s in front of it
   * @return the URI a transport of this factory connects to, without credentials
   */
  protected abstract URI endpoint(int port);

  /**
   * A factory for one test: the suite asks once per test, makes every transport of the test with it and
   * closes it after the test (after its transports). Returning the same instance every time is fine: a
   * factory used after {@code close()} makes its resources again.
   *
   * @return the factory of the transport under test
   */
  protected abstract SignalingTransportFactory factory();

  /**
   * Options for one peer of the contract room; override to tune timing. The connect timeout is
   * generous because the first connection to a cold server on a loaded machine can take seconds.
   *
   * @param peer the peer id
   * @return a builder for room {@link #ROOM} and {@code peer}, with a 5 s connect timeout, backoff from
   *     50 to 300 ms and giving up after 60 s
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
   *
   * @return how long {@link TransportContractTest#aPeerWhoseLinkIsCutForGoodLeavesTheRoom()} waits
   */
  protected Duration crashedPeerLeavesWithin() {
    return Duration.ofSeconds(10);
  }

  /**
   * Makes the running service require credentials: typically {@link #takeServiceDown()}, a setting
   * changed, {@link #bringServiceBack()} (on the same port). The credentials test calls it first; the
   * other tests run against the service as {@link #startService(int)} starts it.
   *
   * @throws Exception when the service cannot be restarted
   */
  protected abstract void requireCredentials() throws Exception;

  /**
   * How {@code peer} reaches the service at {@code port} presenting credentials that the service (after
   * {@link #requireCredentials()}) accepts ({@code accepted}) or refuses: a URI (user info, where the
   * transport takes credentials from it) and options (a token, where it takes them from there), based
   * on {@link #endpoint(int)} and {@link #options(String)}.
   *
   * @param peer the peer id
   * @param port the service's port
   * @param accepted {@code true} for credentials the service accepts, {@code false} for ones it refuses
   * @return the URI and options to create the peer's transport with
   */
  protected abstract Credentials credentials(String peer, int port, boolean accepted);

  /**
   * What a peer presents to the service: see {@link #credentials(String, int, boolean)}.
   *
   * @param uri the service URI, with credentials in it where the transport takes them from there
   * @param options the peer's options, with a token where the transport takes it from there
   */
  public record Credentials(URI uri, TransportOptions options) {}

  /**
   * One transport and what it heard.
   *
   * @param id the peer id
   * @param transport the peer's transport, closed after the test
   * @param events the transport's listener, holding the events not yet read
   */
  public record Peer(String id, SignalingTransport transport, RecordingTransportListener events) {}

  /**
   * Before each test: asks {@link #factory()} for this test's factory and starts the service.
   *
   * @throws Exception when the service cannot start
   */
  @BeforeEach
  protected void startServiceForTest() throws Exception {
    factory = factory();
    servicePort = startService(0);
    serviceRunning = true;
  }

  /**
   * After each test: closes every transport made through {@link #create}, {@link #join} or {@link
   * #track}, then the factory and the proxies, then stops the service if it is running.
   *
   * @throws Exception when the service cannot stop
   */
  @AfterEach
  protected void stopEverything() throws Exception {
    for (SignalingTransport t : transports) t.close();
    if (factory != null) factory.close();
    for (TcpProxy p : proxies) p.close();
    if (serviceRunning) takeServiceDown();
  }

  // ---- helpers

  /**
   * The service's port, the same across restarts within a test.
   *
   * @return the port {@link #startService(int)} returned for this test
   */
  protected int servicePort() {
    return servicePort;
  }

  /**
   * This test's factory (from {@link #factory()}): it makes every transport of the test.
   *
   * @return the factory; {@code null} before the first test starts
   */
  protected SignalingTransportFactory transportFactory() {
    return factory;
  }

  /**
   * Stops the service; {@link #bringServiceBack()} starts it again on the same port.
   *
   * @throws Exception when the service cannot stop
   */
  protected void takeServiceDown() throws Exception {
    serviceRunning = false;
    stopService();
  }

  /**
   * Starts the service again on {@link #servicePort()} after {@link #takeServiceDown()}.
   *
   * @throws Exception when the service cannot start
   * @throws AssertionError when it started on another port
   */
  protected void bringServiceBack() throws Exception {
    int port = startService(servicePort);
    serviceRunning = true;
    assertEquals(servicePort, port, "service restarted on another port");
  }

  /**
   * A transport for {@code peer} to the service at {@code port}, open and welcomed.
   *
   * @param peer the peer id
   * @param port the service's port, or a {@link TcpProxy}'s in front of it
   * @return the peer, its {@code onOpen} and {@code welcome} already read
   * @throws AssertionError when it does not open and get a {@code welcome} for {@link #ROOM} (without
   *     itself) within {@link RecordingTransportListener#WAIT} each
   */
  protected Peer join(String peer, int port) {
    return join(peer, port, options(peer).build());
  }

  /**
   * A transport for {@code peer} with {@code options} to the service at {@code port}, open and welcomed.
   *
   * @param peer the peer id, for messages
   * @param port the service's port, or a {@link TcpProxy}'s in front of it
   * @param options the transport's options (their room must be {@link #ROOM})
   * @return the peer, its {@code onOpen} and {@code welcome} already read
   * @throws AssertionError as {@link #join(String, int)}
   */
  protected Peer join(String peer, int port, TransportOptions options) {
    return join(peer, endpoint(port), options);
  }

  /**
   * A transport for {@code peer} with {@code options} to the service at {@code uri}, open and welcomed.
   * A first attempt that fails ({@code onReconnecting} before {@code onOpen}) is allowed and logged.
   *
   * @param peer the peer id, for messages
   * @param uri the service URI
   * @param options the transport's options (their room must be {@link #ROOM})
   * @return the peer, its {@code onOpen} and {@code welcome} already read
   * @throws AssertionError as {@link #join(String, int)}
   */
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

  /**
   * A transport from this test's factory, closed after the test; nothing is awaited.
   *
   * @param uri the service URI
   * @param options the transport's options
   * @param listener receives the transport's callbacks
   * @return the new transport
   */
  protected SignalingTransport create(URI uri, TransportOptions options, SignalingTransport.Listener listener) {
    return track(factory.create(uri, options, listener));
  }

  /**
   * Closes {@code t} after the test.
   *
   * @param <T> the transport's type
   * @param t a transport made outside {@link #create}
   * @return {@code t}
   */
  protected <T extends SignalingTransport> T track(T t) {
    transports.add(t);
    return t;
  }

  /**
   * A {@link TcpProxy} in front of the service, closed after the test.
   *
   * @return the running proxy; connect to its {@link TcpProxy#port()}
   */
  protected TcpProxy proxy() {
    TcpProxy p = TcpProxy.start(servicePort);
    proxies.add(p);
    return p;
  }

  /**
   * A {@linkplain TcpProxy#blackHole() black hole}, closed after the test.
   *
   * @return the listening black hole
   */
  protected TcpProxy blackHole() {
    TcpProxy p = TcpProxy.blackHole();
    proxies.add(p);
    return p;
  }

  /**
   * Waits for {@code onReconnecting}, allowing what a server says while shutting down before it:
   * {@code peer-left} of peers it dropped first and an {@code error} announcing it is going away.
   *
   * @param peer the peer whose events are read
   * @throws AssertionError when no event comes within {@link RecordingTransportListener#WAIT}, or an
   *     event other than those messages, or more than five of them, comes before {@code onReconnecting}
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

  /**
   * Live threads whose name contains {@code fragment} (transports name theirs after the peer).
   *
   * @param fragment part of a thread name, case-sensitive
   * @return how many live threads have it
   */
  protected static int threadsNamed(String fragment) {
    int n = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) if (t.isAlive() && t.getName().contains(fragment)) n++;
    return n;
  }

  /**
   * Every thread whose name contains {@code fragment} ends within a few seconds.
   *
   * @param fragment part of a thread name, case-sensitive
   * @throws InterruptedException when interrupted while waiting
   * @throws AssertionError when one of them is still alive after 10 s of waiting for it
   */
  protected static void assertThreadsEnd(String fragment) throws InterruptedException {
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (!t.getName().contains(fragment)) continue;
      t.join(TimeUnit.SECONDS.toMillis(10));
      assertFalse(t.isAlive(), "thread still running after the end: " + t.getName());
    }
  }

  /**
   * The envelope a message event carries.
   *
   * @param message an event of kind {@code message}
   * @return the decoded envelope
   * @throws AssertionError when its text does not decode
   */
  protected static Envelope decode(Event message) {
    try {
      return EnvelopeCodec.decode(message.text());
    } catch (EnvelopeException e) {
      throw new AssertionError("undecodable message " + message.text(), e);
    }
  }

  /**
   * The next {@code count} events of {@code to} are the offers made by {@link #offer offer(from, ...,
   * first)} to {@code offer(from, ..., first + count - 1)}, in that order.
   *
   * @param to the receiving peer
   * @param from the expected sender
   * @param first the sequence number of the first offer
   * @param count how many offers
   * @throws AssertionError when another event comes, an offer is missing or out of order
   */
  protected static void expectOffers(Peer to, String from, int first, int count) {
    for (int i = first; i < first + count; i++) {
      Envelope.Offer o = to.events.expectEnvelope(Envelope.Offer.class);
      assertEquals("offer-" + i, o.sdp(), "offers out of order or lost");
      assertEquals(from, o.from());
    }
  }

  /**
   * Sends {@code text}, trying again every 20 ms while the transport refuses it, for up to {@code within}.
   *
   * @param t the transport
   * @param text one envelope's JSON text
   * @param within how long to keep trying
   * @return {@code true} once a send was accepted; {@code false} when none was in time, or when
   *     interrupted (the interrupt status is then set again)
   */
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
   *
   * @param to the receiving peer
   * @param from the expected sender
   * @return the offer
   * @throws AssertionError when another event comes first, or more than six welcome and presence messages
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

  /**
   * An {@code offer} in {@link #ROOM} whose SDP is {@code "offer-" + seq}, for telling messages apart.
   *
   * @param from the sender
   * @param to the receiver
   * @param seq the sequence number
   * @return the envelope's JSON text, with a new id
   */
  protected static String offer(String from, String to, int seq) {
    return EnvelopeCodec.encode(new Envelope.Offer(Ids.newId(), ROOM, from, to, "offer-" + seq));
  }

  /**
   * An {@code answer} in {@link #ROOM} whose SDP is {@code "answer-" + seq}, for telling messages apart.
   *
   * @param from the sender
   * @param to the receiver
   * @param seq the sequence number
   * @return the envelope's JSON text, with a new id
   */
  protected static String answer(String from, String to, int seq) {
    return EnvelopeCodec.encode(new Envelope.Answer(Ids.newId(), ROOM, from, to, "answer-" + seq));
  }
}
