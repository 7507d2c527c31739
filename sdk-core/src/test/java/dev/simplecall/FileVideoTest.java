package dev.simplecall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link VideoSource#file}: a Y4M file of known colours, sent in a real call, arrives in order, at
 * its size, looping or once.
 */
class FileVideoTest {
  private static final MediaOptions NONE = MediaOptions.builder().video(VideoSource.none()).audio(AudioSource.none()).build();

  @TempDir Path dir;

  @Test
  void loopingFileArrivesInOrderAndStartsAgain() throws Exception {
    Path clip = dir.resolve("colours.y4m");
    Y4mFiles.write(clip, 160, 120, 15, Y4mFiles.PALETTE, 3); // 18 frames, 1.2 s a loop
    VideoSource src = VideoSource.file(clip, true);
    assertEquals(160, src.width());
    assertEquals(120, src.height());
    assertEquals(15, src.fps());
    List<Integer> seen = receive(src, 14, 10);
    assertTrue(seen.size() >= 15, "the file did not loop: " + seen);
    // every change goes to the next colour of the file; 14 changes pass the end, so it looped
    for (int i = 1; i < seen.size(); i++) {
      assertEquals((seen.get(i - 1) + 1) % Y4mFiles.PALETTE.length, (int) seen.get(i), "colour order " + seen);
    }
  }

  @Test
  void fileSentOnceStopsAtItsLastFrame() throws Exception {
    Path clip = dir.resolve("once.y4m");
    Y4mFiles.write(clip, 160, 120, 10, Y4mFiles.PALETTE, 3); // 1.8 s
    List<Integer> seen = receive(VideoSource.file(clip, false), Integer.MAX_VALUE - 1, 10);
    // playback starts when the call connects, so the far end sees the file from its first frame
    assertEquals(List.of(0, 1, 2, 3, 4, 5), seen.subList(0, 6), "colours " + seen);
    assertEquals(6, seen.size(), "the file started again: " + seen);
  }

  @Test
  void badFilesAreRefusedWhenTheSourceIsMade() throws IOException {
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> VideoSource.file(dir.resolve("nope.y4m"), true));
    assertTrue(missing.getMessage().contains("no such Y4M file"), missing.getMessage());
    Path notY4m = Files.writeString(dir.resolve("x.y4m"), "RIFF....WAVE\n");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> VideoSource.file(notY4m, true)).getMessage()
        .contains("not a Y4M file"));
    Path c444 = dir.resolve("c444.y4m");
    Files.write(c444, "YUV4MPEG2 W16 H16 F25:1 C444\n".getBytes(StandardCharsets.US_ASCII));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> VideoSource.file(c444, true)).getMessage()
        .contains("only 4:2:0"));
    Path noRate = dir.resolve("norate.y4m");
    Files.write(noRate, "YUV4MPEG2 W16 H16\n".getBytes(StandardCharsets.US_ASCII));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> VideoSource.file(noRate, true)).getMessage()
        .contains("frame rate"));
  }

  /**
   * Calls with {@code src}, collects the centre colour of each received frame as a palette index,
   * collapses repeats, and returns once {@code changes} changes were seen (or when no frame came for
   * 2 s, or at {@code seconds}).
   */
  private static List<Integer> receive(VideoSource src, int changes, long seconds) throws Exception {
    MediaOptions file = MediaOptions.builder().video(src).audio(AudioSource.none()).build();
    List<Integer> seen = new ArrayList<>();
    int frameCount = 0;
    int unclassified = 0;
    try (Peers p = new Peers("file", NONE)) {
      RecordingListener al = new RecordingListener();
      RecordingListener bl = new RecordingListener();
      CallSession alice = p.client.newSession(p.options("alice").media(file).build(), al);
      CallSession bob = p.session("bob", bl);
      BlockingQueue<int[]> frames = new LinkedBlockingQueue<>();
      bob.addRemoteVideoSink(f -> {
        int[] argb = f.toArgb();
        frames.add(new int[] {argb[(f.height() / 2) * f.width() + f.width() / 2], f.width(), f.height()});
      });
      bob.start();
      assertNotNull(bl.joined.poll(5, TimeUnit.SECONDS));
      alice.call("bob");
      al.awaitState(CallState.CONNECTED, 15);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      while (seen.size() <= changes && System.nanoTime() < deadline) {
        int[] f = frames.poll(2, TimeUnit.SECONDS);
        if (f == null) break; // no frame for 2 s: the file has ended (once) or video stopped
        assertEquals(160, f[1], "width");
        assertEquals(120, f[2], "height");
        frameCount++;
        int c = Y4mFiles.nearest(f[0], 48);
        if (c < 0) { // the encoder's first frame after a cut may be a blend: counted, bounded below
          unclassified++;
          continue;
        }
        if (seen.isEmpty() || seen.get(seen.size() - 1) != c) seen.add(c);
      }
      alice.hangUp();
      bl.awaitEnded(10);
    }
    assertTrue(seen.size() >= Math.min(changes + 1, 6), "too few colours arrived: " + seen);
    assertTrue(unclassified * 5 <= frameCount, unclassified + " of " + frameCount + " frames match no colour of the file");
    return seen;
  }
}
