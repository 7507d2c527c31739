package dev.simplecall.server;

import static dev.simplecall.server.PollTestClient.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.ErrorCode;
import dev.simplecall.protocol.Ids;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * One client address cannot fill the server: with the default per-address caps (100 sessions, 50
 * rooms created) a hostile address is refused {@code server-busy} naming the limit, while clients from
 * other loopback addresses (127.0.0.2, ...: the whole 127/8 answers on {@code lo}) still get in.
 */
@Tag("fast")
class PerAddressLimitsTest {
  private SignalingServer server;

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  private static Envelope.Join join(String room, String peer) {
    return new Envelope.Join(Ids.newId(), room, peer, null);
  }

  @Test
  void oneAddressIsCappedAtItsSessionsWhileAnotherAddressStillJoins() throws Exception {
    server = SignalingServer.builder().port(0).build().start();
    PollTestClient hostile = new PollTestClient(TestHttp.CLIENT, server.port()); // from 127.0.0.1
    List<String> sessions = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      PollTestClient.Reply r = hostile.create(join("r" + i / 16, "p" + i)); // 7 rooms, far below 50
      assertEquals(201, r.status(), r.text());
      sessions.add(r.session());
    }
    PollTestClient.Reply refused = hostile.create(join("r6", "p100"));
    assertError(refused, 503, "server-busy");
    assertTrue(((String) refused.body().get("message")).contains("max-sessions-per-ip 100"), refused.text());
    // The same address over WebSocket: the cap counts every transport.
    try (WsTestClient ws = new WsTestClient(TestHttp.CLIENT, server.port())) {
      ws.send(join("r6", "p101"));
      assertTrue(ws.expectError(ErrorCode.SERVER_BUSY).message().contains("max-sessions-per-ip 100"));
    }

    // Another address is not affected, over either transport.
    try (WsTestClient friend = new WsTestClient(TestHttp.from("127.0.0.2"), server.port())) {
      assertEquals(List.of(), friend.join("friends", "alice", null).peers());
      PollTestClient friendPoll = new PollTestClient(TestHttp.from("127.0.0.2"), server.port());
      PollTestClient.Reply bob = friendPoll.create(join("friends", "bob"));
      assertEquals(201, bob.status(), bob.text());
      assertEquals(List.of("alice"), ((Envelope.Welcome) bob.messages().get(0)).peers());
    }

    // A session given back is a session the capped address may use again.
    assertEquals(204, hostile.delete(sessions.get(0)).status());
    PollTestClient.Reply again = hostile.create(join("r0", "p0-again"));
    assertEquals(201, again.status(), again.text());
    assertError(hostile.create(join("r6", "p102")), 503, "server-busy");
  }

  @Test
  void oneAddressIsCappedAtRoomsItCreatesButMayStillJoinOthersRooms() throws Exception {
    server = SignalingServer.builder().port(0).build().start();
    PollTestClient hostile = new PollTestClient(TestHttp.from("127.0.0.3"), server.port());
    PollTestClient other = new PollTestClient(TestHttp.from("127.0.0.4"), server.port());
    List<String> sessions = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      PollTestClient.Reply r = hostile.create(join("room-" + i, "x"));
      assertEquals(201, r.status(), r.text());
      sessions.add(r.session());
    }
    PollTestClient.Reply refused = hostile.create(join("room-50", "x"));
    assertError(refused, 503, "server-busy");
    assertTrue(((String) refused.body().get("message")).contains("max-rooms-per-ip 50"), refused.text());
    assertEquals(50, server.roomCount());

    // Another address still creates rooms, and the capped one may join a room it did not create.
    assertEquals(201, other.create(join("theirs", "owner")).status());
    PollTestClient.Reply guest = hostile.create(join("theirs", "guest"));
    assertEquals(201, guest.status(), guest.text());

    // A room that empties no longer counts against its creator.
    assertEquals(204, hostile.delete(sessions.get(7)).status());
    assertEquals(201, hostile.create(join("room-50", "x")).status());
    assertError(hostile.create(join("room-51", "x")), 503, "server-busy");
  }
}
