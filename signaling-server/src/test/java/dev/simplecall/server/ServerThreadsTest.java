package dev.simplecall.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.protocol.Envelope;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The server's thread pool is bounded by {@code maxThreads}, and a small pool still serves many peers at once. */
class ServerThreadsTest {
  @Test
  void aPoolOfEightServesSixtyPeersRelayingAtOnce() throws Exception {
    List<WsTestClient> clients = new ArrayList<>();
    try (SignalingServer server = SignalingServer.builder().port(0).maxThreads(8).build().start()) {
      for (int i = 0; i < 60; i++) clients.add(new WsTestClient(TestHttp.CLIENT, server.port()));
      for (int i = 0; i < 60; i++) clients.get(i).join("t" + i / 2, "p" + i, null);
      // every even peer heard its partner join; then all 60 send to their partner at once
      for (int i = 0; i < 60; i += 2) clients.get(i).expect(Envelope.PeerJoined.class);
      for (int i = 0; i < 60; i++) {
        clients.get(i).send(new Envelope.Bye("b" + i, "t" + i / 2, "p" + i, "p" + (i ^ 1), "hangup"));
      }
      for (int i = 0; i < 60; i++) {
        Envelope.Bye bye = clients.get(i).expect(Envelope.Bye.class);
        assertEquals("p" + (i ^ 1), bye.from());
      }
      long poolThreads = Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.getName().startsWith("simplecall-http")).count();
      assertTrue(poolThreads > 0 && poolThreads <= 8, "threads of the server's pool: " + poolThreads);
    } finally {
      for (WsTestClient c : clients) c.close();
    }
  }

  @Test
  void fewerThanEightThreadsAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SignalingServer.builder().maxThreads(7));
    assertTrue(e.getMessage().contains("at least 8"), e.getMessage());
  }
}
