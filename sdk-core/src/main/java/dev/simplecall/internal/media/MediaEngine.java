package dev.simplecall.internal.media;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.simplecall.AudioSink;
import dev.simplecall.AudioSource;
import dev.simplecall.MediaOptions;
import dev.simplecall.Speaker;
import dev.simplecall.internal.audio.AppPcmTrack;
import dev.simplecall.internal.audio.AudioEngine;
import dev.simplecall.internal.audio.DeviceAudioEngine;
import dev.simplecall.internal.audio.WavFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seam between sdk-core and native audio: the one place that makes the {@link
 * PeerConnectionFactory} and audio tracks. One of two engines runs, chosen from the call's media:
 * <ul>
 *   <li>a microphone or a speaker: {@link DeviceAudioEngine} (the sound server's devices; fails with
 *       a reason when there is no sound server, never falls back to a tone);
 *   <li>otherwise: the headless {@link AudioEngine} (tone, WAV file or app PCM at real time, no sound card).
 * </ul>
 * The log says which one runs.
 */
public final class MediaEngine implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MediaEngine.class);

  private final AudioEngine headless;
  private final DeviceAudioEngine devices;

  private MediaEngine(AudioEngine headless, DeviceAudioEngine devices) {
    this.headless = headless;
    this.devices = devices;
  }

  /** The headless engine (tone, app PCM). */
  public static MediaEngine create() {
    log.info("audio: headless engine (tone or app PCM, no sound card used)");
    return new MediaEngine(AudioEngine.create(), null);
  }

  /** The engine {@code media} needs. @throws dev.simplecall.internal.audio.AudioUnavailableException */
  public static MediaEngine create(MediaOptions media) {
    if (!needsDevices(media)) return create();
    String mic = media.audio().kind() == AudioSource.Kind.MICROPHONE ? media.audio().device() : null;
    return new MediaEngine(null, DeviceAudioEngine.create(mic, media.speaker()));
  }

  /** Whether {@code media} needs the sound server (a microphone, or a speaker). */
  public static boolean needsDevices(MediaOptions media) {
    return media.audio().kind() == AudioSource.Kind.MICROPHONE || media.speaker().plays();
  }

  public PeerConnectionFactory factory() {
    return devices != null ? devices.factory() : headless.factory();
  }

  /** Whether this engine uses the sound server's devices. */
  public boolean usesDevices() {
    return devices != null;
  }

  /** An outgoing audio track for {@code spec} (not NONE). */
  public AppPcm createTrack(String id, AudioSource spec) {
    switch (spec.kind()) {
      case MICROPHONE:
        if (devices == null) {
          throw new IllegalStateException("this call was set up without the sound server: a microphone needs a new call");
        }
        return new AppPcm(null, devices.createMicrophoneTrack(id, spec.echoCancellation(), spec.noiseSuppression(),
            spec.autoGainControl()), null, 48_000, 1);
      case APP_PCM:
        checkHeadless(spec);
        AppPcmTrack t = headless.createAppPcmTrack(id, spec.sampleRate(), spec.channels());
        return new AppPcm(headless, t.track(), t, spec.sampleRate(), spec.channels());
      case FILE:
        checkHeadless(spec);
        short[] samples;
        try {
          samples = WavFile.read48kMono(spec.file());
        } catch (java.io.IOException e) {
          throw new IllegalArgumentException("cannot read WAV " + spec.file() + ": " + e.getMessage(), e);
        }
        return new AppPcm(headless, headless.createFileTrack(id, samples, spec.loop()), null, 48_000, 1);
      case TONE:
        checkHeadless(spec);
        return new AppPcm(headless, headless.createToneTrack(id, spec.toneHz()), null, 48_000, 1);
      default:
        throw new IllegalArgumentException("no track for " + spec);
    }
  }

  private void checkHeadless(AudioSource spec) {
    if (headless == null) {
      throw new IllegalStateException("this call uses the sound server's microphone and speaker; " + spec
          + " needs a call without them");
    }
  }

  /** An audio track carrying a sine tone, sent at real time. */
  public AppPcm createToneTrack(String id, double hz) {
    return createTrack(id, AudioSource.tone(hz));
  }

  /** An audio track fed by {@link AppPcm#pushPcm}. */
  public AppPcm createAppPcmTrack(String id, int sampleRate, int channels) {
    return createTrack(id, AudioSource.appPcm(sampleRate, channels));
  }

  /** Switches the microphone mid-call. @throws IllegalStateException without the sound server */
  public void setMicrophone(String nameOrDescription) {
    requireDevices().setMicrophone(nameOrDescription);
  }

  /** Switches or silences the speaker mid-call. @throws IllegalStateException without the sound server */
  public void setSpeaker(Speaker speaker) {
    requireDevices().setSpeaker(speaker);
  }

  private DeviceAudioEngine requireDevices() {
    if (devices == null) {
      throw new IllegalStateException("this call does not use the sound server (its audio is a tone, app PCM or none "
          + "without a speaker): devices can only be switched in a call started with a microphone or a speaker");
    }
    return devices;
  }

  public void addRemoteSink(AudioTrack remote, AudioSink sink) {
    if (devices != null) devices.addRemoteSink(remote, sink);
    else headless.addRemoteSink(remote, sink);
  }

  public void removeRemoteSink(AudioTrack remote, AudioSink sink) {
    if (devices != null) devices.removeRemoteSink(remote, sink);
    else headless.removeRemoteSink(remote, sink);
  }

  /** Disposes the factory, then the audio device module (the engines keep the safe order). Idempotent. */
  @Override
  public void close() {
    if (devices != null) devices.close();
    else headless.close();
  }
}
