package dev.simplecall;

/**
 * Audio the app pushes, when the session's audio is {@link AudioSource#appPcm(int, int)}. Push in
 * real time (for example 10 ms chunks every 10 ms); samples are interleaved 16-bit.
 *
 * <pre>{@code
 * AppAudioSource mic = session.appAudio();
 * short[] chunk = new short[mic.sampleRate() / 100 * mic.channels()]; // 10 ms
 * mic.pushPcm(chunk);
 * }</pre>
 */
public interface AppAudioSource {
  int sampleRate();

  int channels();

  /** Pushes interleaved samples; the length must be a multiple of {@link #channels()}. */
  void pushPcm(short[] samples);

  /** Pushes interleaved 16-bit little-endian PCM bytes. */
  void pushPcm(byte[] pcm16le);
}
