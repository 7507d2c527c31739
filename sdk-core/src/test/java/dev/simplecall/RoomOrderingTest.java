package dev.simplecall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.spi.SignalingTransport;
import dev.simplecall.spi.SignalingTransportFactory;
import dev.simplecall.spi.TransportOptions;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A transport may deliver another member's arrival before this member's own welcome, with the welcome
 * listing the room as it was before that arrival (the in-memory hub does, when two join at once). The
 * room must keep the member and call it, not drop the arrival nor let the older welcome undo it.
 */
class RoomOrderingTest {
  @Test
  void aMemberWhoseArrivalOvertakesTheWelcomeIsKeptAndCalled() throws Exception {
    BlockingQueue<String> sent = new LinkedBlockingQueue<>();
    SignalingTransportFactory overtaking = new SignalingTransportFactory() {
      @Override
      public Set<String> schemes() {
        return Set.of("overtake");
      }

      @Override
      public SignalingTransport create(URI endpoint, TransportOptions options, SignalingTransport.Listener l) {
        SignalingTransport t = new SignalingTransport() {
          @Override
          public boolean send(String text) {
            sent.add(text);
            return true;
          }

          @Override
          public void close() {
            l.onClosed(this);
          }
        };
        l.onOpen(t);
        l.onMessage(t, EnvelopeCodec.encode(new Envelope.PeerJoined("j1", options.room(), "bob")));
        l.onMessage(t, EnvelopeCodec.encode(new Envelope.Welcome("w1", options.room(), options.peerId(),
            List.of(options.peerId()), List.of())));
        return t;
      }
    };
    try (CallClient client = CallClient.builder().addTransportFactory(overtaking)
        .media(MediaOptions.builder().video(VideoSource.none()).audio(AudioSource.none()).build()).build()) {
      BlockingQueue<String> joined = new LinkedBlockingQueue<>();
      SessionOptions s = SessionOptions.builder().signaling(URI.create("overtake://x")).room("r").peerId("alice").build();
      RoomSession room = client.joinRoom(RoomOptions.builder().session(s).build(), new RoomSession.Listener() {
        @Override
        public void onJoined(RoomSession r, List<Participant> participants) {
          joined.add("joined with " + participants.size());
        }

        @Override
        public void onParticipantJoined(RoomSession r, Participant p) {
          joined.add("then " + p.peerId());
        }
      });
      assertEquals("joined with 0", joined.poll(10, TimeUnit.SECONDS));
      assertEquals("then bob", joined.poll(10, TimeUnit.SECONDS));
      assertNotNull(room.participant("bob"), "bob was dropped: " + room.participants());
      String offer = null;
      for (String text = sent.poll(10, TimeUnit.SECONDS); text != null; text = sent.poll(10, TimeUnit.SECONDS)) {
        if (EnvelopeCodec.decode(text) instanceof Envelope.Offer o) {
          offer = text;
          assertEquals("bob", o.to());
          break;
        }
      }
      assertTrue(offer != null, "alice (the smaller id) never called bob");
      room.leave();
    }
  }
}
