package dev.simplecall.transport.httppoll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.protocol.EnvelopeException;
import dev.simplecall.protocol.Ids;
import dev.simplecall.server.SignalingServer;
import dev.simplecall.spi.SignalingTransport;
import dev.simplecall.spi.TransportOptions;
import dev.simplecall.testing.RecordingTransportListener;
import dev.simplecall.testing.RecordingTransportListener.Event;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Alice's long-poll traffic goes through {@link LossyPollProxy}, which drops poll answers, replays
 * stale ones and drops send answers (so the server routes some of her batches twice); Bob talks to
 * the real server directly. Every message must arrive exactly once, in order, both ways.
 */
@Tag("fast")
class LossyLongPollTest {
  private static final int COUNT = 150;

  private final SignalingServer server = SignalingServer.builder().port(0).rateLimit(10_000, 10_000).build().start();
  private final MockWebServer relay = new MockWebServer();
  private final LossyPollProxy lossy = new LossyPollProxy(server.port());
  private final List<SignalingTransport> transports = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (SignalingTransport t : transports) t.close();
    relay.shutdown();
    server.close();
  }

  @Test
  void droppedAndRepeatedResponsesLoseNothingAndDoubleNothing() throws Exception {
    relay.setDispatcher(lossy);
    relay.start();
    // The app's client does not retry by itself, so every drop reaches the transport's own recovery.
    OkHttpClient noRetry = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
    RecordingTransportListener alice = new RecordingTransportListener("alice");
    transports.add(HttpPollTransportFactory.create(noRetry)
        .create(URI.create("http://127.0.0.1:" + relay.getPort() + "?waitMs=1000"), options("alice"), alice));
    alice.expectOpen();
    alice.expectEnvelope(Envelope.Welcome.class);
    RecordingTransportListener bob = new RecordingTransportListener("bob");
    transports.add(new HttpPollTransportFactory()
        .create(URI.create("http://127.0.0.1:" + server.port() + "?waitMs=1000"), options("bob"), bob));
    bob.expectOpen();
    bob.expectEnvelope(Envelope.Welcome.class);
    assertEquals("bob", ((Envelope.PeerJoined) nextMessages(alice, 1).get(0)).peer());

    for (int i = 0; i < COUNT; i++) {
      transports.get(0).send(EnvelopeCodec.encode(new Envelope.Offer(Ids.newId(), "r1", "alice", "bob", "o" + i)));
      transports.get(1).send(EnvelopeCodec.encode(new Envelope.Answer(Ids.newId(), "r1", "bob", "alice", "a" + i)));
    }

    List<Envelope> atBob = nextMessages(bob, COUNT);
    List<Envelope> atAlice = nextMessages(alice, COUNT);
    for (int i = 0; i < COUNT; i++) {
      assertEquals("o" + i, ((Envelope.Offer) atBob.get(i)).sdp(), "bob's offers lost, doubled or reordered");
      assertEquals("a" + i, ((Envelope.Answer) atAlice.get(i)).sdp(), "alice's answers lost, doubled or reordered");
    }
    // nothing doubled arrives late: the next message each side gets is a marker sent after all the others
    transports.get(0).send(EnvelopeCodec.encode(new Envelope.Offer(Ids.newId(), "r1", "alice", "bob", "end")));
    transports.get(1).send(EnvelopeCodec.encode(new Envelope.Answer(Ids.newId(), "r1", "bob", "alice", "end")));
    assertEquals("end", ((Envelope.Offer) nextMessages(bob, 1).get(0)).sdp(), "a message after bob's last offer");
    assertEquals("end", ((Envelope.Answer) nextMessages(alice, 1).get(0)).sdp(), "a message after alice's last answer");
    alice.assertThreadingHeld();
    bob.assertThreadingHeld();
    assertTrue(lossy.droppedPolls.get() > 0, "no poll answer was dropped: the test proved nothing");
    assertTrue(lossy.replayedPolls.get() > 0, "no poll answer was replayed: the test proved nothing");
    assertTrue(lossy.droppedSends.get() > 0, "no send answer was dropped: the test proved nothing");
  }

  /** The next {@code n} messages, skipping the reconnect notices that drops cause. */
  private static List<Envelope> nextMessages(RecordingTransportListener events, int n) throws EnvelopeException {
    List<Envelope> out = new ArrayList<>();
    while (out.size() < n) {
      Event e = events.next(Duration.ofSeconds(20));
      switch (e.kind()) {
        case "message" -> out.add(EnvelopeCodec.decode(e.text()));
        case "reconnecting", "open" -> { }
        default -> fail("unexpected " + e);
      }
    }
    return out;
  }

  private static TransportOptions options(String peer) {
    return TransportOptions.builder()
        .room("r1")
        .peerId(peer)
        .connectTimeout(Duration.ofSeconds(3))
        .initialBackoff(Duration.ofMillis(20))
        .maxBackoff(Duration.ofMillis(200))
        .build();
  }
}
