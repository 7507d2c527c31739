package dev.simplecall.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.protocol.Ids;
import dev.simplecall.spi.SignalingTransport;
import dev.simplecall.spi.SignalingTransportFactory;
import dev.simplecall.spi.TransportException;
import dev.simplecall.spi.TransportOptions;
import dev.simplecall.testing.RecordingTransportListener;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A transport of the signaling server ({@code wss://}, {@code https://}) against the server with TLS
 * on, a test CA's certificate: with the CA trusted two peers join and exchange messages; without it
 * the first attempt fails for good with {@code CONFIGURATION}, naming the refused certificate; the
 * plain-text scheme on the TLS port is a {@code PROTOCOL} failure (the server answers 400).
 */
public abstract class TlsTransportTest {
  private static final Duration QUIET = Duration.ofMillis(500);

  @TempDir protected Path dir;
  protected TestPki pki;
  protected SignalingServer server;
  private final List<SignalingTransport> transports = new ArrayList<>();
  private final List<SignalingTransportFactory> factories = new ArrayList<>();

  /** The TLS endpoint of a server on {@code port}, e.g. {@code wss://127.0.0.1:PORT/v1/ws}. */
  protected abstract URI endpoint(int port);

  /** The same endpoint with the plain-text scheme ({@code ws://}, {@code http://}). */
  protected abstract URI plainEndpoint(int port);

  /** A factory whose transports use {@code client}. */
  protected abstract SignalingTransportFactory factory(OkHttpClient client);

  /** A factory with its own client, trusting the system's CAs only. */
  protected abstract SignalingTransportFactory defaultFactory();

  @BeforeEach
  void startServer() throws Exception {
    pki = TestPki.create(dir);
    server = SignalingServer.builder().port(0).tls(pki.serverTls().build()).build().start();
  }

  @AfterEach
  void stopAll() {
    for (SignalingTransport t : transports) t.close();
    for (SignalingTransportFactory f : factories) f.close();
    server.close();
  }

  private SignalingTransport open(SignalingTransportFactory factory, URI uri, String peer, RecordingTransportListener events) {
    factories.add(factory);
    SignalingTransport t = factory.create(uri, TransportOptions.builder().room("r1").peerId(peer).build(), events);
    transports.add(t);
    return t;
  }

  @Test
  void withTheCaTrustedTwoPeersJoinAndExchangeMessages() {
    SignalingTransportFactory trusting = factory(pki.trustingClient());
    RecordingTransportListener alice = new RecordingTransportListener("alice");
    SignalingTransport a = open(trusting, endpoint(server.port()), "alice", alice);
    alice.expectOpen();
    alice.expectEnvelope(Envelope.Welcome.class);
    RecordingTransportListener bob = new RecordingTransportListener("bob");
    SignalingTransport b = open(trusting, endpoint(server.port()), "bob", bob);
    bob.expectOpen();
    assertEquals(List.of("alice"), bob.expectEnvelope(Envelope.Welcome.class).peers());
    assertEquals("bob", alice.expectEnvelope(Envelope.PeerJoined.class).peer());

    assertTrue(a.send(EnvelopeCodec.encode(new Envelope.Offer(Ids.newId(), "r1", "alice", "bob", "v=0 over tls"))));
    assertEquals("v=0 over tls", bob.expectEnvelope(Envelope.Offer.class).sdp());
    assertTrue(b.send(EnvelopeCodec.encode(new Envelope.Answer(Ids.newId(), "r1", "bob", "alice", "v=0 back"))));
    assertEquals("v=0 back", alice.expectEnvelope(Envelope.Answer.class).sdp());
    alice.assertNoMoreEvents(QUIET);
  }

  @Test
  void withoutTheCaTheFirstAttemptFailsForGoodAsConfiguration() {
    RecordingTransportListener alice = new RecordingTransportListener("alice");
    SignalingTransport a = open(defaultFactory(), endpoint(server.port()), "alice", alice);
    TransportException e = alice.expectFailure(RecordingTransportListener.WAIT); // no onReconnecting first
    assertEquals(TransportException.Kind.CONFIGURATION, e.kind(), e.toString());
    assertTrue(e.getMessage().startsWith("TLS: the certificate of 127.0.0.1:" + server.port() + " was refused: "), e.getMessage());
    assertTrue(e.getMessage().contains("PKIX path building failed"), e.getMessage());
    assertTrue(hasCause(e, SSLHandshakeException.class), "cause: " + e.getCause());
    RecordingTransportListener.assertSendRefused(a);
    alice.assertNoMoreEvents(QUIET);
    assertEquals(0, server.peerCount());
  }

  @Test
  void thePlainTextSchemeOnTheTlsPortFailsForGoodAsProtocol() {
    RecordingTransportListener alice = new RecordingTransportListener("alice");
    open(defaultFactory(), plainEndpoint(server.port()), "alice", alice);
    TransportException e = alice.expectFailure(RecordingTransportListener.WAIT);
    assertEquals(TransportException.Kind.PROTOCOL, e.kind(), e.toString());
    assertTrue(e.getMessage().contains("HTTP 400"), e.getMessage());
    alice.assertNoMoreEvents(QUIET);
    assertEquals(0, server.peerCount());
  }

  private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (type.isInstance(c)) return true;
    }
    return false;
  }
}
