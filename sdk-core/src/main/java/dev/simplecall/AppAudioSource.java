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
  /**
   * The rate of the PCM to push, as given to {@link AudioSource#appPcm(int, int)}.
   *
   * @return samples per second per channel: 8000, 16000, 32000, 44100 or 48000
   */
  int sampleRate();

  /**
   * The channel count of the PCM to push, as given to {@link AudioSource#appPcm(int, int)}.
   *
   * @return 1 (mono) or 2 (interleaved stereo)
   */
  int channels();

  /**
   * Pushes interleaved samples; the length must be a multiple of {@link #channels()}. They are queued
   * and sent at real time; when nothing is queued, silence is sent. Samples pushed while the session
   * has no call (before it, or after it ended) are dropped. Samples pushed once the call is set up but
   * before it sends (while ICE connects) wait in the queue and add that much latency.
   *
   * @param samples signed 16-bit samples at {@link #sampleRate()}, channels interleaved; copied before
   *     this returns
   * @throws IllegalArgumentException when the length is not a multiple of {@link #channels()}
   * @throws IllegalStateException when more than 10 s of audio would be waiting to be sent (push at real
   *     time); nothing of this push is queued then
   */
  void pushPcm(short[] samples);

  /**
   * Pushes interleaved 16-bit little-endian PCM bytes; otherwise as {@link #pushPcm(short[])}.
   *
   * @param pcm16le two bytes per sample, low byte first, channels interleaved; the length must be a
   *     multiple of {@code 2 * channels()}
   * @throws IllegalArgumentException when the length is not a multiple of {@code 2 * channels()}
   * @throws IllegalStateException when more than 10 s of audio would be waiting to be sent
   */
  void pushPcm(byte[] pcm16le);
}
