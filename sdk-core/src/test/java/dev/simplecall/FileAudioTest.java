package dev.simplecall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.internal.audio.PlayoutRate;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code AudioSource.file}: a WAV file is sent at real time, looping or once, and bad files fail at once. */
class FileAudioTest {
  @TempDir Path tmp;

  @Test
  void loopingWavArrivesAtRealTimeAndItsPitchPastItsOwnLength() throws Exception {
    Path wav = tmp.resolve("a440-16k-stereo.wav");
    writeWav(wav, 16_000, 2, 440, 1.0); // 1 s, so 3 s of steady audio means it looped
    AudioCallTest.Recorder bobHears = new AudioCallTest.Recorder(3000);
    call(AudioSource.file(wav, true), bobHears, () -> {
      assertTrue(bobHears.await(20), "bob: 3 s of steady audio not seen");
      PlayoutRate.assertRealTime(bobHears.rateRatio(), "bob");
      assertEquals(440, bobHears.hz(), 5, "bob hears the file's pitch");
    });
  }

  @Test
  void onceWavPlaysItsLengthThenSilence() throws Exception {
    Path wav = tmp.resolve("a660-48k-mono.wav");
    writeWav(wav, 48_000, 1, 660, 1.0);
    Loudness bobHears = new Loudness();
    call(AudioSource.file(wav, false), bobHears, () -> {
      assertTrue(bobHears.silentAfterLoud.await(20, TimeUnit.SECONDS), "the tone never stopped");
      double loudSeconds = bobHears.loudFrames() / 48_000.0;
      assertEquals(1.0, loudSeconds, 0.25, "seconds of tone received for a 1 s file played once");
    });
  }

  @Test
  void missingOrBadFileFailsAtOnce() throws Exception {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> AudioSource.file(tmp.resolve("nope.wav"), true));
    assertTrue(e.getMessage().contains("nope.wav"), e.getMessage());
    Path text = tmp.resolve("text.wav");
    Files.writeString(text, "not a wav");
    e = assertThrows(IllegalArgumentException.class, () -> AudioSource.file(text, true));
    assertTrue(e.getMessage().contains("text.wav"), e.getMessage());
  }

  /** Counts 10 ms blocks louder than RMS 1000 until 500 ms of silence follow loud audio. */
  static final class Loudness implements AudioSink {
    final CountDownLatch silentAfterLoud = new CountDownLatch(1);
    private long loud;
    private long quietRun;

    @Override
    public synchronized void onPcm(short[] pcm, int sampleRate, int channels) {
      double e = 0;
      for (int i = 0; i < pcm.length; i += channels) e += (double) pcm[i] * pcm[i];
      int frames = pcm.length / channels;
      double rms = Math.sqrt(e / Math.max(1, frames));
      if (rms > 1000) {
        loud += frames * 48_000L / sampleRate;
        quietRun = 0;
      } else if (loud > 0 && (quietRun += frames * 1000L / sampleRate) >= 500) {
        silentAfterLoud.countDown();
      }
    }

    synchronized long loudFrames() {
      return loud;
    }
  }

  interface Check {
    void run() throws Exception;
  }

  private static void call(AudioSource aliceAudio, AudioSink bobSink, Check check) throws Exception {
    MediaOptions none = MediaOptions.builder().video(VideoSource.none()).audio(AudioSource.none()).build();
    try (Peers p = new Peers("file", none)) {
      RecordingListener al = new RecordingListener();
      RecordingListener bl = new RecordingListener();
      CallSession alice = p.client.newSession(p.options("alice")
          .media(MediaOptions.builder().video(VideoSource.none()).audio(aliceAudio).build()).build(), al);
      CallSession bob = p.client.newSession(p.options("bob").media(none).build(), bl);
      bob.addRemoteAudioSink(bobSink);
      bob.start();
      bl.joined.poll(5, TimeUnit.SECONDS);
      alice.call("bob");
      al.awaitState(CallState.CONNECTED, 15);
      check.run();
      alice.hangUp();
      bl.awaitEnded(10);
    }
  }

  /** 16-bit PCM WAV of a sine at a quarter of full scale. */
  static void writeWav(Path path, int rate, int channels, double hz, double seconds) throws Exception {
    int frames = (int) (rate * seconds);
    int dataBytes = frames * channels * 2;
    ByteBuffer b = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes()).putInt(36 + dataBytes).put("WAVE".getBytes()).put("fmt ".getBytes()).putInt(16)
        .putShort((short) 1).putShort((short) channels).putInt(rate).putInt(rate * channels * 2)
        .putShort((short) (channels * 2)).putShort((short) 16).put("data".getBytes()).putInt(dataBytes);
    for (int i = 0; i < frames; i++) {
      short v = (short) (8000 * Math.sin(2 * Math.PI * hz * i / rate));
      for (int c = 0; c < channels; c++) b.putShort(v);
    }
    Files.write(path, b.array());
  }
}
