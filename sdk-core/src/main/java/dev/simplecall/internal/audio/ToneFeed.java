package dev.simplecall.internal.audio;

import dev.onvoid.webrtc.media.audio.CustomAudioSource;

/**
 * A continuous sine wave, 48 kHz mono 16-bit, pushed one 10 ms frame per pacer tick. The phase is
 * carried across frames so the tone has no clicks at frame edges. Only used on the pacer thread.
 */
final class ToneFeed implements Pacer.Feed {
  static final int SAMPLE_RATE = 48_000;
  static final int FRAMES_PER_TICK = SAMPLE_RATE / 100;
  private static final double AMPLITUDE = 0.25 * Short.MAX_VALUE;

  private final CustomAudioSource source;
  private final double phaseStep;
  private final byte[] frame = new byte[FRAMES_PER_TICK * 2];
  private double phase;

  ToneFeed(CustomAudioSource source, double hz) {
    this.source = source;
    this.phaseStep = 2 * Math.PI * hz / SAMPLE_RATE;
  }

  @Override
  public void pushFrame() {
    for (int i = 0; i < FRAMES_PER_TICK; i++) {
      int s = (int) Math.round(AMPLITUDE * Math.sin(phase));
      frame[2 * i] = (byte) s;
      frame[2 * i + 1] = (byte) (s >> 8);
      phase += phaseStep;
    }
    phase %= 2 * Math.PI;
    source.pushAudio(frame, 16, SAMPLE_RATE, 1, FRAMES_PER_TICK);
  }
}
