package dev.simplecall.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.ErrorCode;
import dev.simplecall.protocol.Ids;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class WebSocketRoutingTest {
  private SignalingServer server;

  @BeforeEach
  void start() {
    server = SignalingServer.builder().port(0).roomSize(3).build().start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private WsTestClient client() {
    return new WsTestClient(TestHttp.CLIENT, server.port());
  }

  @Test
  void joinWelcomesAndAnnouncesThenRoutesWithServerSetFrom() throws Exception {
    try (WsTestClient alice = client(); WsTestClient bob = client()) {
      Envelope.Welcome wa = alice.join("r1", "alice", null);
      assertEquals(List.of(), wa.peers());
      assertEquals("alice", wa.to());
      Envelope.Welcome wb = bob.join("r1", "bob", null);
      assertEquals(List.of("alice"), wb.peers());
      assertEquals("bob", alice.expect(Envelope.PeerJoined.class).peer());

      // Spoofed from and room: the server overwrites both.
      bob.send(new Envelope.Offer("o1", "elsewhere", "mallory", "alice", "v=0 offer"));
      Envelope.Offer offer = alice.expect(Envelope.Offer.class);
      assertEquals("bob", offer.from());
      assertEquals("r1", offer.room());
      assertEquals("o1", offer.id());
      assertEquals("v=0 offer", offer.sdp());

      alice.send(new Envelope.Answer("a1", "r1", "alice", "bob", "v=0 answer"));
      assertEquals("alice", bob.expect(Envelope.Answer.class).from());
      alice.send(new Envelope.Candidate("c1", "r1", "alice", "bob",
          new Envelope.IceCandidate("candidate:1 1 udp 1 127.0.0.1 5000 typ host", "0", 0)));
      Envelope.Candidate c = bob.expect(Envelope.Candidate.class);
      assertEquals("candidate:1 1 udp 1 127.0.0.1 5000 typ host", c.candidate().candidate());
      alice.send(new Envelope.Candidate("c2", "r1", "alice", "bob", null));
      assertNull(bob.expect(Envelope.Candidate.class).candidate(), "end-of-candidates survives routing");
      bob.send(new Envelope.Bye("b1", "r1", "bob", "alice", "hangup"));
      assertEquals("hangup", alice.expect(Envelope.Bye.class).reason());

      bob.send(new Envelope.Leave("l1", "r1", "bob"));
      assertEquals("bob", alice.expect(Envelope.PeerLeft.class).peer());
      // After leave the connection is still open but no longer in a room.
      bob.send(new Envelope.Offer("o2", "r1", "bob", "alice", "v=0"));
      assertEquals("o2", bob.expectError(ErrorCode.NOT_JOINED).ref());
      alice.assertNothingQueued();
    }
  }

  @Test
  void crossRoomSendIsRefusedAndNothingLeaks() throws Exception {
    try (WsTestClient alice = client(); WsTestClient eve = client()) {
      alice.join("r1", "alice", null);
      eve.join("r2", "eve", null);
      eve.send(new Envelope.Offer("x1", "r1", "eve", "alice", "v=0"));
      Envelope.Error err = eve.expectError(ErrorCode.NO_SUCH_PEER);
      assertEquals("x1", err.ref());
      // Alice got nothing: a round trip on her own connection comes back first.
      alice.send(new Envelope.Offer("self", "r1", "alice", "nobody", "v=0"));
      assertEquals("self", alice.expectError(ErrorCode.NO_SUCH_PEER).ref());
      alice.assertNothingQueued();
    }
  }

  @Test
  void eachBadInputGetsItsErrorAndTheConnectionStaysUsable() throws Exception {
    try (WsTestClient alice = client(); WsTestClient bob = client()) {
      alice.send("{\"v\":1,\"type\":\"offer\",\"id\":\"early\",\"to\":\"bob\",\"sdp\":\"x\"}");
      assertEquals("early", alice.expectError(ErrorCode.NOT_JOINED).ref());
      alice.join("r1", "alice", null);
      bob.join("r1", "bob", null);
      alice.expect(Envelope.PeerJoined.class);

      alice.send("this is not json");
      alice.expectError(ErrorCode.BAD_JSON);
      alice.send("{\"v\":1,\"type\":\"teleport\",\"id\":\"t1\"}");
      assertEquals("t1", alice.expectError(ErrorCode.UNKNOWN_TYPE).ref());
      alice.send("{\"v\":1,\"type\":\"welcome\",\"id\":\"w1\",\"room\":\"r1\"}");
      assertEquals("w1", alice.expectError(ErrorCode.UNKNOWN_TYPE).ref(), "server-only types are refused");
      alice.send(new Envelope.Offer("big", "r1", "alice", "bob", "v=0 " + "a".repeat(70 * 1024)));
      alice.expectError(ErrorCode.TOO_LARGE);
      // Still usable after all of that: a normal offer goes through.
      alice.send(new Envelope.Offer("ok", "r1", "alice", "bob", "v=0"));
      assertEquals("ok", bob.expect(Envelope.Offer.class).id());
      bob.assertNothingQueued();
    }
  }

  @Test
  void rateLimitRefusesTheExcessButKeepsTheConnection() throws Exception {
    server.close();
    server = SignalingServer.builder().port(0).rateLimit(1, 5).build().start();
    try (WsTestClient alice = client(); WsTestClient bob = client()) {
      alice.join("r1", "alice", null); // burst 5, 1/s: join takes one token
      bob.join("r1", "bob", null);
      alice.expect(Envelope.PeerJoined.class);
      for (int i = 0; i < 8; i++) alice.send(new Envelope.Offer("m" + i, "r1", "alice", "bob", "v=0"));
      int delivered = 0;
      for (int i = 0; i < 4; i++) {
        assertEquals("m" + i, bob.expect(Envelope.Offer.class).id());
        delivered++;
      }
      int limited = 0;
      for (int i = 0; i < 4; i++) {
        alice.expectError(ErrorCode.RATE_LIMITED);
        limited++;
      }
      assertEquals(4, delivered);
      assertEquals(4, limited);
      // One token comes back within about a second; the connection is still there to use it.
      Envelope e;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      do {
        alice.send(new Envelope.Offer("later", "r1", "alice", "bob", "v=0"));
        String reply = alice.received.poll(300, TimeUnit.MILLISECONDS);
        if (reply == null) break; // no error: it went through
        e = dev.simplecall.protocol.EnvelopeCodec.decode(reply);
        assertEquals(ErrorCode.RATE_LIMITED, ((Envelope.Error) e).errorCode());
      } while (System.nanoTime() < deadline);
      assertEquals("later", bob.expect(Envelope.Offer.class).id());
    }
  }

  @Test
  void fullRoomRefusesTheNextPeer() throws Exception {
    try (WsTestClient a = client(); WsTestClient b = client(); WsTestClient c = client(); WsTestClient d = client()) {
      a.join("r1", "a", null);
      b.join("r1", "b", null);
      c.join("r1", "c", null);
      d.send(new Envelope.Join("j4", "r1", "d", null));
      Envelope.Error err = d.expectError(ErrorCode.ROOM_FULL);
      assertEquals("j4", err.ref());
      // d can still join another room on the same connection.
      assertEquals(List.of(), d.join("r2", "d", null).peers());
    }
  }

  @Test
  void serverCapsAnswerServerBusy() throws Exception {
    server.close();
    server = SignalingServer.builder().port(0).maxRooms(1).maxPeers(2).build().start();
    try (WsTestClient a = client(); WsTestClient b = client(); WsTestClient c = client()) {
      a.join("r1", "a", null);
      c.send(new Envelope.Join(Ids.newId(), "r2", "c", null));
      assertTrue(c.expectError(ErrorCode.SERVER_BUSY).message().contains("rooms"));
      b.join("r1", "b", null);
      c.send(new Envelope.Join(Ids.newId(), "r1", "c", null));
      assertTrue(c.expectError(ErrorCode.SERVER_BUSY).message().contains("peers"));
    }
  }

  @Test
  void closingTheSocketIsReportedAsPeerLeft() throws Exception {
    try (WsTestClient alice = client()) {
      alice.join("r1", "alice", null);
      WsTestClient bob = client();
      bob.join("r1", "bob", null);
      alice.expect(Envelope.PeerJoined.class);
      bob.close();
      assertEquals("bob", alice.expect(Envelope.PeerLeft.class).peer());
      assertEquals(1, server.peerCount());
    }
  }

  @Test
  void aBusyPortFailsToStartWithAClearError() {
    SignalingServer second = SignalingServer.builder().port(server.port()).build();
    IllegalStateException e = assertThrows(IllegalStateException.class, second::start);
    assertTrue(e.getMessage().contains(String.valueOf(server.port())), e.getMessage());
    second.close(); // harmless after a failed start
  }

  @Test
  void aRepeatedJoinJustWelcomesAgainAndSwitchingRoomsLeavesTheOldOne() throws Exception {
    try (WsTestClient alice = client(); WsTestClient bob = client()) {
      alice.join("r1", "alice", null);
      bob.join("r1", "bob", null);
      alice.expect(Envelope.PeerJoined.class);
      assertEquals(List.of("alice"), bob.join("r1", "bob", null).peers());
      assertEquals(List.of(), bob.join("r2", "bob", null).peers());
      // alice saw only bob leaving r1 (no leave/join pair for the repeated join): her own round trip,
      // routed after all of that, comes right after the single peer-left.
      alice.send(new Envelope.Offer("probe", "r1", "alice", "nobody", "v=0"));
      assertEquals("bob", alice.expect(Envelope.PeerLeft.class).peer());
      assertEquals("probe", alice.expectError(ErrorCode.NO_SUCH_PEER).ref());
      alice.assertNothingQueued();
      assertEquals(List.of("alice"), server.parts().hub().peersIn("r1"));
    }
  }

  @Test
  void aFrameOverOneMebibyteClosesTheConnectionWith1009() throws Exception {
    try (WsTestClient alice = client()) {
      alice.join("r1", "alice", null);
      alice.send("{\"v\":1,\"type\":\"offer\",\"id\":\"huge\",\"to\":\"x\",\"sdp\":\"" + "a".repeat(1100 * 1024) + "\"}");
      assertTrue(alice.awaitClose().startsWith("1009"), "close was " + alice.closed.getNow(null));
    }
  }
}
