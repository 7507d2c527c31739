package dev.simplecall.server;

import static dev.simplecall.server.PollTestClient.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A peer that stops reading cannot make the server buffer without bound: it is dropped, the room told. */
@Tag("fast")
class SlowPeerTest {
  private static final String BIG_SDP = "v=0 " + "s".repeat(30 * 1024);

  @Test
  void aWebSocketPeerThatStopsReadingIsDisconnected() throws Exception {
    try (SignalingServer server = SignalingServer.builder().port(0).rateLimit(1e6, 1_000_000).build().start();
        WsTestClient alice = new WsTestClient(TestHttp.CLIENT, server.port());
        HostileFrames stuck = HostileFrames.unresponsive(server.port())) {
      alice.join("r1", "alice", null);
      stuck.sendText(EnvelopeCodec.encode(new Envelope.Join("j", "r1", "stuck", null)));
      assertTrue(EnvelopeCodec.decode(stuck.readText()) instanceof Envelope.Welcome);
      assertEquals("stuck", alice.expect(Envelope.PeerJoined.class).peer());
      // stuck never reads again. Keep offering to it until the server gives up on it.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      int sent = 0;
      String left = null;
      while (left == null && System.nanoTime() < deadline) {
        if (alice.queueSize() < 4 * 1024 * 1024) {
          alice.send(new Envelope.Offer("o" + sent++, "r1", "alice", "stuck", BIG_SDP));
        } else {
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        String text = alice.received.poll();
        if (text != null) {
          Envelope e = EnvelopeCodec.decode(text);
          if (e instanceof Envelope.PeerLeft pl) left = pl.peer();
          // no-such-peer errors may follow once stuck is gone; anything else is wrong
          else assertTrue(e instanceof Envelope.Error, EnvelopeCodec.encode(e));
        }
      }
      assertEquals("stuck", left, "server kept buffering for a peer that stopped reading (" + sent + " offers sent)");
      assertEquals(1, server.peerCount());
    }
  }

  @Test
  void aLongPollSessionThatStopsPollingIsDroppedOnceItsBacklogIsTooBig() throws Exception {
    try (SignalingServer server = SignalingServer.builder().port(0).rateLimit(1e6, 1_000_000).build().start();
        WsTestClient alice = new WsTestClient(TestHttp.CLIENT, server.port())) {
      PollTestClient poll = new PollTestClient(TestHttp.CLIENT, server.port());
      alice.join("r1", "alice", null);
      String sid = poll.create(new Envelope.Join("j", "r1", "lazy", null)).session();
      assertEquals("lazy", alice.expect(Envelope.PeerJoined.class).peer());
      int offers = (int) (PollSession.MAX_PENDING_CHARS / BIG_SDP.length()) + 10;
      for (int i = 0; i < offers; i++) alice.send(new Envelope.Offer("o" + i, "r1", "alice", "lazy", BIG_SDP));
      assertEquals("lazy", alice.expect(Envelope.PeerLeft.class).peer());
      assertError(poll.poll(sid, 1, 0), 404, "not-joined");
    }
  }
}
