package dev.simplecall.server;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.ErrorCode;
import dev.simplecall.protocol.Ids;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A WebSocket out of any room for longer than the join timeout, one that never joined, was refused or
 * left, hears {@code not-joined} and is closed with 4008; members are not touched, however long they stay.
 */
@Tag("fast")
class JoinTimeoutTest {
  private static final Duration TIMEOUT = Duration.ofMillis(400);
  /** The check runs every quarter of the timeout; the rest is a busy machine's slack. */
  private static final Duration LATEST = TIMEOUT.plusMillis(1500);

  private SignalingServer server;

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  @Test
  void aWebSocketThatNeverJoinsIsClosedWhileMembersStay() throws Exception {
    server = SignalingServer.builder().port(0).joinTimeout(TIMEOUT).build().start();
    try (WsTestClient alice = new WsTestClient(TestHttp.CLIENT, server.port());
        WsTestClient bob = new WsTestClient(TestHttp.CLIENT, server.port());
        WsTestClient idle = new WsTestClient(TestHttp.CLIENT, server.port())) {
      alice.join("r1", "alice", null);
      bob.join("r1", "bob", null);
      alice.expect(Envelope.PeerJoined.class);
      idle.opened.get(10, SECONDS);
      long from = System.nanoTime();

      assertTrue(idle.expectError(ErrorCode.NOT_JOINED).message().contains("no join within " + TIMEOUT.toMillis() + " ms"));
      assertEquals("4008 no join within " + TIMEOUT.toMillis() + " ms", idle.awaitClose());
      assertWithinTheTimeout(from);

      // Past the timeout, the members still talk.
      alice.send(new Envelope.Offer("o1", "r1", "alice", "bob", "v=0"));
      assertEquals("o1", bob.expect(Envelope.Offer.class).id());
      assertEquals(2, server.peerCount());
    }
  }

  @Test
  void aWebSocketThatLeavesIsClosedOnceTheTimeoutPassedSinceTheLeave() throws Exception {
    server = SignalingServer.builder().port(0).joinTimeout(TIMEOUT).build().start();
    try (WsTestClient alice = new WsTestClient(TestHttp.CLIENT, server.port())) {
      alice.join("r1", "alice", null);
      // In the room for longer than the timeout: nothing happens.
      assertNull(alice.received.poll(TIMEOUT.plusMillis(500).toMillis(), MILLISECONDS));
      alice.send(new Envelope.Leave(Ids.newId(), "r1", "alice"));
      long left = System.nanoTime();
      alice.expectError(ErrorCode.NOT_JOINED);
      assertEquals("4008 no join within " + TIMEOUT.toMillis() + " ms", alice.awaitClose());
      assertWithinTheTimeout(left);
    }
  }

  @Test
  void aWebSocketWhoseJoinWasRefusedIsClosedAtTheTimeout() throws Exception {
    server = SignalingServer.builder().port(0).roomSize(1).joinTimeout(TIMEOUT).build().start();
    try (WsTestClient alice = new WsTestClient(TestHttp.CLIENT, server.port());
        WsTestClient bob = new WsTestClient(TestHttp.CLIENT, server.port())) {
      alice.join("r1", "alice", null);
      bob.opened.get(10, SECONDS);
      long from = System.nanoTime();
      bob.send(new Envelope.Join(Ids.newId(), "r1", "bob", null));
      bob.expectError(ErrorCode.ROOM_FULL);
      bob.expectError(ErrorCode.NOT_JOINED);
      assertEquals("4008 no join within " + TIMEOUT.toMillis() + " ms", bob.awaitClose());
      assertWithinTheTimeout(from);
      assertEquals(1, server.peerCount());
    }
  }

  private static void assertWithinTheTimeout(long fromNanos) {
    Duration took = Duration.ofNanos(System.nanoTime() - fromNanos);
    assertTrue(took.compareTo(TIMEOUT.minusMillis(100)) >= 0, "closed before the timeout: " + took);
    assertTrue(took.compareTo(LATEST) <= 0, "closed late: " + took);
  }
}
