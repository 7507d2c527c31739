package dev.simplecall.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.simplecall.protocol.Envelope;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class ManyRoomsTest {
  private static final int ROOMS = 100;

  @Test
  void twoHundredPeersInAHundredRoomsJoinAtOnceWithoutLoss() throws Exception {
    OkHttpClient http = TestHttp.CLIENT;
    ExecutorService senders = Executors.newFixedThreadPool(4);
    List<WsTestClient> clients = new ArrayList<>();
    // Every client here comes from 127.0.0.1: lift the per-address caps to this test's 200 peers and 100 rooms.
    try (SignalingServer server = SignalingServer.builder().port(0).maxSessionsPerIp(2 * ROOMS).maxRoomsPerIp(ROOMS)
        .joinRateLimit(1_000_000, 1_000_000).build().start()) {
      for (int i = 0; i < 2 * ROOMS; i++) clients.add(new WsTestClient(http, server.port()));
      for (WsTestClient c : clients) c.opened.get(30, TimeUnit.SECONDS);

      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> sent = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int first = t;
        sent.add(senders.submit(() -> {
          go.await();
          for (int i = first; i < clients.size(); i += 4) {
            clients.get(i).send(new Envelope.Join("j" + i, room(i), peer(i), null));
          }
          return null;
        }));
      }
      go.countDown();
      for (Future<?> f : sent) f.get(30, TimeUnit.SECONDS);

      for (int r = 0; r < ROOMS; r++) {
        WsTestClient a = clients.get(2 * r);
        WsTestClient b = clients.get(2 * r + 1);
        Envelope.Welcome wa = a.expect(Envelope.Welcome.class);
        Envelope.Welcome wb = b.expect(Envelope.Welcome.class);
        assertEquals(room(2 * r), wa.room());
        // Exactly one of the pair joined first: it saw an empty room and then exactly one peer-joined.
        boolean aFirst = wa.peers().isEmpty();
        assertEquals(aFirst ? List.of() : List.of(peer(2 * r + 1)), wa.peers());
        assertEquals(aFirst ? List.of(peer(2 * r)) : List.of(), wb.peers());
        WsTestClient firstIn = aFirst ? a : b;
        WsTestClient secondIn = aFirst ? b : a;
        String secondId = aFirst ? peer(2 * r + 1) : peer(2 * r);
        assertEquals(secondId, firstIn.expect(Envelope.PeerJoined.class).peer());
        // Round trip both ways: the offer is the very next message, so nothing stray came before it.
        String firstId = aFirst ? peer(2 * r) : peer(2 * r + 1);
        firstIn.send(new Envelope.Offer("o" + r, "ignored", "x", secondId, "v=0"));
        secondIn.send(new Envelope.Answer("a" + r, "ignored", "x", firstId, "v=0"));
        Envelope.Offer offer = secondIn.expect(Envelope.Offer.class);
        assertEquals(firstId, offer.from());
        assertEquals(room(2 * r), offer.room());
        assertEquals(secondId, firstIn.expect(Envelope.Answer.class).from());
      }
      for (WsTestClient c : clients) c.assertNothingQueued();
      assertEquals(2 * ROOMS, server.peerCount());
      assertEquals(ROOMS, server.roomCount());
    } finally {
      for (WsTestClient c : clients) c.close();
      senders.shutdownNow();
    }
  }

  private static String room(int i) {
    return "room-" + (i / 2);
  }

  private static String peer(int i) {
    return "peer-" + i;
  }
}
