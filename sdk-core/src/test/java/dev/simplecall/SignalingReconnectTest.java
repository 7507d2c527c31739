package dev.simplecall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.spi.SignalingTransport;
import dev.simplecall.spi.SignalingTransportFactory;
import dev.simplecall.spi.TransportException;
import dev.simplecall.spi.TransportOptions;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A transport that resumes its session after a blip (onOpen, no new welcome) leaves the session usable. */
class SignalingReconnectTest {
  /** A scripted transport: the test drives its callbacks and reads what the session sent. */
  static final class Scripted implements SignalingTransportFactory, SignalingTransport {
    final BlockingQueue<String> sent = new LinkedBlockingQueue<>();
    volatile SignalingTransport.Listener listener;

    @Override
    public Set<String> schemes() {
      return Set.of("scripted");
    }

    @Override
    public SignalingTransport create(URI endpoint, TransportOptions options, SignalingTransport.Listener l) {
      listener = l;
      l.onOpen(this);
      l.onMessage(this, EnvelopeCodec.encode(new Envelope.Welcome("w1", options.room(), options.peerId(), List.of("bob"), List.of())));
      return this;
    }

    @Override
    public boolean send(String text) {
      sent.add(text);
      return true;
    }

    @Override
    public void close() {}
  }

  @Test
  void callAfterAResumedSessionWithoutWelcomeIsPlaced() throws Exception {
    Scripted t = new Scripted();
    try (CallClient client = CallClient.builder().addTransportFactory(t)
        .media(MediaOptions.builder().video(VideoSource.none()).audio(AudioSource.none()).build()).build()) {
      RecordingListener al = new RecordingListener();
      CallSession alice = client.newSession(SessionOptions.builder().signaling(URI.create("scripted://x"))
          .room("r").peerId("alice").build(), al);
      alice.start();
      assertEquals(Set.of("bob"), al.joined.poll(5, TimeUnit.SECONDS));
      t.listener.onReconnecting(t, new java.io.IOException("blip"));
      t.listener.onOpen(t); // the same session resumed: no welcome follows
      alice.call("bob");
      String first = t.sent.poll(10, TimeUnit.SECONDS);
      assertNotNull(first, "no offer sent after the resumed session");
      Envelope.Offer offer = assertInstanceOf(Envelope.Offer.class, EnvelopeCodec.decode(first));
      assertEquals("bob", offer.to());
      alice.cancel();
      al.awaitEnded(5);
    }
  }

  @Test
  void transportFailureEndsWithSignalingFailedAndTheCause() throws Exception {
    Scripted t = new Scripted();
    try (CallClient client = CallClient.builder().addTransportFactory(t).build()) {
      RecordingListener al = new RecordingListener();
      CallSession alice = client.newSession(SessionOptions.builder().signaling(URI.create("scripted://x"))
          .room("r").peerId("alice").build(), al);
      alice.start();
      assertNotNull(al.joined.poll(5, TimeUnit.SECONDS));
      TransportException cause = new TransportException(TransportException.Kind.UNAUTHORIZED, "token refused", null);
      t.listener.onFailure(t, cause);
      RecordingListener.Ended e = al.awaitEnded(5);
      assertEquals(EndReason.SIGNALING_FAILED, e.reason());
      assertEquals(cause, e.error().getCause());
      assertEquals(CallState.ENDED, alice.state());
      al.assertEndedOnce();
    }
  }
}
