package dev.simplecall.internal.media;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.simplecall.AudioSink;
import dev.simplecall.internal.audio.AppPcmTrack;
import dev.simplecall.internal.audio.AudioEngine;

/**
 * The seam between sdk-core and native audio: the one place that makes the {@link
 * PeerConnectionFactory} and audio tracks. It delegates to the audio helper's {@link AudioEngine}
 * (headless audio device module, real-time pacer, playout pulled once).
 */
public final class MediaEngine implements AutoCloseable {
  private final AudioEngine audio;

  private MediaEngine(AudioEngine audio) {
    this.audio = audio;
  }

  public static MediaEngine create() {
    return new MediaEngine(AudioEngine.create());
  }

  public PeerConnectionFactory factory() {
    return audio.factory();
  }

  /** An audio track carrying a sine tone, sent at real time. */
  public AppPcm createToneTrack(String id, double hz) {
    return new AppPcm(audio, audio.createToneTrack(id, hz), null, 48_000, 1);
  }

  /** An audio track fed by {@link AppPcm#pushPcm}. */
  public AppPcm createAppPcmTrack(String id, int sampleRate, int channels) {
    AppPcmTrack t = audio.createAppPcmTrack(id, sampleRate, channels);
    return new AppPcm(audio, t.track(), t, sampleRate, channels);
  }

  public void addRemoteSink(AudioTrack remote, AudioSink sink) {
    audio.addRemoteSink(remote, sink);
  }

  public void removeRemoteSink(AudioTrack remote, AudioSink sink) {
    audio.removeRemoteSink(remote, sink);
  }

  /** Disposes the factory, then the audio device module (AudioEngine keeps the safe order). Idempotent. */
  @Override
  public void close() {
    audio.close();
  }
}
