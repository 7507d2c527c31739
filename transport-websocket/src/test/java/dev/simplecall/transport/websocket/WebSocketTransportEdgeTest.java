package dev.simplecall.transport.websocket;

import static dev.simplecall.testing.RecordingTransportListener.assertSendRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.protocol.CloseCodes;
import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.protocol.ErrorCode;
import dev.simplecall.protocol.Ids;
import dev.simplecall.spi.SignalingTransport;
import dev.simplecall.spi.SignalingTransportFactory;
import dev.simplecall.spi.TransportException;
import dev.simplecall.spi.TransportOptions;
import dev.simplecall.testing.RecordingTransportListener;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import okhttp3.OkHttpClient;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What the real server does not easily provoke: refused upgrades, refused joins, a server that
 * upgrades but never welcomes. The server side is OkHttp's MockWebServer speaking just enough of the
 * protocol, scripted per test.
 */
@Tag("fast")
class WebSocketTransportEdgeTest {
  /** Longer than two of the tests' longest backoff (100 ms): a transport that retries does so within it. */
  private static final Duration QUIET = Duration.ofMillis(250);

  private final MockWebServer server = new MockWebServer();
  private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
  private final List<SignalingTransport> transports = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (SignalingTransport t : transports) t.close();
    server.shutdown();
  }

  @Test
  void upgradeRefusedWith401IsTerminalWithoutRetry() throws Exception {
    server.enqueue(new MockResponse().setResponseCode(401));
    RecordingTransportListener events = new RecordingTransportListener("alice");
    SignalingTransport t = open(options().token("t0k3n").build(), events);

    TransportException e = events.expectFailure(RecordingTransportListener.WAIT);
    assertEquals(TransportException.Kind.UNAUTHORIZED, e.kind());
    assertSendRefused(t);
    events.assertNoMoreEvents(QUIET);
    assertEquals(1, server.getRequestCount(), "reconnected after 401");
    RecordedRequest upgrade = server.takeRequest();
    assertEquals("Bearer t0k3n", upgrade.getHeader("Authorization"));
    assertEquals("/v1/ws", upgrade.getPath(), "a URI without a path gets /v1/ws");
  }

  @Test
  void upgradeRequestSaysSimplecallAndTheBuildVersion() throws Exception {
    String version = System.getProperty("simplecall.expectedVersion");
    assertNotNull(version, "surefire passes the POM's version as simplecall.expectedVersion");
    server.enqueue(new MockResponse().setResponseCode(401));
    RecordingTransportListener events = new RecordingTransportListener("alice");
    open(options().build(), events);

    events.expectFailure(RecordingTransportListener.WAIT);
    RecordedRequest upgrade = server.takeRequest(10, TimeUnit.SECONDS);
    assertNotNull(upgrade, "no upgrade request reached the server");
    assertEquals("simplecall/" + version, upgrade.getHeader("User-Agent"));
  }

  @Test
  void unauthorizedAnswerToJoinIsTerminalWithoutRetry() {
    server.enqueue(upgrade((ws, join) -> ws.send(error(join, ErrorCode.UNAUTHORIZED))));
    RecordingTransportListener events = new RecordingTransportListener("alice");
    open(options().build(), events);

    assertEquals(TransportException.Kind.UNAUTHORIZED, events.expectFailure(RecordingTransportListener.WAIT).kind());
    events.assertNoMoreEvents(QUIET);
    assertEquals(1, server.getRequestCount(), "reconnected after unauthorized");
  }

  @Test
  void closeForAnExpiredTokenIsTerminalWithoutRetry() {
    server.enqueue(upgrade((ws, join) -> {
      ws.send(welcome(join));
      ws.close(CloseCodes.TOKEN_EXPIRED, "token expired");
    }));
    RecordingTransportListener events = new RecordingTransportListener("alice");
    SignalingTransport t = open(options().token("short-lived").build(), events);

    events.expectOpen();
    events.expectEnvelope(Envelope.Welcome.class);
    TransportException e = events.expectFailure(RecordingTransportListener.WAIT);
    assertEquals(TransportException.Kind.UNAUTHORIZED, e.kind());
    assertTrue(e.getMessage().contains("expired"), e.getMessage());
    assertSendRefused(t);
    events.assertNoMoreEvents(QUIET);
    assertEquals(1, server.getRequestCount(), "reconnected with a token that had expired");
  }

  @Test
  void roomFullIsRefusedWithoutRetry() {
    server.enqueue(upgrade((ws, join) -> ws.send(error(join, ErrorCode.ROOM_FULL))));
    RecordingTransportListener events = new RecordingTransportListener("alice");
    open(options().build(), events);

    assertEquals(TransportException.Kind.REFUSED, events.expectFailure(RecordingTransportListener.WAIT).kind());
    events.assertNoMoreEvents(QUIET);
  }

  @Test
  void wrongPathIsAProtocolFailure() {
    server.enqueue(new MockResponse().setResponseCode(404));
    RecordingTransportListener events = new RecordingTransportListener("alice");
    open(options().build(), events);

    TransportException e = events.expectFailure(RecordingTransportListener.WAIT);
    assertEquals(TransportException.Kind.PROTOCOL, e.kind());
    assertTrue(e.getMessage().contains("404"), e.getMessage());
  }

  @Test
  void upgradeWithoutWelcomeTimesOutAndTriesAgain() throws Exception {
    server.enqueue(upgrade((ws, join) -> {})); // swallows the join
    server.enqueue(upgrade((ws, join) -> ws.send(welcome(join))));
    RecordingTransportListener events = new RecordingTransportListener("alice");
    open(options().connectTimeout(Duration.ofMillis(300)).build(), events);

    assertInstanceOf(SocketTimeoutException.class, events.expectReconnecting());
    events.expectOpen();
    events.expectEnvelope(Envelope.Welcome.class);
    events.assertNoMoreEvents(QUIET);
    assertEquals(2, server.getRequestCount());
  }

  @Test
  void aServerRestartingReconnectsAtOnceNotAfterTheBackoff() throws Exception {
    server.enqueue(upgrade((ws, join) -> {
      ws.send(welcome(join));
      ws.close(CloseCodes.RESTARTING, "server restarting");
    }));
    server.enqueue(upgrade((ws, join) -> ws.send(welcome(join))));
    RecordingTransportListener events = new RecordingTransportListener("alice");
    Duration backoff = Duration.ofSeconds(5);
    open(options().initialBackoff(backoff).maxBackoff(backoff).build(), events);

    events.expectOpen();
    events.expectEnvelope(Envelope.Welcome.class);
    events.expectReconnecting();
    long t0 = System.nanoTime();
    events.expectOpen();
    events.expectEnvelope(Envelope.Welcome.class);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(ms < backoff.toMillis() / 2, "reconnected after " + ms + " ms, as after a backoff of " + backoff);
    assertEquals(2, server.getRequestCount());
  }

  @Test
  void everyConnectJoinsAgainAndQueuedMessagesFollowTheWelcomeInOrder() throws Exception {
    server.enqueue(upgrade((ws, join) -> {
      ws.send(welcome(join));
      ws.close(1001, "going away");
    }));
    server.enqueue(upgrade((ws, join) -> ws.send(welcome(join))));
    RecordingTransportListener events = new RecordingTransportListener("alice");
    SignalingTransport t = open(options().token("tk").build(), events);

    events.expectOpen();
    events.expectEnvelope(Envelope.Welcome.class);
    events.expectReconnecting();
    for (int i = 0; i < 5; i++) assertTrue(t.send(bye(i)));
    events.expectOpen();
    events.expectEnvelope(Envelope.Welcome.class);

    Envelope.Join first = (Envelope.Join) EnvelopeCodec.decode(take());
    Envelope.Join second = (Envelope.Join) EnvelopeCodec.decode(take());
    assertEquals("alice", second.from());
    assertEquals("tk", second.token());
    assertTrue(!first.id().equals(second.id()), "each join has its own id");
    for (int i = 0; i < 5; i++) {
      assertEquals("reason-" + i, ((Envelope.Bye) EnvelopeCodec.decode(take())).reason());
    }
    t.close();
    events.expectClosed();
    assertEquals("leave", EnvelopeCodec.decode(take()).type());
    events.assertNoMoreEvents(QUIET);
  }

  @Test
  void wssWithTheAppsOwnClientKeepsThePath() throws Exception {
    HeldCertificate certificate = new HeldCertificate.Builder().addSubjectAlternativeName("127.0.0.1").build();
    server.useHttps(new HandshakeCertificates.Builder().heldCertificate(certificate).build().sslSocketFactory(), false);
    server.enqueue(upgrade((ws, join) -> ws.send(welcome(join))));
    HandshakeCertificates clientTls = new HandshakeCertificates.Builder()
        .addTrustedCertificate(certificate.certificate()).build();
    OkHttpClient trusting = new OkHttpClient.Builder()
        .sslSocketFactory(clientTls.sslSocketFactory(), clientTls.trustManager()).build();
    RecordingTransportListener events = new RecordingTransportListener("alice");
    URI uri = URI.create("wss://127.0.0.1:" + server.getPort() + "/custom/ws");
    transports.add(WebSocketTransportFactory.create(trusting).create(uri, options().build(), events));

    events.expectOpen();
    events.expectEnvelope(Envelope.Welcome.class);
    RecordedRequest upgrade = server.takeRequest(5, TimeUnit.SECONDS);
    assertEquals("https", upgrade.getRequestUrl().scheme());
    assertEquals("/custom/ws", upgrade.getPath());
  }

  @Test
  void factoryIsFoundByServiceLoaderAndChecksTheUri() {
    SignalingTransportFactory found = null;
    for (SignalingTransportFactory f : ServiceLoader.load(SignalingTransportFactory.class)) {
      if (f.schemes().contains("ws")) found = f;
    }
    assertNotNull(found, "WebSocketTransportFactory not registered for ServiceLoader");
    assertEquals(java.util.Set.of("ws", "wss"), found.schemes());
    SignalingTransportFactory factory = found;
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> factory.create(URI.create("http://h:1"), options().build(), new RecordingTransportListener("x")));
    assertTrue(e.getMessage().contains("http://h:1"), e.getMessage());
  }

  // ---- the scripted server side

  /** An upgrade whose server side answers the client's join with {@code onJoin} and records the rest. */
  private MockResponse upgrade(BiConsumer<WebSocket, Envelope.Join> onJoin) {
    return new MockResponse()
        .withWebSocketUpgrade(
            new WebSocketListener() {
              @Override
              public void onMessage(WebSocket ws, String text) {
                received.add(text);
                try {
                  if (EnvelopeCodec.decode(text) instanceof Envelope.Join j) onJoin.accept(ws, j);
                } catch (Exception e) {
                  ws.close(1011, e.toString());
                }
              }

              @Override
              public void onClosing(WebSocket ws, int code, String reason) {
                ws.close(1000, null);
              }
            });
  }

  private String take() throws InterruptedException {
    String text = received.poll(10, TimeUnit.SECONDS);
    assertNotNull(text, "server received nothing");
    return text;
  }

  private SignalingTransport open(TransportOptions options, RecordingTransportListener events) {
    URI uri = URI.create("ws://127.0.0.1:" + server.getPort());
    SignalingTransport t = new WebSocketTransportFactory().create(uri, options, events);
    transports.add(t);
    return t;
  }

  private static TransportOptions.Builder options() {
    return TransportOptions.builder()
        .room("r1")
        .peerId("alice")
        .connectTimeout(Duration.ofSeconds(2))
        .initialBackoff(Duration.ofMillis(20))
        .maxBackoff(Duration.ofMillis(100));
  }

  private static String welcome(Envelope.Join join) {
    return EnvelopeCodec.encode(new Envelope.Welcome(Ids.newId(), join.room(), join.from(), List.of(), List.of()));
  }

  private static String error(Envelope.Join join, ErrorCode code) {
    return EnvelopeCodec.encode(new Envelope.Error(Ids.newId(), join.room(), join.from(), code, "no", join.id()));
  }

  private static String bye(int i) {
    return EnvelopeCodec.encode(new Envelope.Bye(Ids.newId(), "r1", "alice", "bob", "reason-" + i));
  }
}
