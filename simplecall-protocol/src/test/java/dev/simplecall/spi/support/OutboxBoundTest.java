package dev.simplecall.spi.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.spi.SignalingTransport;
import dev.simplecall.spi.TransportOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The outbox bound that {@link TransportLoop} keeps and {@link BrokerRoom} counts down. */
@Tag("fast")
class OutboxBoundTest {
  private final List<String> heard = new CopyOnWriteArrayList<>();
  private final SignalingTransport transport = new SignalingTransport() {
    @Override public boolean send(String text) {
      return false;
    }

    @Override public void close() {}
  };
  private final SignalingTransport.Listener listener = new SignalingTransport.Listener() {
    @Override public void onMessage(SignalingTransport t, String text) {
      heard.add(text);
    }
  };
  private final TransportOptions options = TransportOptions.builder().room("r").peerId("alice").maxQueuedMessages(3).build();
  private final TransportLoop loop = new TransportLoop("outbox-test", transport, listener, options, () -> {});

  @AfterEach
  void end() {
    loop.execute(loop::closed);
  }

  @Test
  void enqueueRefusesBeyondTheBoundUntilMessagesAreDequeued() throws Exception {
    List<Integer> queued = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      int n = i;
      assertTrue(loop.enqueue(() -> queued.add(n)), "send " + i + " of 3");
    }
    assertFalse(loop.enqueue(() -> queued.add(99)), "a fourth unsent message");
    onLoop(() -> {});
    assertEquals(List.of(0, 1, 2), queued, "the refused one never ran");
    loop.dequeued(2);
    assertEquals(1, loop.unsent());
    assertTrue(loop.enqueue(() -> queued.add(3)));
    assertTrue(loop.enqueue(() -> queued.add(4)));
    assertFalse(loop.enqueue(() -> queued.add(5)));
  }

  @Test
  void aTerminatedLoopRefusesAndCountsNothing() throws Exception {
    onLoop(loop::closed);
    assertFalse(loop.enqueue(() -> {}));
    assertEquals(0, loop.unsent());
  }

  @Test
  void brokerRoomFreesAPlaceForEveryMessageItPublishesRejectsOrDrops() throws Exception {
    List<String> published = new CopyOnWriteArrayList<>();
    boolean[] wireUp = {false};
    BrokerRoom room = new BrokerRoom(loop, options, "test", new BrokerRoom.Wire() {
      @Override public boolean publish(String to, String text) {
        if (!wireUp[0]) return false;
        published.add(to);
        return true;
      }

      @Override public boolean announce(boolean online) {
        return wireUp[0];
      }
    });
    onLoop(() -> {
      room.connecting();
      room.presence("bob", true);
      room.linked();
      room.settled();
    });
    String offer = EnvelopeCodec.encode(new Envelope.Offer("o1", "r", "alice", "bob", "sdp"));
    for (int i = 0; i < 2; i++) assertTrue(loop.enqueue(() -> room.send(offer)));
    assertTrue(loop.enqueue(() -> room.send("{not json")), "a bad one is counted until the room answers it");
    onLoop(() -> {});
    assertEquals(2, loop.unsent(), "the wire refused both offers; the bad-json one was answered with an error");
    assertTrue(heard.stream().anyMatch(t -> t.contains("\"error\"")), "an error envelope answered the bad send: " + heard);

    onLoop(() -> {
      wireUp[0] = true;
      room.flush();
    });
    assertEquals(List.of("bob", "bob"), published);
    assertEquals(0, loop.unsent());

    onLoop(() -> wireUp[0] = false);
    assertTrue(loop.enqueue(() -> room.send(offer)));
    onLoop(() -> room.close(null));
    assertEquals(0, loop.unsent(), "what close() drops leaves the count");
  }

  /** Runs {@code r} on the loop and waits for it (and everything queued before it). */
  private void onLoop(Runnable r) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    assertTrue(loop.execute(() -> {
      r.run();
      done.complete(null);
    }));
    done.get(5, TimeUnit.SECONDS);
  }
}
