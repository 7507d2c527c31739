package dev.simplecall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.internal.media.TestPattern;
import dev.simplecall.spi.SignalingTransport;
import dev.simplecall.spi.SignalingTransportFactory;
import dev.simplecall.spi.TransportOptions;
import java.net.URI;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Switching the outgoing video mid-call (test pattern to a Y4M file and back) takes over the same
 * sender: the far end sees the new picture, and no offer is sent after the first one.
 */
class SwitchVideoTest {
  @TempDir Path dir;

  @Test
  void switchingVideoMidCallNeedsNoRenegotiation() throws Exception {
    Path clip = dir.resolve("colours.y4m");
    Y4mFiles.write(clip, 320, 240, 15, Y4mFiles.PALETTE, 3);
    InMemorySignaling hub = new InMemorySignaling();
    AtomicInteger offers = new AtomicInteger();
    SignalingTransportFactory counting = new SignalingTransportFactory() {
      @Override
      public Set<String> schemes() {
        return hub.transportFactory().schemes();
      }

      @Override
      public SignalingTransport create(URI endpoint, TransportOptions options, SignalingTransport.Listener listener) {
        SignalingTransport t = hub.transportFactory().create(endpoint, options, listener);
        return new SignalingTransport() {
          @Override
          public boolean send(String text) {
            if (text.contains("\"type\":\"offer\"")) offers.incrementAndGet();
            return t.send(text);
          }

          @Override
          public void close() {
            t.close();
          }
        };
      }
    };
    MediaOptions pattern = MediaOptions.builder().video(VideoSource.testPattern(320, 240, 15)).audio(AudioSource.none()).build();
    MediaOptions none = MediaOptions.builder().video(VideoSource.none()).audio(AudioSource.none()).build();
    try (CallClient client = CallClient.builder().addTransportFactory(counting).media(none).build()) {
      RecordingListener al = new RecordingListener();
      RecordingListener bl = new RecordingListener();
      SessionOptions.Builder base = SessionOptions.builder().signaling(URI.create("memory://test")).room("switch");
      CallSession alice = client.newSession(base.peerId("alice").media(pattern).build(), al);
      CallSession bob = client.newSession(SessionOptions.builder().signaling(URI.create("memory://test")).room("switch")
          .peerId("bob").build(), bl);
      BlockingQueue<int[]> frames = new LinkedBlockingQueue<>(); // {pattern counter, palette index}
      bob.addRemoteVideoSink(f -> {
        int[] argb = f.toArgb();
        frames.add(new int[] {(int) TestPattern.readCounter(f),
            Y4mFiles.nearest(argb[(f.height() * 3 / 4) * f.width() + f.width() / 2], 48)});
      });
      bob.start();
      assertNotNull(bl.joined.poll(5, TimeUnit.SECONDS));
      alice.call("bob");
      al.awaitState(CallState.CONNECTED, 15);
      assertTrue(await(frames, f -> f[0] >= 0), "the test pattern did not arrive");
      assertEquals(1, offers.get(), "offers before the switch");

      alice.addVideo(VideoSource.file(clip, true));
      assertTrue(await(frames, f -> f[0] < 0 && f[1] >= 0), "the file's colours did not arrive after the switch");
      alice.addVideo(VideoSource.testPattern(320, 240, 15));
      assertTrue(await(frames, f -> f[0] >= 0), "the test pattern did not come back");
      assertEquals(1, offers.get(), "a switch renegotiated");
      assertEquals(CallState.CONNECTED, alice.state());
      alice.hangUp();
      bl.awaitEnded(10);
    }
  }

  /** Polls frames for up to 10 s until one matches. */
  private static boolean await(BlockingQueue<int[]> frames, java.util.function.Predicate<int[]> want)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      int[] f = frames.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (f != null && want.test(f)) return true;
    }
    return false;
  }
}
