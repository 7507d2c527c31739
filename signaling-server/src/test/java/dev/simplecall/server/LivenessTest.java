package dev.simplecall.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.protocol.ErrorCode;
import java.time.Duration;
import java.util.List;
import okhttp3.OkHttpClient;
import okhttp3.internal.ws.RealWebSocket;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class LivenessTest {
  @Test
  void aPeerThatStopsAnsweringPingsIsDroppedAndReportedAsPeerLeft() throws Exception {
    try (SignalingServer server = SignalingServer.builder().port(0).pingInterval(Duration.ofMillis(200)).build().start();
        WsTestClient alice = new WsTestClient(TestHttp.CLIENT, server.port());
        HostileFrames frozen = HostileFrames.unresponsive(server.port())) {
      alice.join("r1", "alice", null); // OkHttp answers pings by itself
      frozen.sendText(EnvelopeCodec.encode(new Envelope.Join("j", "r1", "frozen", null)));
      Envelope welcome = EnvelopeCodec.decode(frozen.readText());
      assertTrue(welcome instanceof Envelope.Welcome, EnvelopeCodec.encode(welcome));
      assertEquals("frozen", alice.expect(Envelope.PeerJoined.class).peer());
      // frozen now never reads again, so never pongs: about 2.5 ping intervals later it is dropped.
      assertEquals("frozen", alice.expect(Envelope.PeerLeft.class).peer());
      // alice, connected longer than that and ponging, is still there.
      assertEquals(List.of("alice"), server.parts().hub().peersIn("r1"));
      assertTrue(!alice.closed.isDone());
    }
  }

  /**
   * A client that pings (the SDK does every 5 s) gets its pongs from the server, and the server does not
   * ping it as well; a client that only answers is pinged at the server's interval.
   */
  @Test
  void aPeerThatPingsIsAnsweredAndNotPingedItself() throws Exception {
    OkHttpClient pinging = TestHttp.CLIENT.newBuilder().pingInterval(Duration.ofMillis(100)).build(); // shares its threads
    try (SignalingServer server = SignalingServer.builder().port(0).pingInterval(Duration.ofMillis(200)).build().start();
        WsTestClient quiet = new WsTestClient(TestHttp.CLIENT, server.port());
        WsTestClient talker = new WsTestClient(pinging, server.port())) {
      quiet.join("r1", "quiet", null);
      talker.join("r1", "talker", null);
      Thread.sleep(1500);
      RealWebSocket q = (RealWebSocket) quiet.socket;
      RealWebSocket t = (RealWebSocket) talker.socket;
      // OkHttp fails its socket when a ping's pong is missing by the next ping: 15 pings answered
      assertTrue(t.sentPingCount() >= 10 && t.receivedPongCount() >= t.sentPingCount() - 1,
          "talker sent " + t.sentPingCount() + " pings, got " + t.receivedPongCount() + " pongs");
      assertEquals(0, t.receivedPingCount(), "the server pinged a peer that pings it");
      assertTrue(q.receivedPingCount() >= 4, "the quiet peer got " + q.receivedPingCount() + " pings in 1.5 s");
      assertTrue(!talker.closed.isDone() && !quiet.closed.isDone());
      assertEquals(List.of("quiet", "talker"), server.parts().hub().peersIn("r1"));
    }
  }

  @Test
  void shutdownTellsEveryPeerThenClosesWith1001() throws Exception {
    SignalingServer server = SignalingServer.builder().port(0).build().start();
    try (WsTestClient alice = new WsTestClient(TestHttp.CLIENT, server.port());
        WsTestClient bob = new WsTestClient(TestHttp.CLIENT, server.port())) {
      alice.join("r1", "alice", null);
      bob.join("r2", "bob", null);
      server.close();
      for (WsTestClient c : List.of(alice, bob)) {
        Envelope.Error e = c.expectError(ErrorCode.SERVER_BUSY);
        assertEquals("server shutting down", e.message());
        assertEquals("1001 server shutting down", c.awaitClose());
        c.assertNothingQueued(); // in particular no peer-left flood
      }
    } finally {
      server.close();
    }
  }
}
