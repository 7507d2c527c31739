package dev.simplecall.internal.audio;

/**
 * A continuous sine wave at 48 kHz. The phase is carried across pulls, so there are no clicks at
 * 10 ms edges, and keeps advancing while muted. Used on the capture thread only.
 */
final class ToneFeed implements MicMixer.Feed {
  private static final double AMPLITUDE = 0.25 * Short.MAX_VALUE;

  private final double phaseStep;
  private double phase;

  ToneFeed(double hz) {
    this.phaseStep = 2 * Math.PI * hz / MicMixer.SAMPLE_RATE;
  }

  @Override
  public void mixInto(int[] acc, int frames, boolean silent) {
    for (int i = 0; i < frames; i++) {
      if (!silent) acc[i] += (int) Math.round(AMPLITUDE * Math.sin(phase));
      phase += phaseStep;
    }
    phase %= 2 * Math.PI;
  }
}
