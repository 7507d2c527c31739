package dev.simplecall.transport.httppoll;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.protocol.Ids;
import dev.simplecall.server.RedisProcess;
import dev.simplecall.server.SignalingServer;
import dev.simplecall.spi.SignalingTransport;
import dev.simplecall.spi.TransportOptions;
import dev.simplecall.testing.RecordingTransportListener;
import dev.simplecall.transport.websocket.WebSocketTransportFactory;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The SDK's WebSocket and long-poll transports on two signaling nodes that share one real
 * redis-server: the peers meet, talk both ways in order, and see each other leave. Full tier: it
 * starts redis-server.
 */
class ClusterTransportsTest {
  private RedisProcess redis;
  private SignalingServer nodeA;
  private SignalingServer nodeB;
  private SignalingTransport ws;
  private SignalingTransport poll;

  @AfterEach
  void tearDown() throws Exception {
    if (ws != null) ws.close();
    if (poll != null) poll.close();
    if (nodeA != null) nodeA.close();
    if (nodeB != null) nodeB.close();
    if (redis != null) redis.close();
  }

  @Test
  void webSocketPeerOnOneNodeAndLongPollPeerOnAnotherTalkBothWaysInOrder() throws Exception {
    redis = RedisProcess.start();
    nodeA = SignalingServer.builder().port(0).cluster(redis.uri()).build().start();
    nodeB = SignalingServer.builder().port(0).cluster(redis.uri()).build().start();

    RecordingTransportListener alice = new RecordingTransportListener("alice (ws, node A)");
    ws = new WebSocketTransportFactory()
        .create(URI.create("ws://127.0.0.1:" + nodeA.port() + "/v1/ws"), options("alice"), alice);
    alice.expectOpen();
    alice.expectEnvelope(Envelope.Welcome.class);
    RecordingTransportListener bob = new RecordingTransportListener("bob (poll, node B)");
    poll = new HttpPollTransportFactory()
        .create(URI.create("http://127.0.0.1:" + nodeB.port() + "?waitMs=2000"), options("bob"), bob);
    bob.expectOpen();
    assertEquals(List.of("alice"), bob.expectEnvelope(Envelope.Welcome.class).peers());
    assertEquals("bob", alice.expectEnvelope(Envelope.PeerJoined.class).peer());

    for (int i = 0; i < 30; i++) {
      ws.send(EnvelopeCodec.encode(new Envelope.Offer(Ids.newId(), "r1", "alice", "bob", "o" + i)));
      poll.send(EnvelopeCodec.encode(new Envelope.Answer(Ids.newId(), "r1", "mallory", "alice", "a" + i)));
    }
    for (int i = 0; i < 30; i++) {
      Envelope.Offer o = bob.expectEnvelope(Envelope.Offer.class);
      assertEquals("o" + i, o.sdp());
      assertEquals("alice", o.from());
      Envelope.Answer a = alice.expectEnvelope(Envelope.Answer.class);
      assertEquals("a" + i, a.sdp());
      assertEquals("bob", a.from(), "from is stamped by bob's node");
    }

    poll.close();
    bob.expectClosed();
    assertEquals("bob", alice.expectEnvelope(Envelope.PeerLeft.class).peer());
    alice.assertNoMoreEvents(Duration.ofMillis(300));
  }

  private static TransportOptions options(String peer) {
    return TransportOptions.builder().room("r1").peerId(peer).connectTimeout(Duration.ofSeconds(5)).build();
  }
}
