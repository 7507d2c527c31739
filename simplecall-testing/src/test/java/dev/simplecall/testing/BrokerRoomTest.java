package dev.simplecall.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.protocol.Ids;
import dev.simplecall.spi.SignalingTransport;
import dev.simplecall.spi.TransportOptions;
import dev.simplecall.spi.support.BrokerRoom;
import dev.simplecall.spi.support.TransportLoop;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The server's part a broker transport plays, driven as a transport would drive it, on its loop. */
class BrokerRoomTest {
  private final RecordingTransportListener events = new RecordingTransportListener("alice");
  private final List<String> wire = new CopyOnWriteArrayList<>();
  private final SignalingTransport transport = new SignalingTransport() {
    @Override public boolean send(String text) { return true; }
    @Override public void close() {}
  };
  private final TransportOptions options = TransportOptions.builder().room("r1").peerId("alice").build();
  private final TransportLoop loop = new TransportLoop("broker-room-test", transport, events, options, () -> {});
  private final BrokerRoom room = new BrokerRoom(loop, options, "test", new BrokerRoom.Wire() {
    @Override public boolean publish(String to, String text) { return wire.add(to + " " + text); }
    @Override public boolean announce(boolean online) { return wire.add("presence " + online); }
  });

  @AfterEach
  void end() {
    loop.execute(loop::closed);
    events.expectClosed();
    events.assertNoMoreEvents(Duration.ZERO);
  }

  private static String offer(String from, String to) {
    return EnvelopeCodec.encode(new Envelope.Offer(Ids.newId(), "elsewhere", from, to, "v=0"));
  }

  @Test
  void welcomeListsWhoIsPresentThenHeldMessagesThenPresenceChanges() {
    loop.execute(() -> {
      room.connecting();
      room.presence("bob", true);
      room.message("bob", offer("mallory", "alice")); // arrives before the welcome: held
      room.present(Set.of("bob", "carol", "alice"));
      room.settled();
      room.present(Set.of("carol")); // bob's presence expired
    });
    events.expectOpen();
    Envelope.Welcome w = events.expectEnvelope(Envelope.Welcome.class);
    assertEquals(Set.of("bob", "carol"), Set.copyOf(w.peers()));
    Envelope.Offer o = events.expectEnvelope(Envelope.Offer.class);
    assertEquals("bob", o.from(), "from is the channel's, not the payload's");
    assertEquals("r1", o.room());
    assertEquals("bob", events.expectEnvelope(Envelope.PeerLeft.class).peer());
  }

  /**
   * A live announcement from a peer new to the room makes this peer announce itself again (the
   * newcomer may have missed the retained copy); a retained one, a known peer's, or one after this peer
   * left does not.
   */
  @Test
  void aNewcomersLiveAnnouncementIsAnsweredWithOurs() {
    loop.execute(() -> {
      room.connecting();
      room.presence("bob", true, true); // joining: not linked yet, nothing to repeat
      room.linked();
      room.presence("carol", true, false); // a retained copy while settling: carol was here before us
      room.settled();
      room.presence("dave", true, true); // a newcomer: announce again
      room.presence("dave", true, true); // dave again: known
      room.presence("erin", true, false); // a retained copy after the welcome
    });
    events.expectOpen();
    events.expectEnvelope(Envelope.Welcome.class);
    assertEquals("dave", events.expectEnvelope(Envelope.PeerJoined.class).peer());
    assertEquals("erin", events.expectEnvelope(Envelope.PeerJoined.class).peer());
    loop.execute(() -> {
      room.send(EnvelopeCodec.encode(new Envelope.Leave(Ids.newId(), "r1", "alice")));
      room.presence("frank", true, true); // we left: nothing to announce
    });
    assertEquals("frank", events.expectEnvelope(Envelope.PeerJoined.class).peer());
    assertEquals(List.of("presence true", "presence false"), wire);
  }

  @Test
  void sendsQueueUntilLinkedAndUnroutableOnesGetAnError() {
    loop.execute(() -> {
      room.connecting();
      room.send(offer("mallory", "bob"));
      room.send(offer("alice", "no/such"));
      room.send(EnvelopeCodec.encode(new Envelope.Leave(Ids.newId(), "r1", "alice")));
    });
    assertEquals("bad-name", events.expectEnvelope(Envelope.Error.class).code()); // the codec checks names
    loop.execute(room::linked);
    loop.execute(room::settled);
    events.expectOpen();
    events.expectEnvelope(Envelope.Welcome.class);
    assertEquals(2, wire.size(), wire.toString());
    assertTrue(wire.get(0).startsWith("bob ") && wire.get(0).contains("\"from\":\"alice\""), wire.get(0));
    assertEquals("presence false", wire.get(1));
  }

  @Test
  void aDuplicateIsDeliveredOnce() {
    String text = offer("bob", "alice");
    loop.execute(() -> {
      room.connecting();
      room.settled();
      room.message("bob", text);
      room.message("bob", text);
    });
    events.expectOpen();
    events.expectEnvelope(Envelope.Welcome.class);
    events.expectEnvelope(Envelope.Offer.class);
    events.assertNoMoreEvents(Duration.ofMillis(300));
  }
}
