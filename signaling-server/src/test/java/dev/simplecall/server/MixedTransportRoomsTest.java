package dev.simplecall.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.server.PollTestClient.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Rooms of one WebSocket peer and one long-poll peer, all joining at once: one hub, no loss. */
@Tag("fast")
class MixedTransportRoomsTest {
  private static final int ROOMS = 40;

  @Test
  void webSocketAndLongPollPeersJoiningAtOnceSeeEachOtherExactlyOnce() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<WsTestClient> sockets = new ArrayList<>();
    try (SignalingServer server = SignalingServer.builder().port(0).build().start()) {
      PollTestClient poll = new PollTestClient(TestHttp.CLIENT, server.port());
      for (int r = 0; r < ROOMS; r++) sockets.add(new WsTestClient(TestHttp.CLIENT, server.port()));
      for (WsTestClient c : sockets) c.opened.get(30, TimeUnit.SECONDS);

      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> wsJoins = new ArrayList<>();
      List<Future<Reply>> pollJoins = new ArrayList<>();
      for (int r = 0; r < ROOMS; r++) {
        int room = r;
        wsJoins.add(pool.submit(() -> {
          go.await();
          sockets.get(room).send(new Envelope.Join("w" + room, "m" + room, "ws" + room, null));
          return null;
        }));
        pollJoins.add(pool.submit(() -> {
          go.await();
          return poll.create(new Envelope.Join("p" + room, "m" + room, "lp" + room, null));
        }));
      }
      go.countDown();
      for (Future<?> f : wsJoins) f.get(30, TimeUnit.SECONDS);

      for (int r = 0; r < ROOMS; r++) {
        Reply created = pollJoins.get(r).get(30, TimeUnit.SECONDS);
        assertEquals(201, created.status(), created.text());
        WsTestClient ws = sockets.get(r);
        Envelope.Welcome wsWelcome = ws.expect(Envelope.Welcome.class);
        Envelope.Welcome lpWelcome = (Envelope.Welcome) created.messages().get(0);
        boolean wsFirst = wsWelcome.peers().isEmpty();
        assertEquals(wsFirst ? List.of("ws" + r) : List.of(), lpWelcome.peers());
        assertEquals(wsFirst ? List.of() : List.of("lp" + r), wsWelcome.peers());
        if (wsFirst) assertEquals("lp" + r, ws.expect(Envelope.PeerJoined.class).peer());

        // WebSocket -> long-poll; the poll must hold exactly what it should, in order.
        ws.send(new Envelope.Offer("o" + r, "m" + r, "ws" + r, "lp" + r, "v=0"));
        List<Envelope> got = new ArrayList<>();
        long cursor = 0;
        while (got.isEmpty() || !(got.get(got.size() - 1) instanceof Envelope.Offer)) {
          Reply reply = poll.poll(created.session(), cursor, 10_000);
          assertEquals(200, reply.status(), reply.text());
          assertTrue(!reply.messages().isEmpty(), "poll ended empty before the offer arrived");
          got.addAll(reply.messages());
          cursor = reply.cursor();
        }
        List<String> types = new ArrayList<>();
        for (Envelope e : got) types.add(e.type());
        assertEquals(wsFirst ? List.of("welcome", "offer") : List.of("welcome", "peer-joined", "offer"), types);
        assertEquals("ws" + r, got.get(got.size() - 1).from());

        // Long-poll -> WebSocket.
        assertEquals(202, poll.post(created.session(), new Envelope.Answer("a" + r, "m" + r, "lp" + r, "ws" + r, "v=0")).status());
        assertEquals("lp" + r, ws.expect(Envelope.Answer.class).from());
      }
      for (WsTestClient c : sockets) c.assertNothingQueued();
      assertEquals(2 * ROOMS, server.peerCount());
    } finally {
      for (WsTestClient c : sockets) c.close();
      pool.shutdownNow();
    }
  }
}
