package dev.simplecall.internal.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The buffer and format conversion, without native code (the track itself is not needed). */
@Tag("fast")
class AppPcmTrackTest {
  @Test
  void oneSecondAt16kHzBecomesOneSecondAt48kHzAtTheSamePitch() {
    AppPcmTrack pcm = new AppPcmTrack(null, 16_000, 1);
    short[] in = new short[16_000];
    for (int i = 0; i < in.length; i++) in[i] = (short) Math.round(8000 * Math.sin(2 * Math.PI * 440 * i / 16_000.0));
    pcm.pushPcm(in);
    // The last input sample is held back until the next one arrives (interpolation needs it).
    assertEquals(48_000 - 3, pcm.bufferedSamples());
    int[] out = drain(pcm, 48_000 - 3);
    int rising = 0;
    for (int i = 1; i < out.length; i++) if (out[i - 1] < 0 && out[i] >= 0) rising++;
    assertEquals(440, rising, 1, "rising zero crossings in one second");
  }

  @Test
  void stereoIsAveragedToMono() {
    AppPcmTrack pcm = new AppPcmTrack(null, 48_000, 2);
    pcm.pushPcm(new short[] {1000, 3000, -1000, -3000, 500, 700});
    int[] out = drain(pcm, 2);
    assertEquals(2000, out[0]);
    assertEquals(-2000, out[1]);
  }

  @Test
  void badLengthAndOverflowAreRejectedWithoutLosingQueuedAudio() {
    AppPcmTrack pcm = new AppPcmTrack(null, 48_000, 2);
    assertThrows(IllegalArgumentException.class, () -> pcm.pushPcm(new short[3]));
    pcm.pushPcm(new short[2 * 48_000]);
    int queued = pcm.bufferedSamples();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> pcm.pushPcm(new short[2 * 48_000 * AppPcmTrack.MAX_BUFFERED_SECONDS]));
    assertTrue(e.getMessage().contains("buffer full"), e.getMessage());
    assertEquals(queued, pcm.bufferedSamples());
    assertThrows(NullPointerException.class, () -> pcm.pushPcm(null));
  }

  @Test
  void underrunSendsSilenceAndIsCounted() {
    AppPcmTrack pcm = new AppPcmTrack(null, 48_000, 1);
    pcm.pushPcm(new short[] {0, 100, 200});
    int[] acc = new int[480];
    pcm.feed.mixInto(acc, 480, false);
    assertEquals(100, acc[1]);
    assertEquals(0, acc[10]);
    assertEquals(1, pcm.underruns());
  }

  @Test
  void formatIsChecked() {
    assertThrows(IllegalArgumentException.class, () -> AppPcmTrack.checkFormat(7999, 1));
    assertThrows(IllegalArgumentException.class, () -> AppPcmTrack.checkFormat(96_000, 1));
    assertThrows(IllegalArgumentException.class, () -> AppPcmTrack.checkFormat(48_000, 3));
    AppPcmTrack.checkFormat(44_100, 2);
  }

  private static int[] drain(AppPcmTrack pcm, int samples) {
    int[] acc = new int[samples];
    pcm.feed.mixInto(acc, samples, false);
    return acc;
  }
}
