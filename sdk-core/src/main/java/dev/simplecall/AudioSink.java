package dev.simplecall;

/**
 * Receives remote audio as 16-bit PCM.
 *
 * <p>Called on the native playout thread, about every 10 ms, with exactly the audio played out in
 * that period. Return quickly: keep the samples or hand them to your own executor. Do not call
 * back into the session or WebRTC from here: closing a call waits for this thread, and a call
 * that waits for WebRTC's signaling thread from here can deadlock. An exception thrown here is
 * caught and logged; it never reaches native code.
 *
 * <pre>{@code
 * session.addRemoteAudioSink((samples, sampleRate, channels) ->
 *     recorder.write(samples, sampleRate, channels));
 * }</pre>
 */
@FunctionalInterface
public interface AudioSink {
  /**
   * @param samples interleaved signed 16-bit samples; {@code samples.length / channels} frames.
   *     The array belongs to the callee.
   * @param sampleRate samples per second per channel, for example 48000
   * @param channels 1 (mono) or 2 (stereo)
   */
  void onPcm(short[] samples, int sampleRate, int channels);
}
