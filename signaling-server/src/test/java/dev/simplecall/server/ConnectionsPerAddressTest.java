package dev.simplecall.server;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.protocol.Envelope;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * One client address may hold only so many TCP connections: one more is closed as soon as it is
 * accepted, while the connections it already holds (a call in progress) and other addresses (127.0.0.x:
 * the whole 127/8 answers on {@code lo}) go on; a connection given back makes room again.
 */
@Tag("fast")
class ConnectionsPerAddressTest {
  private static final String CAPPED = "127.0.0.6";
  private static final String OTHER = "127.0.0.7";

  private SignalingServer server;

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  @Test
  void oneConnectionOverTheCapIsClosedAtOnceWhileTheCallsOfThatAddressAndOtherAddressesGoOn() throws Exception {
    // A long request-read timeout: a refused socket closes at once, not when it would be late.
    server = SignalingServer.builder().port(0).maxConnectionsPerIp(4).requestReadTimeout(Duration.ofSeconds(60))
        .build().start();
    ConnectionGuard guard = server.parts().connections();
    List<Socket> held = new ArrayList<>();
    try (WsTestClient alice = new WsTestClient(TestHttp.from(CAPPED), server.port());
        WsTestClient bob = new WsTestClient(TestHttp.from(CAPPED), server.port())) {
      alice.join("call", "alice", null);
      bob.join("call", "bob", null);
      alice.expect(Envelope.PeerJoined.class);
      held.add(connect(CAPPED));
      held.add(connect(CAPPED)); // four open from CAPPED: the cap
      await().atMost(10, SECONDS).until(() -> guard.openFrom(CAPPED) == 4);

      long refusedBefore = guard.refusedOverLimit();
      try (Socket fifth = connect(CAPPED)) {
        long t0 = System.nanoTime();
        fifth.setSoTimeout(10_000);
        assertEquals(-1, readOrEnd(fifth.getInputStream()), "the fifth connection was served");
        assertTrue(System.nanoTime() - t0 < SECONDS.toNanos(2), "not closed at once");
      }
      assertFalse(answersHealthz(CAPPED), "a request over the cap was answered");
      assertEquals(refusedBefore + 2, guard.refusedOverLimit());
      assertEquals(4, guard.openFrom(CAPPED));

      // The call in progress goes on; another address connects and joins.
      alice.send(new Envelope.Offer("o1", "call", "alice", "bob", "v=0"));
      assertEquals("o1", bob.expect(Envelope.Offer.class).id());
      assertTrue(answersHealthz(OTHER));
      try (WsTestClient carol = new WsTestClient(TestHttp.from(OTHER), server.port())) {
        assertEquals(List.of("alice", "bob"), carol.join("call", "carol", null).peers());
      }

      // A connection given back is one the address may open again.
      held.remove(0).close();
      await().atMost(10, SECONDS).until(() -> guard.openFrom(CAPPED) == 3);
      assertTrue(answersHealthz(CAPPED));
    } finally {
      for (Socket s : held) s.close();
    }
    await().atMost(10, SECONDS).until(() -> guard.openFrom(CAPPED) == 0); // nothing leaks
  }

  private Socket connect(String source) throws IOException {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(source, 0));
    s.connect(new InetSocketAddress("127.0.0.1", server.port()));
    return s;
  }

  /** Sends {@code GET /healthz} on a new connection from {@code source}: true when answered 200, false when closed unanswered. */
  private boolean answersHealthz(String source) throws IOException {
    try (Socket s = connect(source)) {
      s.setSoTimeout(10_000);
      try {
        s.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII));
      } catch (IOException e) {
        return false; // reset: already closed by the server
      }
      byte[] status = new byte[12];
      int n = s.getInputStream().readNBytes(status, 0, status.length);
      return new String(status, 0, n, StandardCharsets.US_ASCII).equals("HTTP/1.1 200");
    } catch (IOException e) {
      return false; // reset while reading
    }
  }

  /** The first byte, -1 at the end of the stream (a reset counts as an end), -2 when nothing came in time. */
  private static int readOrEnd(InputStream in) {
    try {
      return in.read();
    } catch (SocketTimeoutException e) {
      return -2;
    } catch (IOException e) {
      return -1;
    }
  }
}
