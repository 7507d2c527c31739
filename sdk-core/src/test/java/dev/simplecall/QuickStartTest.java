package dev.simplecall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class QuickStartTest {
  @Test
  void readmeQuickStartConnectsToBob() throws Exception {
    InMemorySignaling hub = new InMemorySignaling();
    try (CallClient client = CallClient.builder().addTransportFactory(hub.transportFactory()).build()) {
      RecordingListener bl = new RecordingListener();
      CallSession bob = client.newSession(SessionOptions.builder().signaling(URI.create("memory://demo"))
          .room("demo").peerId("bob").build(), bl);
      bob.start();
      assertNotNull(bl.joined.poll(5, TimeUnit.SECONDS));
      CallSession alice = QuickStart.quickStart(client, URI.create("memory://demo"));
      bl.awaitState(CallState.CONNECTED, 15);
      assertEquals("bob", alice.remotePeerId());
      alice.close();
      assertEquals(EndReason.REMOTE_HANGUP, bl.awaitEnded(10).reason());
    }
  }
}
