package dev.simplecall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The app's video codec preference and bitrate ceiling reach the encoder (real peers, one JVM). */
class VideoSendingTest {
  private static final MediaOptions PATTERN = MediaOptions.builder().video(VideoSource.testPattern(640, 480, 30))
      .audio(AudioSource.none()).build();

  /** Alice's sent-video figures once her call with bob has run for a while. */
  private static List<CallStats> aliceSends(MediaOptions alice, int samples) throws Exception {
    return aliceSends(alice, PATTERN, samples);
  }

  private static List<CallStats> aliceSends(MediaOptions alice, MediaOptions bob, int samples) throws Exception {
    try (Peers p = new Peers("sending", bob)) {
      RecordingListener al = new RecordingListener();
      RecordingListener bl = new RecordingListener();
      CallSession a = p.client.newSession(p.options("alice").media(alice).build(), al);
      CallSession b = p.session("bob", bl);
      b.start();
      assertNotNull(bl.joined.poll(5, TimeUnit.SECONDS));
      a.call("bob");
      al.awaitState(CallState.CONNECTED, 15);
      a.setStatsInterval(Duration.ofMillis(500));
      List<CallStats> seen = new ArrayList<>();
      for (int i = 0; i < samples + 4; i++) { // the first two seconds: bandwidth estimation ramps up
        CallStats s = al.stats.poll(10, TimeUnit.SECONDS);
        assertNotNull(s, "no periodic stats");
        if (i >= 4) seen.add(s);
      }
      a.hangUp();
      bl.awaitEnded(10);
      return seen;
    }
  }

  /** A preference on one side, the caller's or the callee's, is the codec the call uses. */
  @Test
  void aPreferredCodecOnEitherSideIsTheOneSent() throws Exception {
    MediaOptions vp9 = PATTERN.newBuilder().videoCodecs("vp9", "VP8").build();
    for (CallStats s : aliceSends(vp9, PATTERN, 2)) assertEquals("VP9", s.videoCodec(), "alice, the caller, prefers VP9: " + s);
    for (CallStats s : aliceSends(PATTERN, vp9, 2)) assertEquals("VP9", s.videoCodec(), "bob, the callee, prefers VP9: " + s);
    for (CallStats s : aliceSends(PATTERN, PATTERN, 2)) assertEquals("VP8", s.videoCodec(), "the default: " + s);
  }

  @Test
  void theBitrateCeilingHoldsAndWithoutItTheSameVideoUsesMore() throws Exception {
    long limited = 0;
    for (CallStats s : aliceSends(PATTERN.newBuilder().maxVideoBitrate(100_000).build(), 6)) {
      limited = Math.max(limited, s.bitrateOutBps());
    }
    long free = 0;
    for (CallStats s : aliceSends(PATTERN, 6)) free = Math.max(free, s.bitrateOutBps());
    // sent bytes include RTP and RTCP headers and ICE checks: a little above the video's 100 kbit/s
    assertTrue(limited < 160_000, "with a 100 kbit/s ceiling alice sent up to " + limited + " bit/s");
    assertTrue(free > 2 * limited, "without it the same video used only up to " + free + " bit/s (limited: " + limited + ")");
  }

  @Test
  void unknownCodecNamesAndNegativeBitratesAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MediaOptions.builder().videoCodecs("VP7"));
    assertTrue(e.getMessage().contains("VP7") && e.getMessage().contains("VP8"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> MediaOptions.builder().maxVideoBitrate(-1));
    assertThrows(IllegalArgumentException.class, () -> MediaOptions.builder().minVideoBitrate(-1));
    MediaOptions both = MediaOptions.builder().minVideoBitrate(300_000).maxVideoBitrate(1_000_000).build();
    assertEquals(300_000, both.newBuilder().build().minVideoBitrate(), "newBuilder keeps the floor");
    assertTrue(both.toString().contains("min 300000 bit/s"), both.toString());
    assertEquals(List.of("H264", "AV1"), MediaOptions.builder().videoCodecs("h264", "av1").build().videoCodecs());
  }
}
