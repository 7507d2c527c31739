package dev.simplecall.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.protocol.ErrorCode;
import java.time.Duration;
import java.util.List;
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
