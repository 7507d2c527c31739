package dev.simplecall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Frames and PCM pushed by the app reach the remote peer; a call with no media still connects. */
class AppMediaTest {
  /** I420 planes pushed with padded and with packed strides arrive whole: their frame counters read back. */
  @Test
  void appI420PlanesArriveWholeWithAnyStride() throws Exception {
    MediaOptions app = MediaOptions.builder().video(VideoSource.appFrames(320, 240, 30)).audio(AudioSource.none()).build();
    MediaOptions none = MediaOptions.builder().video(VideoSource.none()).audio(AudioSource.none()).build();
    try (Peers p = new Peers("i420", none)) {
      RecordingListener al = new RecordingListener();
      RecordingListener bl = new RecordingListener();
      CallSession alice = p.client.newSession(p.options("alice").media(app).build(), al);
      CallSession bob = p.session("bob", bl);
      java.util.Set<Long> counters = java.util.concurrent.ConcurrentHashMap.newKeySet();
      bob.addRemoteVideoSink(f -> {
        long n = dev.simplecall.internal.media.TestPattern.readCounter(f);
        if (n >= 0) counters.add(n);
      });
      bob.start();
      assertNotNull(bl.joined.poll(5, TimeUnit.SECONDS));
      alice.call("bob");
      al.awaitState(CallState.CONNECTED, 15);

      int w = 320, h = 240, cw = w / 2, ch = h / 2;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      for (int n = 0; System.nanoTime() < deadline && (counters.stream().filter(c -> c % 2 == 0).count() < 5
          || counters.stream().filter(c -> c % 2 == 1).count() < 5); n++) {
        int pad = n % 2 == 0 ? 0 : 24; // even frames packed (stride = width), odd ones padded
        java.nio.ByteBuffer y = java.nio.ByteBuffer.allocate((w + pad) * h);
        java.nio.ByteBuffer u = java.nio.ByteBuffer.allocate((cw + pad) * ch);
        java.nio.ByteBuffer v = java.nio.ByteBuffer.allocate((cw + pad) * ch);
        dev.simplecall.internal.media.TestPattern.draw(n, w, h, y, w + pad, u, cw + pad, v, cw + pad);
        alice.appVideo().pushI420(w, h, y, w + pad, u, cw + pad, v, cw + pad);
        TimeUnit.MILLISECONDS.sleep(33); // ~30 fps: the pace of a camera, not a wait for a result
      }
      assertTrue(counters.stream().filter(c -> c % 2 == 0).count() >= 5, "packed frames read back: " + counters);
      assertTrue(counters.stream().filter(c -> c % 2 == 1).count() >= 5, "padded frames read back: " + counters);
      alice.hangUp();
      bl.awaitEnded(10);
    }
  }

  @Test
  void appPushedFramesAndPcmArrive() throws Exception {
    MediaOptions app = MediaOptions.builder().video(VideoSource.appFrames(320, 240, 30)).audio(AudioSource.appPcm(48000, 1)).build();
    MediaOptions none = MediaOptions.builder().video(VideoSource.none()).audio(AudioSource.none()).build();
    try (Peers p = new Peers("app", none)) {
      RecordingListener al = new RecordingListener();
      RecordingListener bl = new RecordingListener();
      CallSession alice = p.client.newSession(p.options("alice").media(app).build(), al);
      CallSession bob = p.session("bob", bl);
      assertNotNull(alice.appVideo());
      assertNotNull(alice.appAudio());
      assertNull(bob.appVideo(), "bob's video is not appFrames");
      BlockingQueue<int[]> centre = new LinkedBlockingQueue<>();
      bob.addRemoteVideoSink(f -> {
        int[] argb = f.toArgb();
        centre.add(new int[] {argb[(f.height() / 2) * f.width() + f.width() / 2], f.width(), f.height()});
      });
      AudioCallTest.Recorder hears = new AudioCallTest.Recorder(1000);
      bob.addRemoteAudioSink(hears);
      bob.start();
      assertNotNull(bl.joined.poll(5, TimeUnit.SECONDS));
      alice.call("bob");
      al.awaitState(CallState.CONNECTED, 15);

      BufferedImage img = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = img.createGraphics();
      g.setColor(new Color(200, 30, 40));
      g.fillRect(0, 0, 320, 240);
      g.dispose();
      short[] chunk = new short[480]; // 10 ms at 48 kHz
      double phase = 0;
      int[] seen = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      // push by the wall clock (catching up after a slow iteration, 200 ms ahead) so the PCM stream
      // has no gaps: one frame per ~33 ms, 10 ms chunks of a 1 kHz tone
      long start = System.nanoTime();
      long chunksPushed = 0;
      for (int tick = 0; System.nanoTime() < deadline && (seen == null || !hears.await(0)); tick++) {
        if (tick % 3 == 0) alice.appVideo().push(img);
        long due = (System.nanoTime() - start) / 10_000_000L + 20;
        for (; chunksPushed < due; chunksPushed++) {
          for (int i = 0; i < chunk.length; i++) {
            chunk[i] = (short) (Math.sin(phase) * 8000);
            phase += 2 * Math.PI * 1000 / 48000;
          }
          alice.appAudio().pushPcm(chunk);
        }
        int[] c = centre.poll(10, TimeUnit.MILLISECONDS);
        if (c != null) seen = c;
      }
      assertNotNull(seen, "no app frame arrived");
      int px = seen[0];
      assertEquals(320, seen[1]);
      assertEquals(240, seen[2]);
      assertEquals(200, (px >> 16) & 0xff, 30, "red of " + Integer.toHexString(px));
      assertEquals(30, (px >> 8) & 0xff, 30, "green of " + Integer.toHexString(px));
      assertEquals(40, px & 0xff, 30, "blue of " + Integer.toHexString(px));
      assertTrue(alice.appVideo().framesPushed() > 0);
      assertTrue(hears.await(0), "no second of app PCM heard");
      assertEquals(1000, hears.hz(), 10, "pitch of the app PCM");
      alice.hangUp();
      bl.awaitEnded(10);
    }
  }

  @Test
  void callWithoutMediaConnectsAndCarriesUnorderedData() throws Exception {
    MediaOptions none = MediaOptions.builder().video(VideoSource.none()).audio(AudioSource.none()).build();
    try (Peers p = new Peers("nomedia", none)) {
      RecordingListener al = new RecordingListener();
      RecordingListener bl = new RecordingListener();
      CallSession alice = p.session("alice", al);
      CallSession bob = p.session("bob", bl);
      bob.start();
      assertNotNull(bl.joined.poll(5, TimeUnit.SECONDS));
      alice.call("bob");
      al.awaitState(CallState.CONNECTED, 15);
      DataChannel ch = alice.openDataChannel("telemetry", DataChannelOptions.unordered(0));
      BlockingQueue<String> got = new LinkedBlockingQueue<>();
      DataChannel remote = bl.channels.poll(10, TimeUnit.SECONDS);
      assertNotNull(remote, "the internal channel must not hide user channels");
      assertEquals("telemetry", remote.label());
      remote.setListener(new DataChannel.Listener() {
        @Override
        public void onText(DataChannel c, String text) {
          got.add(text);
        }
      });
      BlockingQueue<Boolean> open = new LinkedBlockingQueue<>();
      ch.setListener(new DataChannel.Listener() {
        @Override
        public void onOpen(DataChannel c) {
          open.add(true);
        }
      });
      assertNotNull(open.poll(10, TimeUnit.SECONDS));
      assertTrue(ch.send("t=1"));
      assertEquals("t=1", got.poll(10, TimeUnit.SECONDS));
      assertNull(bl.channels.poll(200, TimeUnit.MILLISECONDS), "the internal channel was announced");
      alice.hangUp();
      bl.awaitEnded(10);
    }
  }
}
