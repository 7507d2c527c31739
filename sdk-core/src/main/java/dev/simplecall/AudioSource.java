package dev.simplecall;

/**
 * Where a session's outgoing audio comes from.
 *
 * <pre>{@code
 * MediaOptions.builder().audio(AudioSource.tone(440)).build();
 * MediaOptions.builder().audio(AudioSource.microphone()).build(); // tone if no microphone
 * MediaOptions.builder().audio(AudioSource.appPcm(48000, 1)).build(); // session.appAudio()
 * }</pre>
 */
public final class AudioSource {
  /** The kinds of source. */
  public enum Kind { NONE, TONE, MICROPHONE, APP_PCM }

  private static final AudioSource NONE = new AudioSource(Kind.NONE, 0, 0, 0);

  private final Kind kind;
  private final double toneHz;
  private final int sampleRate;
  private final int channels;

  private AudioSource(Kind kind, double toneHz, int sampleRate, int channels) {
    this.kind = kind;
    this.toneHz = toneHz;
    this.sampleRate = sampleRate;
    this.channels = channels;
  }

  /** A sine tone at {@code hz}, sent in real time. */
  public static AudioSource tone(double hz) {
    if (!(hz >= 20 && hz <= 20_000)) throw new IllegalArgumentException("hz must be in 20..20000: " + hz);
    return new AudioSource(Kind.TONE, hz, 48_000, 1);
  }

  /** The default microphone, or a 440 Hz tone when there is none. */
  public static AudioSource microphone() {
    return new AudioSource(Kind.MICROPHONE, 440, 48_000, 1);
  }

  /** PCM the app pushes through {@link CallSession#appAudio()}. */
  public static AudioSource appPcm(int sampleRate, int channels) {
    if (sampleRate != 8000 && sampleRate != 16000 && sampleRate != 32000 && sampleRate != 44100 && sampleRate != 48000) {
      throw new IllegalArgumentException("sampleRate must be 8000, 16000, 32000, 44100 or 48000: " + sampleRate);
    }
    if (channels != 1 && channels != 2) throw new IllegalArgumentException("channels must be 1 or 2: " + channels);
    return new AudioSource(Kind.APP_PCM, 0, sampleRate, channels);
  }

  /** No outgoing audio. */
  public static AudioSource none() {
    return NONE;
  }

  public Kind kind() {
    return kind;
  }

  /** The tone frequency (TONE, and the MICROPHONE fallback). */
  public double toneHz() {
    return toneHz;
  }

  public int sampleRate() {
    return sampleRate;
  }

  public int channels() {
    return channels;
  }

  @Override
  public String toString() {
    switch (kind) {
      case TONE: return "AudioSource[tone " + toneHz + " Hz]";
      case APP_PCM: return "AudioSource[appPcm " + sampleRate + " Hz x" + channels + "]";
      default: return "AudioSource[" + kind + "]";
    }
  }
}
