package dev.simplecall;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.internal.media.TestPattern;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class IceAndRenegotiationTest {
  @Test
  void noPathEndsWithIceFailedAndATurnHintWithinTheTimeout() throws Exception {
    // RELAY policy and no TURN server: there is no candidate at all, so ICE can never connect
    try (Peers p = new Peers("noroute")) {
      RecordingListener al = new RecordingListener();
      RecordingListener bl = new RecordingListener();
      CallSession alice = p.client.newSession(p.options("alice").iceTransportPolicy(IceTransportPolicy.RELAY)
          .iceFailureTimeout(Duration.ofSeconds(3)).build(), al);
      CallSession bob = p.client.newSession(p.options("bob").iceTransportPolicy(IceTransportPolicy.RELAY)
          .iceFailureTimeout(Duration.ofSeconds(3)).build(), bl);
      bob.start();
      assertNotNull(bl.joined.poll(5, TimeUnit.SECONDS));
      long t0 = System.nanoTime();
      alice.call("bob");
      RecordingListener.Ended e = al.awaitEnded(15);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertEquals(EndReason.ICE_FAILED, e.reason());
      assertEquals("no route: try a TURN server", e.error().getMessage());
      assertTrue(ms < 8000, "took " + ms + " ms");
      RecordingListener.Ended b = bl.awaitEnded(15);
      assertEquals(EndReason.ICE_FAILED, b.reason(), "bob: " + b);
      assertEquals("no route: try a TURN server", b.error().getMessage());
    }
  }

  @Test
  void videoAddedAndRemovedMidCallRenegotiates() throws Exception {
    MediaOptions audioOnly = MediaOptions.builder().video(VideoSource.none()).audio(AudioSource.tone(440)).build();
    try (Peers p = new Peers("reneg", audioOnly)) {
      RecordingListener al = new RecordingListener();
      RecordingListener bl = new RecordingListener();
      CallSession alice = p.session("alice", al);
      CallSession bob = p.session("bob", bl);
      BlockingQueue<Long> atBob = new LinkedBlockingQueue<>();
      bob.addRemoteVideoSink(f -> {
        long n = TestPattern.readCounter(f);
        if (n >= 0) atBob.add(n);
      });
      bob.start();
      assertNotNull(bl.joined.poll(5, TimeUnit.SECONDS));
      alice.call("bob");
      al.awaitState(CallState.CONNECTED, 15);
      assertEquals(null, atBob.poll(500, TimeUnit.MILLISECONDS), "video before any was added");
      alice.addVideo(VideoSource.testPattern(320, 240, 30));
      assertNotNull(atBob.poll(15, TimeUnit.SECONDS), "no video after addVideo");
      alice.removeVideo();
      // after removal, frames stop: drain until a quiet second
      await("video stops after removeVideo").atMost(Duration.ofSeconds(10))
          .until(() -> atBob.poll(1, TimeUnit.SECONDS) == null);
      assertEquals(CallState.CONNECTED, alice.state());
      assertEquals(CallState.CONNECTED, bob.state());
      assertTrue(al.ended.isEmpty() && bl.ended.isEmpty());
      alice.hangUp();
      assertEquals(EndReason.REMOTE_HANGUP, bl.awaitEnded(10).reason());
    }
  }
}
