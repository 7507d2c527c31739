package dev.simplecall;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.internal.media.TestPattern;
import dev.simplecall.internal.media.Y4mReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CallRecorder} on a real call of the test pattern and a 440 Hz tone: the WAV's header,
 * length and pitch, and the Y4M's size, rate, frame count against the audio's length, and the
 * pattern's frame counters in order.
 */
class CallRecorderTest {
  /** alice sends the test pattern and a 440 Hz tone; bob sends nothing. */
  private static final MediaOptions SENDS =
      MediaOptions.builder().video(VideoSource.testPattern(320, 240, 30)).audio(AudioSource.tone(440)).build();
  private static final MediaOptions NONE = MediaOptions.builder().video(VideoSource.none()).audio(AudioSource.none()).build();

  @TempDir Path dir;

  @Test
  void recordsRemoteToneToWavAndRemotePatternToY4m() throws Exception {
    Path out = dir.resolve("rec");
    double audioSeconds;
    long videoFrames;
    try (Peers p = new Peers("record", NONE)) {
      RecordingListener al = new RecordingListener();
      RecordingListener bl = new RecordingListener();
      CallSession alice = p.client.newSession(p.options("alice").media(SENDS).build(), al);
      CallSession bob = p.session("bob", bl);
      CallRecorder rec = CallRecorder.start(bob, out);
      // how long to record: 3 s of audio heard by bob, counted by a sink of our own
      AtomicLong heard = new AtomicLong();
      CountDownLatch threeSeconds = new CountDownLatch(1);
      bob.addRemoteAudioSink((s, rate, ch) -> {
        if (heard.addAndGet(s.length / ch) >= 3L * rate) threeSeconds.countDown();
      });
      bob.start();
      assertNotNull(bl.joined.poll(5, TimeUnit.SECONDS));
      alice.call("bob");
      al.awaitState(CallState.CONNECTED, 15);
      assertTrue(threeSeconds.await(20, TimeUnit.SECONDS), "bob did not hear 3 s of audio");
      rec.close();
      audioSeconds = rec.audioSeconds();
      videoFrames = rec.videoFrames();
      alice.hangUp();
      bl.awaitEnded(10);
    }
    System.out.printf("recorded %.2f s of audio, %d video frames (%.2f s at 30 fps)%n", audioSeconds, videoFrames,
        videoFrames / 30.0);

    // WAV: RIFF header with the sizes filled in, 16-bit PCM, the length the recorder reports, 440 Hz
    byte[] wav = Files.readAllBytes(out.resolve("audio.wav"));
    ByteBuffer w = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals("RIFF", new String(wav, 0, 4, StandardCharsets.US_ASCII));
    assertEquals(wav.length - 8, w.getInt(4), "RIFF size");
    assertEquals("WAVE", new String(wav, 8, 4, StandardCharsets.US_ASCII));
    assertEquals(1, w.getShort(20), "PCM");
    int channels = w.getShort(22);
    int rate = w.getInt(24);
    assertEquals(16, w.getShort(34), "bits per sample");
    assertEquals("data", new String(wav, 36, 4, StandardCharsets.US_ASCII));
    assertEquals(wav.length - 44, w.getInt(40), "data size");
    double seconds = (wav.length - 44) / (2.0 * channels * rate);
    assertEquals(audioSeconds, seconds, 0.01);
    assertTrue(seconds >= 3.0 && seconds < 6.0, "WAV of " + seconds + " s");
    assertEquals(440, pitch(w, channels, rate), 5, "pitch of the recorded tone");

    // Y4M: the pattern's size at 30 fps; as many frames as the audio lasts; counters in order
    Y4mReader.Header h = Y4mReader.header(out.resolve("video.y4m"));
    assertEquals(320, h.width());
    assertEquals(240, h.height());
    assertEquals(30.0, h.fps());
    long frames = 0;
    long firstCounter = -1;
    long lastCounter = -1;
    int unreadable = 0;
    byte[] planes = new byte[h.frameBytes()];
    try (Y4mReader r = Y4mReader.open(out.resolve("video.y4m"))) {
      while (r.next(planes)) {
        frames++;
        long c = TestPattern.readCounter(frame(planes, 320, 240));
        if (c < 0) {
          unreadable++;
          continue;
        }
        assertTrue(c >= lastCounter, "frame " + frames + " has counter " + c + " after " + lastCounter);
        if (firstCounter < 0) firstCounter = c;
        lastCounter = c;
      }
    }
    assertEquals(videoFrames, frames, "frames in the file");
    assertEquals(audioSeconds, frames / 30.0, 1.0, "video length against audio length");
    assertTrue(unreadable * 10 <= frames, unreadable + " of " + frames + " recorded frames carry no readable counter");
    // the pattern ran at 30 fps: the counters span about as many frames as the file holds
    assertEquals(frames, lastCounter - firstCounter + 1, frames * 0.25, "pattern counters " + firstCounter + ".." + lastCounter);
  }

  /**
   * A full disk ends the recording, not the call: the recorder's files are /dev/full, which answers
   * every write with ENOSPC. The failure is reported at once, video keeps arriving, close() throws
   * the failure, and the call ends by its hang-up.
   */
  @Test
  void aFullDiskEndsTheRecordingNotTheCall() throws Exception {
    Path out = Files.createDirectories(dir.resolve("full"));
    Files.createSymbolicLink(out.resolve("video.y4m"), Path.of("/dev/full"));
    Files.createSymbolicLink(out.resolve("audio.wav"), Path.of("/dev/full"));
    try (Peers p = new Peers("record-full", NONE)) {
      RecordingListener al = new RecordingListener();
      RecordingListener bl = new RecordingListener();
      CallSession alice = p.client.newSession(p.options("alice").media(SENDS).build(), al);
      CallSession bob = p.session("bob", bl);
      CallRecorder rec = CallRecorder.start(bob, out);
      AtomicLong frames = new AtomicLong();
      bob.addRemoteVideoSink(f -> frames.incrementAndGet());
      bob.start();
      assertNotNull(bl.joined.poll(5, TimeUnit.SECONDS));
      alice.call("bob");
      al.awaitState(CallState.CONNECTED, 15);
      await().atMost(Duration.ofSeconds(15)).until(() -> rec.failure() != null);
      assertTrue(rec.failure().getMessage().contains("No space left on device"), rec.failure().toString());

      long atFailure = frames.get();
      await().atMost(Duration.ofSeconds(10)).until(() -> frames.get() >= atFailure + 30); // a second of video more
      assertEquals(CallState.CONNECTED, bob.state());
      IOException thrown = assertThrows(IOException.class, rec::close);
      assertSame(rec.failure(), thrown);
      alice.hangUp();
      assertEquals(EndReason.REMOTE_HANGUP, bl.awaitEnded(10).reason());
    }
  }

  private static VideoFrameData frame(byte[] planes, int w, int h) {
    int cw = w / 2;
    int ch = h / 2;
    return new VideoFrameData(w, h, 0, ByteBuffer.wrap(planes, 0, w * h).slice(), w,
        ByteBuffer.wrap(planes, w * h, cw * ch).slice(), cw, ByteBuffer.wrap(planes, w * h + cw * ch, cw * ch).slice(), cw);
  }

  /** Zero-crossing pitch of channel 0, after the first half second. */
  private static double pitch(ByteBuffer w, int channels, int rate) {
    int n = (w.limit() - 44) / (2 * channels);
    int first = -1, last = -1, crossings = 0;
    short prev = 0;
    for (int i = rate / 2; i < n; i++) {
      short s = w.getShort(44 + i * 2 * channels);
      if (prev < 0 && s >= 0) {
        if (first < 0) first = i;
        last = i;
        crossings++;
      }
      prev = s;
    }
    return crossings < 2 ? 0 : (crossings - 1) * (double) rate / (last - first);
  }
}
