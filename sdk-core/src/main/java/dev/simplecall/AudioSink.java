package dev.simplecall;

/**
 * Receives remote audio as 16-bit PCM. Called on the native audio thread: copy and return quickly,
 * never block.
 *
 * <pre>{@code
 * session.addRemoteAudioSink((samples, rate, channels) -> recorder.write(samples));
 * }</pre>
 */
@FunctionalInterface
public interface AudioSink {
  /**
   * @param samples interleaved 16-bit samples; owned by the caller only during this call
   * @param sampleRate samples per second per channel
   * @param channels 1 or 2
   */
  void onPcm(short[] samples, int sampleRate, int channels);
}
