package dev.simplecall.internal.media;

import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.audio.CustomAudioSource;
import dev.simplecall.AppAudioSource;
import dev.simplecall.internal.NamedThreads;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An outgoing audio track fed with PCM: by the app ({@link AppAudioSource}) or by an internal tone
 * generator that pushes 10 ms chunks on a fixed-rate daemon thread. Interim until the audio
 * helper's engine lands (see {@link MediaEngine}).
 */
public final class AppPcm implements AppAudioSource, AutoCloseable {
  private final AudioTrack track;
  private final CustomAudioSource source;
  private final int sampleRate;
  private final int channels;
  private ScheduledExecutorService toneThread;
  private volatile boolean closed;

  AppPcm(AudioTrack track, CustomAudioSource source, int sampleRate, int channels) {
    this.track = track;
    this.source = source;
    this.sampleRate = sampleRate;
    this.channels = channels;
  }

  public AudioTrack track() {
    return track;
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
    if (samples.length % channels != 0) {
      throw new IllegalArgumentException("samples.length " + samples.length + " not a multiple of channels " + channels);
    }
    byte[] b = new byte[samples.length * 2];
    for (int i = 0; i < samples.length; i++) {
      b[2 * i] = (byte) samples[i];
      b[2 * i + 1] = (byte) (samples[i] >> 8);
    }
    pushBytes(b);
  }

  @Override
  public void pushPcm(byte[] pcm16le) {
    Objects.requireNonNull(pcm16le, "pcm16le == null");
    if (pcm16le.length % (2 * channels) != 0) {
      throw new IllegalArgumentException("pcm16le.length " + pcm16le.length + " not a multiple of " + 2 * channels);
    }
    pushBytes(pcm16le);
  }

  private synchronized void pushBytes(byte[] b) {
    if (closed) return;
    source.pushAudio(b, 16, sampleRate, channels, b.length / 2 / channels);
  }

  synchronized void startTone(double hz) {
    int chunk = sampleRate / 100;
    double step = 2 * Math.PI * hz / sampleRate;
    double[] phase = {0};
    toneThread = Executors.newSingleThreadScheduledExecutor(NamedThreads.daemonSingle("simplecall-tone"));
    toneThread.scheduleAtFixedRate(() -> {
      short[] s = new short[chunk * channels];
      for (int i = 0; i < chunk; i++) {
        short v = (short) (Math.sin(phase[0]) * 8000);
        phase[0] += step;
        for (int c = 0; c < channels; c++) s[i * channels + c] = v;
      }
      if (phase[0] > 2 * Math.PI * 1000) phase[0] -= 2 * Math.PI * 1000;
      try {
        pushPcm(s);
      } catch (Throwable ignored) {
        // never let the pusher die silently mid-call; the next tick tries again
      }
    }, 0, 10, TimeUnit.MILLISECONDS);
  }

  /** Stops the tone thread, then disposes the track and its source (in that order). */
  @Override
  public void close() {
    ScheduledExecutorService t;
    synchronized (this) {
      if (closed) return;
      closed = true;
      t = toneThread;
    }
    if (t != null) {
      t.shutdownNow();
      try {
        t.awaitTermination(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    Dispose.quietly("audio track", track::dispose);
    Dispose.quietly("audio source", source::dispose);
  }
}
