package dev.simplecall.transport.httppoll;

import static dev.simplecall.testing.RecordingTransportListener.assertSendRefused;
import static dev.simplecall.transport.httppoll.ScriptedPollServer.batch;
import static dev.simplecall.transport.httppoll.ScriptedPollServer.created;
import static dev.simplecall.transport.httppoll.ScriptedPollServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.protocol.ErrorCode;
import dev.simplecall.protocol.Ids;
import dev.simplecall.spi.SignalingTransport;
import dev.simplecall.spi.SignalingTransportFactory;
import dev.simplecall.spi.TransportException;
import dev.simplecall.spi.TransportOptions;
import dev.simplecall.testing.RecordingTransportListener;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Long-poll behaviour the real server does not produce on demand: refusals, responses lost or sent
 * twice, a forgotten session, sends piling up behind a slow one. The server side is MockWebServer
 * with {@link ScriptedPollServer}.
 */
class HttpPollTransportEdgeTest {
  private static final Duration QUIET = Duration.ofMillis(400);

  private final MockWebServer server = new MockWebServer();
  private final ScriptedPollServer script = new ScriptedPollServer();
  private final List<SignalingTransport> transports = new ArrayList<>();

  HttpPollTransportEdgeTest() {
    server.setDispatcher(script);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (SignalingTransport t : transports) t.close();
    server.shutdown();
  }

  @Test
  void unauthorizedIsTerminalWithoutRetry() throws Exception {
    script.creates.add(json(401, error(ErrorCode.UNAUTHORIZED)));
    RecordingTransportListener events = new RecordingTransportListener("alice");
    SignalingTransport t = open("", options().token("s3cret").build(), events);

    assertEquals(TransportException.Kind.UNAUTHORIZED, events.expectFailure(RecordingTransportListener.WAIT).kind());
    assertSendRefused(t);
    events.assertNoMoreEvents(QUIET);
    RecordedRequest create = script.createRequests.poll();
    assertNotNull(create);
    assertEquals("Bearer s3cret", create.getHeader("Authorization"));
    Envelope.Join join = (Envelope.Join) EnvelopeCodec.decode(create.getBody().readUtf8());
    assertEquals("alice", join.from());
    assertEquals("s3cret", join.token());
    assertNull(script.createRequests.poll(), "tried again after 401");
  }

  @Test
  void everyRequestSaysSimplecallAndTheBuildVersion() throws Exception {
    String version = System.getProperty("simplecall.expectedVersion");
    assertNotNull(version, "surefire passes the POM's version as simplecall.expectedVersion");
    script.creates.add(created("s1", 1, "alice"));
    RecordingTransportListener events = new RecordingTransportListener("alice");
    SignalingTransport t = open("?waitMs=1000", options().build(), events);
    events.expectOpen();
    events.expectEnvelope(Envelope.Welcome.class);
    assertTrue(t.send(bye(2)));

    RecordedRequest create = script.createRequests.poll(10, TimeUnit.SECONDS);
    RecordedRequest poll = script.pollRequests.poll(10, TimeUnit.SECONDS);
    RecordedRequest send = script.sendRequests.poll(10, TimeUnit.SECONDS);
    assertNotNull(create, "no create request");
    assertNotNull(poll, "no poll request");
    assertNotNull(send, "no send request");
    for (RecordedRequest r : List.of(create, poll, send)) {
      assertEquals("simplecall/" + version, r.getHeader("User-Agent"), r.getMethod() + " " + r.getPath());
    }
  }

  @Test
  void fullRoomIsRefused() {
    script.creates.add(json(403, error(ErrorCode.ROOM_FULL)));
    RecordingTransportListener events = new RecordingTransportListener("alice");
    open("", options().build(), events);

    // 403 is a credentials refusal whatever the body says; a 409 with room-full is REFUSED
    assertEquals(TransportException.Kind.UNAUTHORIZED, events.expectFailure(RecordingTransportListener.WAIT).kind());
  }

  @Test
  void roomFullErrorBodyIsRefused() {
    script.creates.add(json(409, error(ErrorCode.ROOM_FULL)));
    RecordingTransportListener events = new RecordingTransportListener("alice");
    open("", options().build(), events);

    assertEquals(TransportException.Kind.REFUSED, events.expectFailure(RecordingTransportListener.WAIT).kind());
    events.assertNoMoreEvents(QUIET);
  }

  @Test
  void pollsCarryCursorAndHoldAndDropDuplicatedOrStaleResponses() throws Exception {
    script.creates.add(created("s1", 1, "alice"));
    String m2 = bye(2);
    String m3 = bye(3);
    String m4 = bye(4);
    script.polls.add(batch(3, m2, m3));
    script.polls.add(batch(3, m2, m3)); // the same response again
    script.polls.add(batch(2, m2)); // a stale one: must not move the cursor back
    script.polls.add(batch(4, m3, m4)); // overlaps
    script.polls.add(batch(5, bye(5))); // a marker: polls are answered in order, so a duplicate would come before it
    RecordingTransportListener events = new RecordingTransportListener("alice");
    open("?waitMs=1000", options().build(), events);

    events.expectOpen();
    events.expectEnvelope(Envelope.Welcome.class);
    assertEquals("reason-2", events.expectEnvelope(Envelope.Bye.class).reason());
    assertEquals("reason-3", events.expectEnvelope(Envelope.Bye.class).reason());
    assertEquals("reason-4", events.expectEnvelope(Envelope.Bye.class).reason());
    assertEquals("reason-5", events.expectEnvelope(Envelope.Bye.class).reason(), "a duplicate was delivered");
    events.assertNoMoreEvents(Duration.ZERO);

    List<String> afters = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      RecordedRequest poll = script.pollRequests.poll(5, TimeUnit.SECONDS);
      assertNotNull(poll, "poll " + i);
      assertEquals("/v1/poll/sessions/s1/messages", poll.getRequestUrl().encodedPath());
      assertEquals("1000", poll.getRequestUrl().queryParameter("waitMs"));
      afters.add(poll.getRequestUrl().queryParameter("after"));
    }
    assertEquals(List.of("1", "3", "3", "3", "4"), afters);
  }

  @Test
  void lostPollResponseIsFetchedAgainWithTheSameCursor() throws Exception {
    script.creates.add(created("s1", 5, "alice"));
    script.polls.add(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
    script.polls.add(batch(6, bye(6)));
    RecordingTransportListener events = new RecordingTransportListener("alice");
    // OkHttp would retry the GET by itself; the app's client says not to, so the transport's own
    // recovery is what runs here.
    OkHttpClient noRetry = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
    URI uri = URI.create("http://127.0.0.1:" + server.getPort() + "?waitMs=1000");
    transports.add(HttpPollTransportFactory.create(noRetry).create(uri, options().build(), events));

    events.expectOpen();
    events.expectEnvelope(Envelope.Welcome.class);
    events.expectReconnecting();
    events.expectOpen(); // the same session resumed: no new welcome
    assertEquals("reason-6", events.expectEnvelope(Envelope.Bye.class).reason());
    events.assertNoMoreEvents(QUIET);
    assertEquals("5", script.pollRequests.take().getRequestUrl().queryParameter("after"));
    assertEquals("5", script.pollRequests.take().getRequestUrl().queryParameter("after"));
    assertEquals(1, script.createRequests.size(), "resuming must not create a session");
  }

  @Test
  void pollOnForgottenSessionJoinsAgainAsTheSamePeer() throws Exception {
    script.creates.add(created("s1", 1, "alice"));
    script.polls.add(json(404, error(ErrorCode.NOT_JOINED)));
    script.creates.add(created("s2", 1, "alice"));
    RecordingTransportListener events = new RecordingTransportListener("alice");
    open("?waitMs=1000", options().build(), events);

    events.expectOpen();
    events.expectEnvelope(Envelope.Welcome.class);
    events.expectReconnecting();
    events.expectOpen();
    events.expectEnvelope(Envelope.Welcome.class);
    events.assertNoMoreEvents(QUIET);
    script.createRequests.take();
    Envelope.Join again = (Envelope.Join) EnvelopeCodec.decode(script.createRequests.take().getBody().readUtf8());
    assertEquals("alice", again.from());
    assertTrue(script.pollRequests.take().getPath().startsWith("/v1/poll/sessions/s1/messages?"));
    RecordedRequest next = script.pollRequests.poll(5, TimeUnit.SECONDS);
    assertNotNull(next, "no poll on the new session");
    assertTrue(next.getPath().startsWith("/v1/poll/sessions/s2/messages?"), next.getPath());
  }

  @Test
  void sendToForgottenSessionIsSentAgainAfterJoiningAgain() throws Exception {
    script.creates.add(created("s1", 1, "alice"));
    script.sends.add(json(404, error(ErrorCode.NOT_JOINED)));
    script.creates.add(created("s2", 1, "alice"));
    RecordingTransportListener events = new RecordingTransportListener("alice");
    SignalingTransport t = open("?waitMs=1000", options().build(), events);
    events.expectOpen();
    events.expectEnvelope(Envelope.Welcome.class);

    assertTrue(t.send(bye(1)));
    events.expectReconnecting();
    events.expectOpen();
    events.expectEnvelope(Envelope.Welcome.class);
    events.assertNoMoreEvents(QUIET);
    RecordedRequest first = script.sendRequests.poll(5, TimeUnit.SECONDS);
    assertEquals("/v1/poll/sessions/s1/messages", first.getPath());
    RecordedRequest again = script.sendRequests.poll(5, TimeUnit.SECONDS);
    assertNotNull(again, "not sent again");
    assertEquals("/v1/poll/sessions/s2/messages", again.getPath());
    assertEquals("reason-1", ((Envelope.Bye) EnvelopeCodec.decode(again.getBody().readUtf8())).reason());
  }

  @Test
  void sendsQueuedWhileOneIsInFlightGoOutAsOneOrderedArray() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    script.creates.add(created("s1", 1, "alice"));
    RecordingTransportListener events = new RecordingTransportListener("alice");
    server.setDispatcher(new okhttp3.mockwebserver.Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        if (request.getMethod().equals("POST") && request.getPath().endsWith("/messages")) {
          script.sendRequests.add(request);
          release.await(10, TimeUnit.SECONDS); // the first send is slow
          return new MockResponse().setResponseCode(202);
        }
        return script.dispatch(request);
      }
    });
    SignalingTransport t = open("?waitMs=1000", options().build(), events);
    events.expectOpen();
    events.expectEnvelope(Envelope.Welcome.class);

    assertTrue(t.send(bye(0)));
    assertNotNull(script.sendRequests.poll(10, TimeUnit.SECONDS), "first send");
    for (int i = 1; i <= 10; i++) assertTrue(t.send(bye(i)));
    release.countDown();
    RecordedRequest second = script.sendRequests.poll(10, TimeUnit.SECONDS);
    assertNotNull(second, "second send");
    List<String> items = EnvelopeCodec.splitArray(second.getBody().readUtf8());
    assertEquals(10, items.size(), "the ten queued messages in one request");
    for (int i = 1; i <= 10; i++) {
      assertEquals("reason-" + i, ((Envelope.Bye) EnvelopeCodec.decode(items.get(i - 1))).reason());
    }
    assertEquals(List.of("reason-99"), reasonsInTheSendOfAMarker(t), "more sends than needed");
  }

  @Test
  void aRefusedBatchIsSentAgainOneByOneAndOnlyTheBadMessageIsDropped() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    script.creates.add(created("s1", 1, "alice"));
    script.sends.add(new MockResponse().setResponseCode(202)); // bye 0, held below
    script.sends.add(json(400, error(ErrorCode.BAD_JSON))); // the batch [1, 2, 3]
    script.sends.add(new MockResponse().setResponseCode(202)); // 1 alone
    script.sends.add(json(400, error(ErrorCode.BAD_JSON))); // 2 alone: the bad one
    script.sends.add(new MockResponse().setResponseCode(202)); // 3 alone
    server.setDispatcher(new okhttp3.mockwebserver.Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        if (request.getMethod().equals("POST") && request.getPath().endsWith("/messages")
            && script.sendRequests.isEmpty()) {
          release.await(10, TimeUnit.SECONDS); // the first send is slow, so the next three queue up
        }
        return script.dispatch(request);
      }
    });
    RecordingTransportListener events = new RecordingTransportListener("alice");
    SignalingTransport t = open("?waitMs=1000", options().build(), events);
    events.expectOpen();
    events.expectEnvelope(Envelope.Welcome.class);

    assertTrue(t.send(bye(0)));
    for (int i = 1; i <= 3; i++) assertTrue(t.send(bye(i)));
    release.countDown();

    assertEquals("bad-json", events.expectEnvelope(Envelope.Error.class).code(), "the server's refusal is reported");
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      RecordedRequest r = script.sendRequests.poll(10, TimeUnit.SECONDS);
      assertNotNull(r, "send " + i);
      bodies.add(r.getBody().readUtf8());
    }
    assertEquals("reason-0", ((Envelope.Bye) EnvelopeCodec.decode(bodies.get(0))).reason());
    assertEquals(3, EnvelopeCodec.splitArray(bodies.get(1)).size(), "second request is the batch: " + bodies.get(1));
    for (int i = 2; i < 5; i++) {
      assertEquals("reason-" + (i - 1), ((Envelope.Bye) EnvelopeCodec.decode(bodies.get(i))).reason());
    }
    assertEquals(List.of("reason-99"), reasonsInTheSendOfAMarker(t), "the bad message was sent again");
    events.assertNoMoreEvents(Duration.ZERO);
  }

  @Test
  void aRateLimitedBatchIsRetriedLaterOneByOneAndNothingIsLost() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    script.creates.add(created("s1", 1, "alice"));
    script.sends.add(new MockResponse().setResponseCode(202)); // bye 0, held below
    script.sends.add(json(429, error(ErrorCode.RATE_LIMITED))); // the batch [1, 2, 3]: nothing was sent
    server.setDispatcher(new okhttp3.mockwebserver.Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        if (request.getMethod().equals("POST") && request.getPath().endsWith("/messages")
            && script.sendRequests.isEmpty()) {
          release.await(10, TimeUnit.SECONDS);
        }
        return script.dispatch(request);
      }
    });
    RecordingTransportListener events = new RecordingTransportListener("alice");
    SignalingTransport t = open("?waitMs=1000", options().build(), events);
    events.expectOpen();
    events.expectEnvelope(Envelope.Welcome.class);

    for (int i = 0; i <= 3; i++) assertTrue(t.send(bye(i)));
    release.countDown();

    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      RecordedRequest r = script.sendRequests.poll(10, TimeUnit.SECONDS);
      assertNotNull(r, "send " + i);
      bodies.add(r.getBody().readUtf8());
    }
    assertEquals(3, EnvelopeCodec.splitArray(bodies.get(1)).size(), "second request is the batch: " + bodies.get(1));
    for (int i = 2; i < 5; i++) {
      assertEquals("reason-" + (i - 1), ((Envelope.Bye) EnvelopeCodec.decode(bodies.get(i))).reason());
    }
    assertEquals(List.of("reason-99"), reasonsInTheSendOfAMarker(t), "sent more than once");
    events.assertNoMoreEvents(Duration.ZERO); // rate limiting is not an outage
  }

  @Test
  void closeDeletesTheSession() throws Exception {
    script.creates.add(created("s1", 1, "alice"));
    RecordingTransportListener events = new RecordingTransportListener("alice");
    SignalingTransport t = open("?waitMs=1000", options().build(), events);
    events.expectOpen();
    events.expectEnvelope(Envelope.Welcome.class);

    t.close();
    events.expectClosed();
    RecordedRequest delete = script.deleteRequests.poll(10, TimeUnit.SECONDS);
    assertNotNull(delete, "no DELETE");
    assertEquals("/v1/poll/sessions/s1", delete.getPath());
    events.assertNoMoreEvents(QUIET);
  }

  @Test
  void httpsWithTheAppsOwnClientAndABasePath() throws Exception {
    HeldCertificate certificate = new HeldCertificate.Builder().addSubjectAlternativeName("127.0.0.1").build();
    server.useHttps(new HandshakeCertificates.Builder().heldCertificate(certificate).build().sslSocketFactory(), false);
    script.creates.add(created("s1", 1, "alice"));
    script.polls.add(batch(2, bye(2)));
    HandshakeCertificates clientTls = new HandshakeCertificates.Builder()
        .addTrustedCertificate(certificate.certificate()).build();
    OkHttpClient trusting = new OkHttpClient.Builder()
        .sslSocketFactory(clientTls.sslSocketFactory(), clientTls.trustManager()).build();
    RecordingTransportListener events = new RecordingTransportListener("alice");
    URI uri = URI.create("https://127.0.0.1:" + server.getPort() + "/signaling/?waitMs=1000");
    transports.add(HttpPollTransportFactory.create(trusting).create(uri, options().build(), events));

    events.expectOpen();
    events.expectEnvelope(Envelope.Welcome.class);
    assertEquals("reason-2", events.expectEnvelope(Envelope.Bye.class).reason());
    RecordedRequest create = script.createRequests.poll(5, TimeUnit.SECONDS);
    assertNotNull(create);
    assertEquals("https", create.getRequestUrl().scheme());
    assertEquals("/signaling/v1/poll/sessions", create.getPath());
    assertTrue(script.pollRequests.take().getPath().startsWith("/signaling/v1/poll/sessions/s1/messages?"));
  }

  @Test
  void factoryIsFoundByServiceLoaderAndChecksTheUri() {
    SignalingTransportFactory found = null;
    for (SignalingTransportFactory f : ServiceLoader.load(SignalingTransportFactory.class)) {
      if (f.schemes().contains("http")) found = f;
    }
    assertNotNull(found, "HttpPollTransportFactory not registered for ServiceLoader");
    assertEquals(Set.of("http", "https"), found.schemes());
    SignalingTransportFactory factory = found;
    for (String bad : List.of("ws://h:1", "http://h:1?waitMs=-1", "http://h:1?waitMs=abc", "http://h:1?waitMs=999999")) {
      IllegalArgumentException e = assertThrows(
          IllegalArgumentException.class,
          () -> factory.create(URI.create(bad), options().build(), new RecordingTransportListener("x")),
          bad);
      assertTrue(e.getMessage().contains(bad), e.getMessage());
    }
  }

  private SignalingTransport open(String query, TransportOptions options, RecordingTransportListener events) {
    URI uri = URI.create("http://127.0.0.1:" + server.getPort() + query);
    SignalingTransport t = new HttpPollTransportFactory().create(uri, options, events);
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

  private static String error(ErrorCode code) {
    return EnvelopeCodec.encode(new Envelope.Error(Ids.newId(), "r1", "alice", code, "no", null));
  }

  /**
   * Sends a marker and returns the reasons of the byes in the next send request. The transport sends
   * its queue in order, one request at a time, and a retry keeps its place at the head: anything it
   * still meant to send goes out before the marker or with it, so a request of the marker alone shows
   * that nothing more was owed.
   */
  private List<String> reasonsInTheSendOfAMarker(SignalingTransport t) throws Exception {
    assertTrue(t.send(bye(99)));
    RecordedRequest r = script.sendRequests.poll(10, TimeUnit.SECONDS);
    assertNotNull(r, "the marker was not sent");
    List<String> reasons = new ArrayList<>();
    for (String item : EnvelopeCodec.splitArray(r.getBody().readUtf8())) {
      reasons.add(((Envelope.Bye) EnvelopeCodec.decode(item)).reason());
    }
    return reasons;
  }

  private static String bye(int i) {
    return EnvelopeCodec.encode(new Envelope.Bye(Ids.newId(), "r1", "bob", "alice", "reason-" + i));
  }
}
