package dev.simplecall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.internal.media.TestPattern;
import java.io.File;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Everything around camera capture that a machine without {@code /dev/video*} can prove: listing
 * answers (empty) without crashing, a camera asked for by name that is absent ends the call FAILED
 * saying so, and the first camera falls back to the test pattern (with a log line) when there is
 * none. Capture from a real V4L2 camera is not proven here: this machine kind has none.
 */
class CameraSourceTest {
  private static final MediaOptions NONE = MediaOptions.builder().video(VideoSource.none()).audio(AudioSource.none()).build();

  private static boolean noVideoNodes() {
    String[] nodes = new File("/dev").list((d, n) -> n.startsWith("video"));
    return nodes == null || nodes.length == 0;
  }

  @Test
  void listingAnswersWithinItsBoundAndIsEmptyWithoutVideoNodes() {
    long start = System.nanoTime();
    List<Cameras.Camera> cams = Cameras.list();
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(4), "listing took longer than its 3 s bound");
    if (noVideoNodes()) assertEquals(List.of(), cams, "cameras without /dev/video*");
    for (Cameras.Camera c : cams) assertNotNull(c.name(), c.toString());
    assertEquals("camera \"HD Webcam\" (/dev/video0)", new Cameras.Camera("HD Webcam", "/dev/video0").toString());
  }

  @Test
  void absentNamedCameraEndsTheCallFailedSayingSo() throws Exception {
    MediaOptions front = MediaOptions.builder().video(VideoSource.camera("front", 320, 240, 15)).audio(AudioSource.none()).build();
    try (Peers p = new Peers("camera-absent", NONE)) {
      RecordingListener al = new RecordingListener();
      RecordingListener bl = new RecordingListener();
      CallSession alice = p.client.newSession(p.options("alice").media(front).build(), al);
      CallSession bob = p.session("bob", bl);
      bob.start();
      assertNotNull(bl.joined.poll(5, TimeUnit.SECONDS));
      alice.call("bob");
      RecordingListener.Ended e = al.awaitEnded(10);
      assertEquals(EndReason.FAILED, e.reason());
      assertTrue(e.error().getMessage().contains("no camera named \"front\""), e.error().getMessage());
      if (noVideoNodes()) {
        assertTrue(e.error().getMessage().contains("this machine has no camera (no /dev/video* device)"),
            e.error().getMessage());
      }
      al.assertEndedOnce();
      bob.close();
      bl.awaitEnded(10);
    }
  }

  @Test
  void firstCameraFallsBackToTheTestPatternWhenThereIsNone() throws Exception {
    MediaOptions cam = MediaOptions.builder().video(VideoSource.camera(320, 240, 15)).audio(AudioSource.none()).build();
    boolean none = Cameras.list().isEmpty();
    try (Peers p = new Peers("camera-first", NONE)) {
      RecordingListener al = new RecordingListener();
      RecordingListener bl = new RecordingListener();
      CallSession alice = p.client.newSession(p.options("alice").media(cam).build(), al);
      CallSession bob = p.session("bob", bl);
      BlockingQueue<Long> counters = new LinkedBlockingQueue<>();
      bob.addRemoteVideoSink(f -> counters.add(TestPattern.readCounter(f)));
      bob.start();
      assertNotNull(bl.joined.poll(5, TimeUnit.SECONDS));
      alice.call("bob");
      al.awaitState(CallState.CONNECTED, 15);
      Long c = counters.poll(15, TimeUnit.SECONDS);
      assertNotNull(c, "no video arrived");
      if (none) { // the pattern, whose counter reads back; with a real camera any frame will do
        long readable = c >= 0 ? 1 : 0;
        for (int i = 0; i < 10; i++) {
          Long next = counters.poll(5, TimeUnit.SECONDS);
          assertNotNull(next, "video stopped");
          if (next >= 0) readable++;
        }
        assertTrue(readable >= 8, "the fallback is not the test pattern: " + readable + " of 11 frames carry a counter");
      }
      alice.hangUp();
      bl.awaitEnded(10);
    }
  }

  @Test
  void cameraArgumentsAreChecked() {
    assertThrows(NullPointerException.class, () -> VideoSource.camera(null, 640, 480, 30));
    assertThrows(IllegalArgumentException.class, () -> VideoSource.camera(" ", 640, 480, 30));
    VideoSource v = VideoSource.camera("/dev/video2", 1280, 720, 30);
    assertEquals("/dev/video2", v.device());
    assertEquals("VideoSource[camera \"/dev/video2\" 1280x720@30]", v.toString());
    assertEquals(null, VideoSource.camera().device());
  }
}
