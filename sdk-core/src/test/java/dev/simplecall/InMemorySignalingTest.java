package dev.simplecall;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.protocol.ErrorCode;
import dev.simplecall.spi.SignalingTransport;
import dev.simplecall.spi.TransportOptions;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The hub keeps the signaling server's envelope v1 semantics. */
@Tag("fast")
class InMemorySignalingTest {
  private final InMemorySignaling hub = new InMemorySignaling();

  static final class Client implements SignalingTransport.Listener {
    final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    final AtomicInteger opened = new AtomicInteger();
    final AtomicInteger closed = new AtomicInteger();
    SignalingTransport transport;

    @Override
    public void onOpen(SignalingTransport t) {
      opened.incrementAndGet();
    }

    @Override
    public void onMessage(SignalingTransport t, String text) {
      texts.add(text);
    }

    @Override
    public void onClosed(SignalingTransport t) {
      closed.incrementAndGet();
    }

    Envelope next() throws Exception {
      String t = texts.poll(5, TimeUnit.SECONDS);
      assertNotNull(t, "nothing received");
      return EnvelopeCodec.decode(t);
    }
  }

  private Client join(String room, String peer) {
    Client c = new Client();
    c.transport = hub.transportFactory().create(URI.create("memory://t"),
        TransportOptions.builder().room(room).peerId(peer).build(), c);
    return c;
  }

  @Test
  void joinGetsWelcomeWithPeersAndOthersGetPeerJoined() throws Exception {
    Client a = join("r1", "alice");
    Envelope.Welcome wa = assertInstanceOf(Envelope.Welcome.class, a.next());
    assertEquals(List.of(), wa.peers());
    Client b = join("r1", "bob");
    Envelope.Welcome wb = assertInstanceOf(Envelope.Welcome.class, b.next());
    assertEquals(List.of("alice"), wb.peers());
    assertEquals("bob", assertInstanceOf(Envelope.PeerJoined.class, a.next()).peer());
    assertEquals(1, a.opened.get());
    Client other = join("r2", "carol");
    assertEquals(List.of(), assertInstanceOf(Envelope.Welcome.class, other.next()).peers());
    // a marker: had carol's join reached alice, its peer-joined would be queued before dave's
    join("r1", "dave").next();
    assertEquals("dave", assertInstanceOf(Envelope.PeerJoined.class, a.next()).peer(), "rooms must be separate");
  }

  @Test
  void routesByToAndOverwritesFrom() throws Exception {
    Client a = join("r1", "alice");
    a.next();
    Client b = join("r1", "bob");
    b.next();
    a.next();
    assertTrue(a.transport.send(EnvelopeCodec.encode(new Envelope.Offer("o1", "r1", "mallory", "bob", "v=0"))));
    Envelope.Offer o = assertInstanceOf(Envelope.Offer.class, b.next());
    assertEquals("alice", o.from());
    assertEquals("o1", o.id());
    assertEquals("v=0", o.sdp());
  }

  @Test
  void errorsForUnknownPeerAndBadInputKeepTheLinkUp() throws Exception {
    Client a = join("r1", "alice");
    a.next();
    a.transport.send(EnvelopeCodec.encode(new Envelope.Bye("b1", "r1", "alice", "ghost", "hangup")));
    Envelope.Error e = assertInstanceOf(Envelope.Error.class, a.next());
    assertEquals(ErrorCode.NO_SUCH_PEER, e.errorCode());
    assertEquals("b1", e.ref());
    a.transport.send("{nope");
    assertEquals(ErrorCode.BAD_JSON, assertInstanceOf(Envelope.Error.class, a.next()).errorCode());
    a.transport.send("{\"v\":1,\"type\":\"welcome\",\"id\":\"w9\",\"room\":\"r1\"}");
    Envelope.Error notAllowed = assertInstanceOf(Envelope.Error.class, a.next());
    assertEquals(ErrorCode.UNKNOWN_TYPE, notAllowed.errorCode());
    assertEquals("w9", notAllowed.ref());
    Client b = join("r1", "bob");
    b.next();
    assertEquals("bob", assertInstanceOf(Envelope.PeerJoined.class, a.next()).peer());
  }

  @Test
  void closeLeavesAndDisconnectVanishes() throws Exception {
    Client a = join("r1", "alice");
    a.next();
    Client b = join("r1", "bob");
    b.next();
    a.next();
    Client c = join("r1", "carol");
    c.next();
    a.next();
    b.next();
    b.transport.close();
    b.transport.close();
    assertEquals("bob", assertInstanceOf(Envelope.PeerLeft.class, a.next()).peer());
    assertFalse(b.transport.send("{}"), "send after close");
    hub.disconnect("carol");
    assertEquals("carol", assertInstanceOf(Envelope.PeerLeft.class, a.next()).peer());
    assertTrue(c.transport.send(EnvelopeCodec.encode(new Envelope.Bye("x", "r1", "carol", "alice", "hangup"))),
        "a vanished link does not know it is gone");
    assertEquals(List.of("alice"), List.copyOf(hub.peers("r1")));
    // a marker: had carol's bye been routed, it would be queued for alice before this
    assertTrue(hub.inject("alice", "raw text"));
    assertEquals("raw text", a.texts.poll(5, TimeUnit.SECONDS), "a vanished peer's messages go nowhere");
    assertFalse(hub.inject("nobody", "x"));
    a.transport.close();
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
        .until(() -> a.closed.get() > 0 && b.closed.get() > 0);
    assertEquals(1, b.closed.get());
    assertEquals(1, a.closed.get());
    assertNull(a.texts.poll(), "a message after onClosed");
  }
}
