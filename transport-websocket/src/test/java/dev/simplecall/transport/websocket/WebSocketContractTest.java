package dev.simplecall.transport.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.server.ServerContractTest;
import dev.simplecall.server.TokenIssuer;
import dev.simplecall.spi.SignalingTransport;
import dev.simplecall.spi.SignalingTransportFactory;
import dev.simplecall.spi.TransportException;
import dev.simplecall.testing.RecordingTransportListener;
import dev.simplecall.testing.TcpProxy;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/** The shared transport contract, and auth and room limits, against the real signaling server. */
class WebSocketContractTest extends ServerContractTest {
  @Override
  protected URI endpoint(int port) {
    return URI.create("ws://127.0.0.1:" + port + "/v1/ws");
  }

  @Override
  protected SignalingTransportFactory factory() {
    return new WebSocketTransportFactory();
  }

  @Test
  void closingTheFactoryEndsItsOwnClientsThreadsAndConnections() throws Exception {
    Peer alice = join("alice", servicePort());
    OkHttpClient own = ((WebSocketTransportFactory) transportFactory()).ownClientIfAny();
    assertNotNull(own, "a factory made with no client uses one of its own");
    alice.transport().close();
    alice.events().expectClosed();

    transportFactory().close();
    assertTrue(own.dispatcher().executorService().awaitTermination(10, TimeUnit.SECONDS), "dispatcher threads still running");
    assertEquals(0, own.connectionPool().connectionCount(), "pooled connections left open");
    assertNull(((WebSocketTransportFactory) transportFactory()).ownClientIfAny());
  }

  @Test
  void aConnectionReplacedByANewerOneWithTheSameIdStopsForGood() throws Exception {
    RecordingTransportListener first = new RecordingTransportListener("alice-old");
    SignalingTransport old = create(endpoint(servicePort()), options("alice").build(), first);
    first.expectOpen();
    first.expectEnvelope(Envelope.Welcome.class);

    RecordingTransportListener second = new RecordingTransportListener("alice-new");
    create(endpoint(servicePort()), options("alice").build(), second);
    second.expectOpen();
    second.expectEnvelope(Envelope.Welcome.class);

    TransportException e = first.expectFailure(RecordingTransportListener.WAIT);
    assertEquals(TransportException.Kind.REFUSED, e.kind());
    assertTrue(e.getMessage().contains("replaced"), e.getMessage());
    RecordingTransportListener.assertSendRefused(old);
    first.assertNoMoreEvents(Duration.ofSeconds(1)); // no reconnect that would evict the new one
    second.assertNoMoreEvents(Duration.ofSeconds(1));
  }


  @Test
  void silentLinkIsFoundByPingsThenReconnects() {
    OkHttpClient pinging = new OkHttpClient.Builder().pingInterval(Duration.ofMillis(300)).build();
    TcpProxy path = proxy();
    RecordingTransportListener alice = new RecordingTransportListener("alice");
    track(WebSocketTransportFactory.create(pinging)
        .create(endpoint(path.port()), options("alice").build(), alice));
    alice.expectOpen();
    alice.expectEnvelope(Envelope.Welcome.class);

    path.freeze(); // the connection stays up, nothing gets through: only a missing pong tells
    alice.expectReconnecting();
    path.thaw();
    alice.expectOpen();
    alice.expectEnvelope(Envelope.Welcome.class);
    alice.assertNoMoreEvents(QUIET);
  }

  @Test
  void threadsEndAfterClose() throws Exception {
    Peer p = join("threadcheck", servicePort());
    assertTrue(threadsNamed("threadcheck") > 0, "transport threads are named after the peer");

    p.transport().close();
    p.events().expectClosed();
    assertThreadsEnd("threadcheck");
  }

  @Test
  void fullRoomIsRefusedForGood() throws Exception {
    takeServiceDown();
    settings = settings.roomSize(1);
    bringServiceBack();
    join("alice", servicePort());

    RecordingTransportListener bob = new RecordingTransportListener("bob");
    create(endpoint(servicePort()), options("bob").build(), bob);
    assertEquals(TransportException.Kind.REFUSED, bob.expectFailure(RecordingTransportListener.WAIT).kind());
    bob.assertNoMoreEvents(QUIET);
  }
}
