package dev.simplecall.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.protocol.ErrorCode;
import dev.simplecall.protocol.Ids;
import java.util.Arrays;
import java.util.List;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Cross-site WebSocket hijacking and blind cross-site joins: a browser {@code Origin} other than the
 * server's own or a listed one gets 403 on the upgrade and on the API, before anything is joined;
 * requests without {@code Origin} (the SDK's transports) are unaffected; long-poll bodies must be
 * declared as JSON (415 otherwise), so no preflight-free form or text/plain post can join.
 */
@Tag("fast")
class OriginTest {
  private static final String EVIL = "http://evil.example";

  private SignalingServer server;
  private PollTestClient poll;

  @BeforeEach
  void start() {
    server = SignalingServer.builder().port(0).allowedOrigins(List.of("https://app.example.com")).build().start();
    poll = new PollTestClient(TestHttp.CLIENT, server.port());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private String own() {
    return "http://127.0.0.1:" + server.port();
  }

  @Test
  void webSocketFromAForeignOriginGets403AndTheVictimStaysJoined() throws Exception {
    try (WsTestClient victim = new WsTestClient(TestHttp.CLIENT, server.port())) {
      victim.join("r1", "alice", null);
      for (String origin : List.of(EVIL, "null", "https://app.example.com:8443", "http://app.example.com",
          "http://127.0.0.1:" + (server.port() == 1 ? 2 : server.port() - 1), "https://127.0.0.1:" + server.port())) {
        try (WsTestClient attacker = new WsTestClient(TestHttp.CLIENT, server.port(), origin)) {
          String closed = attacker.awaitClose();
          assertTrue(closed.startsWith("failure: HTTP 403 "), origin + ": " + closed);
        }
      }
      assertEquals(1, server.peerCount());
      // alice was neither replaced (close 4001) nor told of anyone: her next round trip is the first thing she gets
      victim.send("{\"v\":1,\"type\":\"nonsense\",\"id\":\"x1\"}");
      assertEquals("x1", victim.expectError(ErrorCode.UNKNOWN_TYPE).ref());
      victim.assertNothingQueued();
    }
  }

  @Test
  void webSocketAcceptsItsOwnOriginListedOnesAndNone() throws Exception {
    try (WsTestClient page = new WsTestClient(TestHttp.CLIENT, server.port(), own())) {
      assertEquals(List.of(), page.join("r1", "alice", null).peers());
    }
    for (String origin : List.of("https://app.example.com", "HTTPS://App.Example.com:443")) {
      try (WsTestClient page = new WsTestClient(TestHttp.CLIENT, server.port(), origin)) {
        page.join("r1", "bob", null);
      }
    }
    try (WsTestClient sdk = new WsTestClient(TestHttp.CLIENT, server.port())) {
      sdk.join("r1", "carol", null);
    }
    // the same server refuses an origin it does not list
    try (WsTestClient page = new WsTestClient(TestHttp.CLIENT, server.port(), "https://other.example.com")) {
      assertTrue(page.awaitClose().startsWith("failure: HTTP 403 "));
    }
  }

  @Test
  void everyPollEndpointRefusesAForeignOrigin() throws Exception {
    PollTestClient.Reply alice = poll.create(join("alice"));
    assertEquals(201, alice.status());
    String sid = alice.session();
    String base = own() + "/v1/poll/sessions";
    String hello = EnvelopeCodec.encode(new Envelope.Offer(Ids.newId(), "r1", "alice", "bob", "v=0"));

    for (String origin : List.of(EVIL, "null")) {
      assertForbidden(post(base, EnvelopeCodec.encode(join("mallory")), "application/json", origin));
      assertForbidden(post(base + "/" + sid + "/messages", hello, "application/json", origin));
      assertForbidden(new Request.Builder().url(base + "/" + sid + "/messages?after=1&waitMs=0").header("Origin", origin).build());
      assertForbidden(new Request.Builder().url(base + "/" + sid).delete().header("Origin", origin).build());
      assertForbidden(new Request.Builder().url(own() + "/v1/turn-credentials?peer=alice").header("Origin", origin).build());
    }
    assertEquals(1, server.parts().poll().sessionCount(), "no session made, none deleted");
    assertEquals(1, server.peerCount());
    // alice's session is intact and got nothing from the refused requests
    PollTestClient.Reply next = poll.poll(sid, alice.cursor(), 0);
    assertEquals(200, next.status());
    assertEquals(List.of(), next.messages());
  }

  @Test
  void aLoopbackServerRefusesANonLoopbackHostSoDnsRebindingGetsNothing() throws Exception {
    // A page on attacker.example whose name was rebound to 127.0.0.1: its requests are same-origin for the
    // browser (Origin and Host both name attacker.example), and a GET carries no Origin at all.
    String rebound = "attacker.example:" + server.port();
    Request create = new Request.Builder().url(own() + "/v1/poll/sessions").header("Host", rebound)
        .header("Origin", "http://" + rebound)
        .post(RequestBody.create(EnvelopeCodec.encode(join("mallory")).getBytes(), MediaType.get("application/json"))).build();
    Request turn = new Request.Builder().url(own() + "/v1/turn-credentials?peer=alice").header("Host", rebound).build();
    for (Request r : List.of(create, turn)) {
      try (Response response = TestHttp.CLIENT.newCall(r).execute()) {
        assertEquals(403, response.code(), r.url().toString());
        assertTrue(response.body().string().contains("loopback"), r.url().toString());
      }
    }
    assertEquals(0, server.peerCount());
    for (String host : List.of("localhost:" + server.port(), "127.0.0.1:" + server.port(), "127.1.2.3")) {
      Request ok = new Request.Builder().url(own() + "/v1/turn-credentials?peer=alice").header("Host", host).build();
      try (Response response = TestHttp.CLIENT.newCall(ok).execute()) {
        assertEquals(200, response.code(), host);
      }
    }
  }

  @Test
  void pollAcceptsItsOwnOriginListedOnesAndNone() throws Exception {
    int n = 0;
    for (String origin : Arrays.asList(own(), "https://app.example.com", null, "https://other.example.com")) {
      try (Response r = TestHttp.CLIENT.newCall(post(own() + "/v1/poll/sessions",
          EnvelopeCodec.encode(join("p" + n++)), "application/json; charset=utf-8", origin)).execute()) {
        assertEquals(origin != null && origin.contains("other") ? 403 : 201, r.code(), origin + ": " + r.body().string());
      }
    }
  }

  @Test
  void aTextPlainJoinGets415AndMakesNoSession() throws Exception {
    String body = EnvelopeCodec.encode(join("alice"));
    for (String type : List.of("text/plain", "text/plain; charset=utf-8", "application/x-www-form-urlencoded")) {
      try (Response r = TestHttp.CLIENT.newCall(post(own() + "/v1/poll/sessions", body, type, null)).execute()) {
        assertEquals(415, r.code(), type);
        Envelope.Error e = (Envelope.Error) EnvelopeCodec.decode(r.body().string());
        assertEquals(ErrorCode.BAD_JSON, e.errorCode());
        assertTrue(e.message().contains("application/json"), e.message());
      }
    }
    try (Response r = TestHttp.CLIENT.newCall(new Request.Builder().url(own() + "/v1/poll/sessions")
        .post(RequestBody.create(body.getBytes(), null)).build()).execute()) {
      assertEquals(415, r.code(), "no Content-Type at all");
    }
    assertEquals(0, server.parts().poll().sessionCount());
    assertEquals(0, server.peerCount());

    // sends into an existing session need JSON too; nothing reaches the room
    PollTestClient.Reply alice = poll.create(join("alice"));
    String hello = EnvelopeCodec.encode(new Envelope.Offer(Ids.newId(), "r1", "alice", "alice", "v=0"));
    try (Response r = TestHttp.CLIENT.newCall(post(own() + "/v1/poll/sessions/" + alice.session() + "/messages",
        hello, "text/plain", null)).execute()) {
      assertEquals(415, r.code());
    }
    assertEquals(List.of(), poll.poll(alice.session(), alice.cursor(), 0).messages());
  }

  @Test
  void listedOriginsMustBeOrigins() {
    for (String bad : List.of("null", "*", "app.example.com", "https://app.example.com/path", "ftp://x.example")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> SignalingServer.builder().allowedOrigins(List.of(bad)));
      assertTrue(e.getMessage().contains(bad), e.getMessage());
    }
  }

  private static Envelope.Join join(String peer) {
    return new Envelope.Join(Ids.newId(), "r1", peer, null);
  }

  private static Request post(String url, String body, String type, String origin) {
    Request.Builder b = new Request.Builder().url(url).post(RequestBody.create(body.getBytes(), MediaType.get(type)));
    if (origin != null) b.header("Origin", origin);
    return b.build();
  }

  private static void assertForbidden(Request request) throws Exception {
    try (Response r = TestHttp.CLIENT.newCall(request).execute()) {
      assertEquals(403, r.code(), request.method() + " " + request.url());
      Envelope.Error e = (Envelope.Error) EnvelopeCodec.decode(r.body().string());
      assertTrue(e.message().contains("not allowed"), e.message());
    }
  }
}
