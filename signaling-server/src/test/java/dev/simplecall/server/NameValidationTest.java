package dev.simplecall.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.ErrorCode;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Room and peer ids outside {@code [A-Za-z0-9._-]{1,64}} are refused at every entry point before anything is stored. */
@Tag("fast")
class NameValidationTest {
  /** What a security review got welcomed: separators, MQTT wildcards, a huge id, NUL, bidi override, traversal. */
  static final List<String> BAD_NAMES = List.of("a/b", "r+#", "x".repeat(60_000), "nul\u0000byte", "mal\u202Eory",
      "../../etc", "with space", "x".repeat(65), "caf\u00e9");

  private SignalingServer server;

  @BeforeEach
  void start() {
    server = SignalingServer.builder().port(0).build().start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static String join(String id, String room, String from) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("v", 1);
    m.put("type", "join");
    m.put("id", id);
    m.put("room", room);
    m.put("from", from);
    return PollTestClient.toJson(m);
  }

  @Test
  void aWebSocketJoinWithABadRoomOrPeerIdGetsBadNameAndStoresNothing() throws Exception {
    try (WsTestClient c = new WsTestClient(TestHttp.CLIENT, server.port())) {
      int n = 0;
      for (String bad : BAD_NAMES) {
        c.send(join("j" + n, "r1", bad));
        Envelope.Error e = c.expectError(ErrorCode.BAD_NAME);
        assertEquals("j" + n, e.ref());
        assertTrue(e.message().length() < 200, "the error does not echo a huge name: " + e.message().length());
        c.send(join("k" + n, bad, "alice"));
        assertEquals("k" + n, c.expectError(ErrorCode.BAD_NAME).ref());
        n++;
      }
      assertEquals(0, server.peerCount());
      assertEquals(0, server.roomCount());
      // the connection is still good
      assertEquals(List.of(), c.join("r1", "alice", null).peers());
      assertEquals(1, server.peerCount());
    }
  }

  @Test
  void aMessageToABadPeerIdGetsBadName() throws Exception {
    try (WsTestClient alice = new WsTestClient(TestHttp.CLIENT, server.port())) {
      alice.join("r1", "alice", null);
      alice.send("{\"v\":1,\"type\":\"offer\",\"id\":\"o1\",\"to\":\"bob\\u0000\",\"sdp\":\"v=0\"}");
      assertEquals("o1", alice.expectError(ErrorCode.BAD_NAME).ref());
      alice.send("{\"v\":1,\"type\":\"offer\",\"id\":\"o2\",\"to\":\"bob\",\"sdp\":\"v=0\"}");
      assertEquals("o2", alice.expectError(ErrorCode.NO_SUCH_PEER).ref(), "the connection still routes");
    }
  }

  @Test
  void aLongPollJoinWithABadNameIs400BadNameAndCreatesNoSession() throws Exception {
    PollTestClient poll = new PollTestClient(TestHttp.CLIENT, server.port());
    for (String bad : BAD_NAMES) {
      PollTestClient.assertError(poll.create(join("j1", "r1", bad), null), 400, "bad-name");
      PollTestClient.assertError(poll.create(join("j2", bad, "alice"), null), 400, "bad-name");
    }
    assertEquals(0, server.parts().poll().sessionCount());
    assertEquals(0, server.peerCount());
    assertEquals(201, poll.create(join("j3", "r1", "alice"), null).status());
  }

  @Test
  void tokensAreNotIssuedForBadNames() {
    TokenIssuer issuer = new TokenIssuer("secret-0123456789");
    for (String bad : BAD_NAMES) {
      assertThrows(IllegalArgumentException.class, () -> issuer.issue(bad, "r1", Duration.ofMinutes(1)));
      assertThrows(IllegalArgumentException.class, () -> issuer.issue("alice", bad, Duration.ofMinutes(1)));
    }
  }
}
