package dev.simplecall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.internal.audio.PlayoutRate;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Through the public API: a tone sent at real time is heard at real time and at its pitch, both ways. */
class AudioCallTest {
  /** Records mono samples with arrival times; measures over a steady window after a warm-up. */
  static final class Recorder implements AudioSink {
    private final CountDownLatch done = new CountDownLatch(1);
    private final long spanNanos;
    private short[] samples = new short[48_000 * 8];
    private int count;
    private long firstNanos;
    private long warmNanos = -1;
    private int warmCount;
    private long lastNanos;
    private int rate;

    Recorder(long spanMs) {
      this.spanNanos = TimeUnit.MILLISECONDS.toNanos(spanMs);
    }

    @Override
    public synchronized void onPcm(short[] pcm, int sampleRate, int channels) {
      long now = System.nanoTime();
      if (firstNanos == 0) firstNanos = now;
      rate = sampleRate;
      int frames = pcm.length / channels;
      if (warmNanos < 0 && now - firstNanos >= TimeUnit.MILLISECONDS.toNanos(1000)) {
        warmNanos = now;
        warmCount = count;
      }
      if (count + frames > samples.length) samples = Arrays.copyOf(samples, samples.length * 2);
      for (int i = 0; i < frames; i++) samples[count + i] = pcm[i * channels];
      count += frames;
      lastNanos = now;
      if (warmNanos >= 0 && now - warmNanos >= spanNanos) done.countDown();
    }

    boolean await(long seconds) throws InterruptedException {
      return done.await(seconds, TimeUnit.SECONDS);
    }

    /** Received samples per wall-clock second over the steady window, divided by the sample rate. */
    synchronized double rateRatio() {
      double secs = (lastNanos - warmNanos) / 1e9;
      return (count - warmCount) / secs / rate;
    }

    /** Pitch from rising zero crossings over the steady window. */
    synchronized double hz() {
      int crossings = 0;
      int first = -1, last = -1;
      for (int i = warmCount + 1; i < count; i++) {
        if (samples[i - 1] < 0 && samples[i] >= 0) {
          if (first < 0) first = i;
          last = i;
          crossings++;
        }
      }
      return crossings < 2 ? 0 : (crossings - 1) * (double) rate / (last - first);
    }
  }

  @Test
  void toneArrivesAtRealTimeAndPitchBothWays() throws Exception {
    MediaOptions none = MediaOptions.builder().video(VideoSource.none()).audio(AudioSource.none()).build();
    try (Peers p = new Peers("audio", none)) {
      RecordingListener al = new RecordingListener();
      RecordingListener bl = new RecordingListener();
      CallSession alice = p.client.newSession(p.options("alice")
          .media(MediaOptions.builder().video(VideoSource.none()).audio(AudioSource.tone(440)).build()).build(), al);
      CallSession bob = p.client.newSession(p.options("bob")
          .media(MediaOptions.builder().video(VideoSource.none()).audio(AudioSource.tone(660)).build()).build(), bl);
      Recorder bobHears = new Recorder(3000);
      Recorder aliceHears = new Recorder(3000);
      bob.addRemoteAudioSink(bobHears);
      alice.addRemoteAudioSink(aliceHears);
      bob.start();
      bl.joined.poll(5, TimeUnit.SECONDS);
      alice.call("bob");
      al.awaitState(CallState.CONNECTED, 15);
      assertTrue(bobHears.await(20), "bob: 3 s of steady audio not seen");
      assertTrue(aliceHears.await(20), "alice: 3 s of steady audio not seen");
      PlayoutRate.assertRealTime(bobHears.rateRatio(), "bob");
      PlayoutRate.assertRealTime(aliceHears.rateRatio(), "alice");
      assertEquals(440, bobHears.hz(), 5, "bob hears alice's pitch");
      assertEquals(660, aliceHears.hz(), 5, "alice hears bob's pitch");
      alice.hangUp();
      bl.awaitEnded(10);
    }
  }
}
