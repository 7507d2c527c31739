package dev.simplecall.internal.media;

import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.simplecall.AppAudioSource;
import dev.simplecall.internal.audio.AppPcmTrack;
import dev.simplecall.internal.audio.AudioEngine;
import java.util.Objects;

/**
 * One outgoing audio track made by the {@link AudioEngine}: a tone, or PCM pushed by the app
 * ({@link AppAudioSource}; {@code app == null} for a tone), or the sound server's microphone
 * ({@code engine == null}). {@link #close()} takes it out of the engine's mix.
 */
public final class AppPcm implements AppAudioSource, AutoCloseable {
  private final AudioEngine engine;
  private final AudioTrack track;
  private final AppPcmTrack app;
  private final int sampleRate;
  private final int channels;
  private volatile boolean closed;

  AppPcm(AudioEngine engine, AudioTrack track, AppPcmTrack app, int sampleRate, int channels) {
    this.engine = engine;
    this.track = track;
    this.app = app;
    this.sampleRate = sampleRate;
    this.channels = channels;
  }

  public AudioTrack track() {
    return track;
  }

  /** This as an {@link AppAudioSource} when the app pushes PCM, else {@code null}. */
  public AppAudioSource appSource() {
    return app == null ? null : this;
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
    Objects.requireNonNull(samples, "samples == null");
    if (app == null) throw new IllegalStateException("this audio source is a tone, not appPcm");
    if (closed) return;
    app.pushPcm(samples);
  }

  @Override
  public void pushPcm(byte[] pcm16le) {
    Objects.requireNonNull(pcm16le, "pcm16le == null");
    if (pcm16le.length % 2 != 0) throw new IllegalArgumentException("odd byte count: " + pcm16le.length);
    short[] s = new short[pcm16le.length / 2];
    for (int i = 0; i < s.length; i++) s[i] = (short) ((pcm16le[2 * i] & 0xff) | (pcm16le[2 * i + 1] << 8));
    pushPcm(s);
  }

  /**
   * Takes the track out of the engine's microphone mix. The track itself is not disposed: in
   * 0.14.0 that throws while a sender holds it; the engine's factory frees it. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    if (engine != null) Dispose.quietly("audio feed", () -> engine.releaseTrack(track));
  }
}
