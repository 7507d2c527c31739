package dev.simplecall.internal;

import dev.simplecall.AppAudioSource;

/** The session's {@link AppAudioSource}: forwards to the current call's track; drops PCM while there is none. */
final class AppAudioProxy implements AppAudioSource {
  private final int sampleRate;
  private final int channels;
  volatile AppAudioSource target;

  AppAudioProxy(int sampleRate, int channels) {
    this.sampleRate = sampleRate;
    this.channels = channels;
  }

  @Override
  public int sampleRate() {
    return sampleRate;
  }

  @Override
  public int channels() {
    return channels;
  }

  @Override
  public void pushPcm(short[] samples) {
    if (samples.length % channels != 0) {
      throw new IllegalArgumentException("samples.length " + samples.length + " not a multiple of channels " + channels);
    }
    AppAudioSource t = target;
    if (t != null) t.pushPcm(samples);
  }

  @Override
  public void pushPcm(byte[] pcm16le) {
    if (pcm16le.length % (2 * channels) != 0) {
      throw new IllegalArgumentException("pcm16le.length " + pcm16le.length + " not a multiple of " + 2 * channels);
    }
    AppAudioSource t = target;
    if (t != null) t.pushPcm(pcm16le);
  }
}
