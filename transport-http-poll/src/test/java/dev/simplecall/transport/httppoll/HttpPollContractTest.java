package dev.simplecall.transport.httppoll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.server.ServerContractTest;
import dev.simplecall.server.TokenIssuer;
import dev.simplecall.spi.SignalingTransport;
import dev.simplecall.spi.SignalingTransportFactory;
import dev.simplecall.spi.TransportException;
import dev.simplecall.testing.RecordingTransportListener;
import dev.simplecall.testing.TcpProxy;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The shared transport contract, and auth and room limits, against the real signaling server. */
class HttpPollContractTest extends ServerContractTest {
  /** How long the server keeps a session nobody polls: short, so an absent peer leaves within a test. */
  private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(8);

  HttpPollContractTest() {
    settings = settings.pollSessionTimeout(SESSION_TIMEOUT);
  }

  /** How long the server holds a poll (the endpoint's waitMs). */
  private static final Duration HOLD = Duration.ofSeconds(5);

  /**
   * A poll held when the link is cut keeps the session alive until the hold ends; the session then
   * expires {@link #SESSION_TIMEOUT} later, noticed by a sweep at most 1 s after that: 14 s, plus margin.
   */
  @Override
  protected Duration crashedPeerLeavesWithin() {
    return HOLD.plus(SESSION_TIMEOUT).plusSeconds(5);
  }

  @Override
  protected URI endpoint(int port) {
    return URI.create("http://127.0.0.1:" + port + "?waitMs=" + HOLD.toMillis());
  }

  @Override
  protected SignalingTransportFactory factory() {
    return new HttpPollTransportFactory();
  }


  @Test
  void silentLinkIsFoundByThePollTimeoutThenResumes() {
    TcpProxy path = proxy();
    RecordingTransportListener alice = new RecordingTransportListener("alice");
    URI quick = URI.create("http://127.0.0.1:" + path.port() + "?waitMs=300");
    create(quick, options("alice").connectTimeout(Duration.ofSeconds(3)).build(), alice);
    alice.expectOpen();
    alice.expectEnvelope(Envelope.Welcome.class);

    path.freeze(); // the connection stays up, nothing gets through: the poll outlives hold + connect timeout
    alice.expectReconnecting();
    path.thaw();
    alice.expectOpen(); // the same session, resumed: no new welcome
    alice.assertNoMoreEvents(QUIET);
  }

  @Test
  void aHeldPollIsAnsweredAsSoonAsAMessageArrives() throws Exception {
    URI longHold = URI.create("http://127.0.0.1:" + servicePort() + "?waitMs=60000");
    RecordingTransportListener alice = new RecordingTransportListener("alice");
    RecordingTransportListener bob = new RecordingTransportListener("bob");
    create(longHold, options("alice").build(), alice);
    alice.expectOpen();
    alice.expectEnvelope(Envelope.Welcome.class);
    SignalingTransport b = create(longHold, options("bob").build(), bob);
    bob.expectOpen();
    bob.expectEnvelope(Envelope.Welcome.class);

    // Both polls are held for up to 60 s; each message must end its hold, not wait it out.
    Duration wellUnderTheHold = Duration.ofSeconds(5);
    assertTrue(alice.expect("message", wellUnderTheHold).text().contains("\"peer-joined\""));
    assertTrue(b.send(offer("bob", "alice", 1)));
    Envelope.Offer o = (Envelope.Offer) EnvelopeCodec.decode(alice.expect("message", wellUnderTheHold).text());
    assertEquals("offer-1", o.sdp());
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
