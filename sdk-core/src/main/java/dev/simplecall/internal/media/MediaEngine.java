package dev.simplecall.internal.media;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.media.audio.AudioDeviceModule;
import dev.onvoid.webrtc.media.audio.AudioLayer;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.audio.AudioTrackSink;
import dev.onvoid.webrtc.media.audio.CustomAudioSource;
import dev.simplecall.AudioSink;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * THE seam between sdk-core and the native audio device module: the one place that makes the
 * {@link PeerConnectionFactory} and audio tracks. Its method names match the audio helper's
 * {@code dev.simplecall.internal.audio.AudioEngine}, which replaces this interim body.
 *
 * <p>Interim body (until AudioEngine lands): a dummy audio layer, so nothing touches a sound card;
 * outgoing audio is pushed in real time by {@link PcmPusher}; remote audio sinks are attached but
 * receive nothing because nothing pulls playout (see WEBRTC-JAVA-NOTES.md).
 */
public final class MediaEngine implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MediaEngine.class);

  private final AudioDeviceModule adm;
  private final PeerConnectionFactory factory;
  private final Map<AudioSink, AudioTrackSink> sinks = new ConcurrentHashMap<>();
  private boolean closed;

  private MediaEngine(AudioDeviceModule adm, PeerConnectionFactory factory) {
    this.adm = adm;
    this.factory = factory;
  }

  public static MediaEngine create() {
    AudioDeviceModule adm = new AudioDeviceModule(AudioLayer.kDummyAudio);
    return new MediaEngine(adm, new PeerConnectionFactory(adm));
  }

  public PeerConnectionFactory factory() {
    return factory;
  }

  /** An audio track carrying a sine tone, pushed at real time. */
  public AppPcm createToneTrack(String id, double hz) {
    AppPcm pcm = createAppPcmTrack(id, 48_000, 1);
    pcm.startTone(hz);
    return pcm;
  }

  /** An audio track fed by {@link AppPcm#pushPcm}. */
  public AppPcm createAppPcmTrack(String id, int sampleRate, int channels) {
    CustomAudioSource source = new CustomAudioSource();
    AudioTrack track = factory.createAudioTrack(id, source);
    return new AppPcm(track, source, sampleRate, channels);
  }

  public void addRemoteSink(AudioTrack remote, AudioSink sink) {
    AudioTrackSink native_ = (data, bitsPerSample, sampleRate, channels, frames) -> {
      try {
        if (bitsPerSample != 16) return;
        short[] s = new short[frames * channels];
        for (int i = 0; i < s.length && 2 * i + 1 < data.length; i++) {
          s[i] = (short) ((data[2 * i] & 0xff) | (data[2 * i + 1] << 8));
        }
        sink.onPcm(s, sampleRate, channels);
      } catch (Throwable t) {
        log.warn("audio sink threw", t);
      }
    };
    sinks.put(sink, native_);
    remote.addSink(native_);
  }

  public void removeRemoteSink(AudioTrack remote, AudioSink sink) {
    AudioTrackSink native_ = sinks.remove(sink);
    if (native_ != null) remote.removeSink(native_);
  }

  /** Disposes the factory, then the audio device module (the safe order). Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    factory.dispose();
    adm.dispose();
  }
}
