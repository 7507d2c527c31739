package dev.simplecall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link VideoSource#screen} without an X display (tests run with {@code java.awt.headless=true}):
 * the call ends FAILED with a message that says why, on either side, and the JVM lives on. The
 * capture itself is proven under Xvfb by the samples' {@code ScreenShareTest}.
 */
class ScreenSourceTest {
  private static final MediaOptions NONE = MediaOptions.builder().video(VideoSource.none()).audio(AudioSource.none()).build();
  private static final MediaOptions SCREEN = MediaOptions.builder().video(VideoSource.screen(0, 10)).audio(AudioSource.none()).build();

  @Test
  void callerWithoutDisplayEndsFailedSayingWhy() throws Exception {
    try (Peers p = new Peers("screen-caller", NONE)) {
      RecordingListener al = new RecordingListener();
      RecordingListener bl = new RecordingListener();
      CallSession alice = p.client.newSession(p.options("alice").media(SCREEN).build(), al);
      CallSession bob = p.session("bob", bl);
      bob.start();
      assertNotNull(bl.joined.poll(5, TimeUnit.SECONDS));
      alice.call("bob");
      RecordingListener.Ended e = al.awaitEnded(10);
      assertEquals(EndReason.FAILED, e.reason());
      assertTrue(e.error().getMessage().contains("screen capture needs an X display"), e.error().getMessage());
      al.assertEndedOnce();
      bob.close();
      bl.awaitEnded(10);
    }
  }

  @Test
  void calleeWithoutDisplayEndsFailedAndTheCallerHearsIt() throws Exception {
    try (Peers p = new Peers("screen-callee", NONE)) {
      RecordingListener al = new RecordingListener();
      RecordingListener bl = new RecordingListener();
      CallSession alice = p.session("alice", al);
      CallSession bob = p.client.newSession(p.options("bob").media(SCREEN).build(), bl);
      bob.start();
      assertNotNull(bl.joined.poll(5, TimeUnit.SECONDS));
      alice.call("bob");
      RecordingListener.Ended b = bl.awaitEnded(10);
      assertEquals(EndReason.FAILED, b.reason());
      assertTrue(b.error().getMessage().contains("screen capture needs an X display"), b.error().getMessage());
      RecordingListener.Ended a = al.awaitEnded(10);
      assertEquals(EndReason.REMOTE_HANGUP, a.reason(), "alice: " + a);
      bl.assertEndedOnce();
      al.assertEndedOnce();
    }
  }

  @Test
  void argumentsAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> VideoSource.screen(-1, 10));
    assertThrows(IllegalArgumentException.class, () -> VideoSource.screen(0, 0));
    assertThrows(IllegalArgumentException.class, () -> VideoSource.screenRegion(0, -1, 0, 320, 240, 10));
    VideoSource r = VideoSource.screenRegion(1, 10, 20, 320, 240, 5);
    assertEquals(VideoSource.Kind.SCREEN, r.kind());
    assertTrue(r.isRegion());
    assertEquals("VideoSource[screen 1 320x240+10+20 @5]", r.toString());
    assertEquals("VideoSource[screen 0 @10]", VideoSource.screen(0, 10).toString());
  }
}
