package dev.simplecall.server;

import static dev.simplecall.server.PollTestClient.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.ErrorCode;
import dev.simplecall.protocol.Ids;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The bookkeeping behind the per-address caps: configured limits apply, counts follow joins, leaves,
 * replacements and closed sockets back down to nothing tracked (no leak), refusals are counted, and
 * their log line is rate-limited.
 */
@Tag("fast")
class PerAddressAccountingTest {
  private static final String A = "127.0.0.5";
  private static final String WATCHER = "127.0.0.9";
  private SignalingServer server;

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  private static Envelope.Join join(String room, String peer) {
    return new Envelope.Join(Ids.newId(), room, peer, null);
  }

  @Test
  void countsFollowSessionsAndRoomsBackToNothingTracked() throws Exception {
    server = SignalingServer.builder().port(0).maxSessionsPerIp(3).maxRoomsPerIp(2).build().start();
    SignalingHub hub = server.parts().hub();
    PollTestClient a = new PollTestClient(TestHttp.from(A), server.port());
    PollTestClient watcher = new PollTestClient(TestHttp.from(WATCHER), server.port());
    PollTestClient.Reply w = watcher.create(join("shared", "watcher"));
    assertEquals(201, w.status(), w.text());
    long cursor = w.cursor();

    String p1 = a.create(join("a1", "p1")).session();
    // The same peer id again from the same address replaces the session: still one.
    PollTestClient.Reply p2 = a.create(join("a2", "p2"));
    PollTestClient.Reply p2again = a.create(join("a2", "p2"));
    assertEquals(201, p2again.status(), p2again.text());
    assertEquals(2, sessions(hub, A));
    assertEquals(2, rooms(hub, A));
    String p3Session;
    try (WsTestClient ws = new WsTestClient(TestHttp.from(A), server.port())) {
      ws.join("shared", "w1", null); // joins the watcher's room: a session, not a room
      assertEquals(3, sessions(hub, A));
      assertEquals(2, rooms(hub, A));
      PollTestClient.Reply refused = a.create(join("shared", "p4"));
      assertError(refused, 503, "server-busy");
      assertTrue(((String) refused.body().get("message")).contains("max-sessions-per-ip 3"), refused.text());
      assertEquals(1, refusedSessions(hub));

      assertEquals(204, a.delete(p1).status()); // a1 empties: one session and one room given back
      assertEquals(2, sessions(hub, A));
      assertEquals(1, rooms(hub, A));
      PollTestClient.Reply p3 = a.create(join("a3", "p3"));
      assertEquals(201, p3.status(), p3.text());
      p3Session = p3.session();
      PollTestClient.Reply noRoom = a.create(join("a4", "p5")); // sessions are at 3 again
      assertError(noRoom, 503, "server-busy");
      ws.close();
      // The watcher hears peer-left after the hub took w1 out, and with it w1's count.
      // (Its stream first holds w1's peer-joined; each poll acknowledges what the previous one read.)
      boolean left = false;
      for (int i = 0; i < 5 && !left; i++) {
        PollTestClient.Reply heard = watcher.poll(w.session(), cursor, 10_000);
        cursor = heard.cursor();
        left = heard.messages().stream().anyMatch(e -> e instanceof Envelope.PeerLeft pl && pl.peer().equals("w1"));
      }
      assertTrue(left, "the watcher never heard w1 leave");
      assertEquals(2, sessions(hub, A));
    }
    assertEquals(1, sessions(hub, WATCHER));
    assertEquals(1, rooms(hub, WATCHER));

    assertEquals(204, a.delete(p2again.session()).status());
    PollTestClient.Reply roomOk = a.create(join("a4", "p6"));
    assertEquals(201, roomOk.status(), roomOk.text());
    PollTestClient.Reply roomCap = a.create(join("a5", "p7"));
    assertError(roomCap, 503, "server-busy");
    assertTrue(((String) roomCap.body().get("message")).contains("max-rooms-per-ip 2"), roomCap.text());
    assertEquals(1, refusedRooms(hub));

    // Everyone leaves: nothing is tracked any more.
    assertEquals(204, a.delete(roomOk.session()).status());
    assertEquals(204, a.delete(p3Session).status());
    assertEquals(204, watcher.delete(w.session()).status());
    assertEquals(0, sessions(hub, A));
    assertEquals(0, rooms(hub, A));
    assertEquals(0, tracked(hub));
  }

  @Test
  void aReplacementFromAnotherAddressMovesTheSession() throws Exception {
    server = SignalingServer.builder().port(0).build().start();
    SignalingHub hub = server.parts().hub();
    PollTestClient.Reply first = new PollTestClient(TestHttp.from(A), server.port()).create(join("r", "alice"));
    assertEquals(201, first.status(), first.text());
    PollTestClient b = new PollTestClient(TestHttp.from("127.0.0.6"), server.port());
    PollTestClient.Reply moved = b.create(join("r", "alice")); // same identity, new network
    assertEquals(201, moved.status(), moved.text());
    assertEquals(0, sessions(hub, A));
    assertEquals(1, rooms(hub, A), "the room stays its creator's while it lives");
    assertEquals(1, sessions(hub, "127.0.0.6"));
    assertEquals(204, b.delete(moved.session()).status());
    assertEquals(0, tracked(hub));
  }

  @Test
  void refusalsAreLoggedAtMostOncePerInterval() {
    AtomicLong now = new AtomicLong(1_000);
    RefusalLog log = new RefusalLog(LoggerFactory.getLogger(PerAddressAccountingTest.class), "test refusals",
        Duration.ofSeconds(10).toNanos(), now::get);
    assertTrue(log.record("first"));
    for (int i = 0; i < 1000; i++) assertFalse(log.record("flood " + i));
    now.addAndGet(Duration.ofSeconds(10).toNanos());
    assertTrue(log.record("after the interval"));
    assertFalse(log.record("and quiet again"));
    assertEquals(1003, log.count());
  }

  @Test
  void addressKeysUseTheIpv4AddressAndTheIpv6Slash64() {
    assertEquals("127.0.0.2", ClientAddress.key("127.0.0.2"));
    assertEquals("2001:db8:1:2::/64", ClientAddress.key("2001:db8:1:2:aaaa:bbbb:cccc:dddd"));
    assertEquals("2001:db8:1:2::/64", ClientAddress.key("[2001:db8:1:2::1]"));
    assertEquals("203.0.113.7", ClientAddress.key("::ffff:203.0.113.7"));
    assertEquals("198.51.100.1", ClientAddress.key(new InetSocketAddress("198.51.100.1", 5000)));
    assertEquals(null, ClientAddress.key("not.an-address.example"));
  }

  @Test
  void webSocketRefusalOverTheRoomCapKeepsTheConnectionUsable() throws Exception {
    server = SignalingServer.builder().port(0).maxRoomsPerIp(1).build().start();
    try (WsTestClient ws = new WsTestClient(TestHttp.from(A), server.port());
        WsTestClient ws2 = new WsTestClient(TestHttp.from(A), server.port())) {
      ws.join("mine", "alice", null);
      ws2.send(join("another", "bob"));
      assertTrue(ws2.expectError(ErrorCode.SERVER_BUSY).message().contains("max-rooms-per-ip 1"));
      assertEquals(List.of("alice"), ws2.join("mine", "bob", null).peers()); // joining is not creating
    }
  }

  private static int sessions(SignalingHub hub, String address) {
    return hub.addressLimits(l -> l.sessions(address));
  }

  private static int rooms(SignalingHub hub, String address) {
    return hub.addressLimits(l -> l.rooms(address));
  }

  private static int tracked(SignalingHub hub) {
    return hub.addressLimits(AddressLimits::trackedAddresses);
  }

  private static long refusedSessions(SignalingHub hub) {
    return hub.addressLimits(AddressLimits::refusedSessions);
  }

  private static long refusedRooms(SignalingHub hub) {
    return hub.addressLimits(AddressLimits::refusedRooms);
  }
}
