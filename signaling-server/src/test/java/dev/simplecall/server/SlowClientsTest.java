package dev.simplecall.server;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.Ids;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that send their requests slowly (slowloris) cannot hold sockets: a connection whose request,
 * headers and announced body, has not arrived whole within the request-read timeout is closed, the
 * first request counted from the accept, a later one from its first bytes. Upgraded WebSockets, held
 * long-polls and idle keep-alive connections are left alone. Full tier: each case waits out the timeout.
 */
class SlowClientsTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(3);
  /** The sweep runs every quarter of the timeout; the rest is a busy machine's slack. */
  private static final Duration LATEST = TIMEOUT.plusMillis(2000);

  @TempDir Path dir;
  private SignalingServer server;

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  private SignalingServer start(SignalingServer.Builder builder) {
    server = builder.port(0).requestReadTimeout(TIMEOUT).build().start();
    return server;
  }

  @Test
  void socketsTricklingHeadersAreClosedAtTheTimeoutWhileCallsAndHeldPollsGoOn() throws Exception {
    start(SignalingServer.builder());
    try (WsTestClient alice = new WsTestClient(TestHttp.CLIENT, server.port());
        WsTestClient bob = new WsTestClient(TestHttp.CLIENT, server.port())) {
      alice.join("call", "alice", null);
      bob.join("call", "bob", null);
      alice.expect(Envelope.PeerJoined.class);
      PollTestClient carol = new PollTestClient(TestHttp.CLIENT, server.port());
      PollTestClient.Reply joined = carol.create(new Envelope.Join(Ids.newId(), "call", "carol", null));
      assertEquals(201, joined.status(), joined.text());
      alice.expect(Envelope.PeerJoined.class);
      bob.expect(Envelope.PeerJoined.class);
      long heldFrom = System.nanoTime();
      CompletableFuture<PollTestClient.Reply> held = carol.pollAsync(joined.session(), joined.cursor(), 4 * TIMEOUT.toMillis());
      await().atMost(10, SECONDS).until(() -> server.parts().poll().holding(joined.session()));

      List<Duration> lasted;
      try (SlowSockets slow = new SlowSockets(server.port(), 100, "GET / HTTP/1.1\r\n")) {
        lasted = slow.trickle("X-Slow: 1\r\n", Duration.ofSeconds(2), LATEST.plusSeconds(5));
      }
      for (Duration d : lasted) {
        assertNotNull(d, "a slow socket was still open after " + LATEST.plusSeconds(5) + ": " + lasted);
        assertTrue(d.compareTo(TIMEOUT.minusMillis(100)) >= 0, "closed before the timeout: " + d);
        assertTrue(d.compareTo(LATEST) <= 0, "closed late: " + d);
      }

      // Past the timeout, the call goes on and the poll held since before it answers.
      alice.send(new Envelope.Offer("o1", "call", "alice", "bob", "v=0"));
      assertEquals("o1", bob.expect(Envelope.Offer.class).id());
      assertTrue(Duration.ofNanos(System.nanoTime() - heldFrom).compareTo(TIMEOUT) > 0);
      alice.send(new Envelope.Offer("o2", "call", "alice", "carol", "v=0"));
      PollTestClient.Reply answered = held.get(10, SECONDS);
      assertEquals(200, answered.status(), answered.text());
      assertEquals("o2", answered.messages().get(0).id());
    }
  }

  @Test
  void aSilentSocketAndATrickledBodyAreClosedAtTheTimeout() throws Exception {
    start(SignalingServer.builder());
    try (Socket silent = connect()) {
      assertClosedAtTheTimeout(SlowSockets.trickle(silent, List.of(), Duration.ofMillis(500), LATEST.plusSeconds(5)));
    }
    try (Socket slowBody = connect()) {
      String headers = "POST /v1/poll/sessions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
          + "Content-Length: 200\r\n\r\n";
      List<String> pieces = new ArrayList<>(List.of(headers));
      for (int i = 0; i < 100; i++) pieces.add(" ");
      assertClosedAtTheTimeout(SlowSockets.trickle(slowBody, pieces, Duration.ofMillis(500), LATEST.plusSeconds(5)));
    }
  }

  @Test
  void anIdleKeepAliveConnectionStaysButASlowSecondRequestOnItIsClosed() throws Exception {
    start(SignalingServer.builder());
    try (Socket s = connect()) {
      String join = "{\"v\":1,\"type\":\"join\",\"id\":\"j1\",\"room\":\"r1\",\"from\":\"alice\"}";
      String first = "POST /v1/poll/sessions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + join.length() + "\r\n\r\n" + join;
      s.getOutputStream().write(first.getBytes(StandardCharsets.US_ASCII));
      assertTrue(readResponse(s.getInputStream()).startsWith("HTTP/1.1 201"));
      // Idle for longer than the timeout: nothing is owed, the connection stays.
      assertEquals(null, SlowSockets.trickle(s, List.of(), Duration.ofMillis(500), TIMEOUT.plusSeconds(1)));
      String health = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
      s.getOutputStream().write(health.getBytes(StandardCharsets.US_ASCII));
      assertTrue(readResponse(s.getInputStream()).startsWith("HTTP/1.1 200"), "the kept-alive connection was closed");
      // A second request trickled on it is due within the timeout from its first bytes.
      List<String> pieces = new ArrayList<>(List.of("GET /healthz HTTP/1.1\r\n"));
      for (int i = 0; i < 100; i++) pieces.add("X-Slow: " + i + "\r\n");
      assertClosedAtTheTimeout(SlowSockets.trickle(s, pieces, Duration.ofSeconds(1), LATEST.plusSeconds(5)));
    }
  }

  @Test
  void overTlsAStalledHandshakeAndTrickledHeadersAreClosedToo() throws Exception {
    TestPki pki = TestPki.create(dir);
    start(SignalingServer.builder().tls(pki.serverTls().build()));
    try (Socket noHandshake = connect()) {
      // One byte of a TLS record: not enough for Jetty to tell TLS from plain HTTP.
      assertClosedAtTheTimeout(SlowSockets.trickle(noHandshake, List.of("\u0016"), Duration.ofMillis(500), LATEST.plusSeconds(5)));
    }
    try (SSLSocket tls = (SSLSocket) pki.trustingClient().sslSocketFactory().createSocket("127.0.0.1", server.port())) {
      long from = System.nanoTime();
      tls.startHandshake();
      List<String> pieces = new ArrayList<>(List.of("GET /healthz HTTP/1.1\r\n"));
      for (int i = 0; i < 100; i++) pieces.add("X-Slow: " + i + "\r\n");
      Duration headers = SlowSockets.trickle(tls, pieces, Duration.ofSeconds(1), LATEST.plusSeconds(5));
      Duration sinceConnect = Duration.ofNanos(System.nanoTime() - from);
      assertNotNull(headers, "a TLS client trickling headers was still connected after " + LATEST.plusSeconds(5));
      assertTrue(sinceConnect.compareTo(LATEST) <= 0, "closed late: " + sinceConnect);
    }
  }

  private Socket connect() throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", server.port()));
    return s;
  }

  private static void assertClosedAtTheTimeout(Duration lasted) {
    assertNotNull(lasted, "still connected after " + LATEST.plusSeconds(5));
    assertTrue(lasted.compareTo(TIMEOUT.minusMillis(300)) >= 0, "closed before the timeout: " + lasted);
    assertTrue(lasted.compareTo(LATEST) <= 0, "closed late: " + lasted);
  }

  /** Reads one response with a {@code Content-Length} body; returns its status line and headers. */
  private static String readResponse(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) throw new IOException("closed: " + head);
      head.write(b);
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String text = head.toString(StandardCharsets.US_ASCII);
    int length = 0;
    for (String line : text.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) length = Integer.parseInt(line.substring(15).trim());
    }
    in.readNBytes(length);
    return text;
  }
}
