package dev.simplecall.internal.audio;

/**
 * Plays decoded 48 kHz mono samples into the microphone mix, looping or once (then silence). The
 * position keeps advancing while muted, as a file played in the room would. Capture thread only.
 */
final class FileFeed implements MicMixer.Feed {
  private final short[] samples;
  private final boolean loop;
  private int pos;

  FileFeed(short[] samples, boolean loop) {
    this.samples = samples;
    this.loop = loop;
  }

  @Override
  public void mixInto(int[] acc, int frames, boolean silent) {
    if (samples.length == 0) return;
    for (int i = 0; i < frames; i++) {
      if (pos >= samples.length) {
        if (!loop) return;
        pos = 0;
      }
      if (!silent) acc[i] += samples[pos];
      pos++;
    }
  }
}
