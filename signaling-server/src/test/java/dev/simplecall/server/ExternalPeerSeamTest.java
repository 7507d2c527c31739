package dev.simplecall.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.simplecall.protocol.Envelope;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The seam a bridge (MQTT) uses: an external peer attached straight to the hub, beside a real WebSocket
 * peer, through the same routing path, and presence events for both.
 */
@Tag("fast")
class ExternalPeerSeamTest {
  /** An external peer as a bridge would attach it: it only queues what the hub hands it. */
  static final class QueuePeer implements PeerConnection {
    final BlockingQueue<Envelope> got = new LinkedBlockingQueue<>();
    volatile boolean replaced;

    @Override
    public void deliver(Envelope envelope) {
      got.add(envelope);
    }

    @Override
    public void replaced() {
      replaced = true;
    }

    Envelope next() throws InterruptedException {
      Envelope e = got.poll(10, TimeUnit.SECONDS);
      assertNotNull(e, "nothing delivered to the external peer");
      return e;
    }
  }

  @Test
  void externalPeerJoinsRoutesAndLeavesThroughTheHub() throws Exception {
    BlockingQueue<String> presence = new LinkedBlockingQueue<>();
    try (SignalingServer server = SignalingServer.builder().port(0).build().start();
        WsTestClient alice = new WsTestClient(TestHttp.CLIENT, server.port())) {
      SignalingHub hub = server.parts().hub();
      hub.addPresenceListener(new PresenceListener() {
        @Override
        public void peerJoined(String room, String peer) {
          presence.add("+" + room + "/" + peer);
        }

        @Override
        public void peerLeft(String room, String peer) {
          presence.add("-" + room + "/" + peer);
        }
      });
      alice.join("r1", "alice", null);
      assertEquals("+r1/alice", presence.poll(10, TimeUnit.SECONDS));

      QueuePeer device = new QueuePeer();
      SignalingHub.JoinResult joined = hub.join(new Envelope.Join("j", "r1", "device", null), device);
      assertNull(joined.error());
      assertEquals(List.of("alice"), ((Envelope.Welcome) device.next()).peers());
      assertEquals("+r1/device", presence.poll(10, TimeUnit.SECONDS));
      assertEquals("device", alice.expect(Envelope.PeerJoined.class).peer());

      alice.send(new Envelope.Offer("o1", "r1", "alice", "device", "v=0"));
      Envelope.Offer offer = (Envelope.Offer) device.next();
      assertEquals("alice", offer.from());
      hub.route(joined.member(), new Envelope.Answer("a1", "r1", "spoof", "alice", "v=0"));
      assertEquals("device", alice.expect(Envelope.Answer.class).from());

      hub.leave(joined.member());
      assertEquals("device", alice.expect(Envelope.PeerLeft.class).peer());
      assertEquals("-r1/device", presence.poll(10, TimeUnit.SECONDS));
    }
  }
}
