package dev.simplecall.transport.httppoll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.protocol.Ids;
import dev.simplecall.server.SignalingServer;
import dev.simplecall.spi.SignalingTransport;
import dev.simplecall.spi.TransportOptions;
import dev.simplecall.testing.RecordingTransportListener;
import dev.simplecall.transport.websocket.WebSocketTransportFactory;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A WebSocket peer and a long-poll peer share a room on the real server and reach each other. */
@Tag("fast")
class MixedTransportsTest {
  private final SignalingServer server = SignalingServer.builder().port(0).build().start();
  private SignalingTransport ws;
  private SignalingTransport poll;

  @AfterEach
  void tearDown() {
    if (ws != null) ws.close();
    if (poll != null) poll.close();
    server.close();
  }

  @Test
  void webSocketPeerAndLongPollPeerTalkBothWaysInOrder() {
    RecordingTransportListener alice = new RecordingTransportListener("alice (ws)");
    ws = new WebSocketTransportFactory()
        .create(URI.create("ws://127.0.0.1:" + server.port() + "/v1/ws"), options("alice"), alice);
    alice.expectOpen();
    alice.expectEnvelope(Envelope.Welcome.class);
    RecordingTransportListener bob = new RecordingTransportListener("bob (poll)");
    poll = new HttpPollTransportFactory()
        .create(URI.create("http://127.0.0.1:" + server.port() + "?waitMs=2000"), options("bob"), bob);
    bob.expectOpen();
    assertTrue(bob.expectEnvelope(Envelope.Welcome.class).peers().contains("alice"));
    assertEquals("bob", alice.expectEnvelope(Envelope.PeerJoined.class).peer());

    for (int i = 0; i < 30; i++) {
      assertTrue(ws.send(EnvelopeCodec.encode(new Envelope.Offer(Ids.newId(), "r1", "alice", "bob", "o" + i))));
      assertTrue(poll.send(EnvelopeCodec.encode(new Envelope.Answer(Ids.newId(), "r1", "bob", "alice", "a" + i))));
    }
    for (int i = 0; i < 30; i++) {
      Envelope.Offer o = bob.expectEnvelope(Envelope.Offer.class);
      assertEquals("o" + i, o.sdp());
      assertEquals("alice", o.from());
      assertEquals("a" + i, alice.expectEnvelope(Envelope.Answer.class).sdp());
    }

    poll.close();
    bob.expectClosed();
    assertEquals("bob", alice.expectEnvelope(Envelope.PeerLeft.class).peer());
    alice.assertNoMoreEvents(Duration.ofMillis(300));
    bob.assertNoMoreEvents(Duration.ZERO);
  }

  private static TransportOptions options(String peer) {
    return TransportOptions.builder().room("r1").peerId(peer).connectTimeout(Duration.ofSeconds(5)).build();
  }
}
