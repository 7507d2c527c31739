package dev.simplecall.internal.audio;

import static java.util.Objects.requireNonNull;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.media.audio.AudioDeviceModule;
import dev.onvoid.webrtc.media.audio.AudioLayer;
import dev.onvoid.webrtc.media.audio.AudioOptions;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.simplecall.AudioDevice;
import dev.simplecall.AudioSink;
import dev.simplecall.Speaker;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Real microphone and speaker through the sound server: webrtc-java's platform
 * {@link AudioDeviceModule} on PulseAudio (or PipeWire's PulseAudio service), plus a
 * {@link PulseRouter} that puts its streams on the chosen devices (0.14.0 cannot choose them itself)
 * and mutes playout when no speaker was asked for. See docs/adr/0010-audio-device-path.md.
 *
 * <p>Every audio sender of this engine's factory sends the microphone (the module captures it
 * itself), so this engine carries only microphone tracks; tones and app PCM use {@link AudioEngine}.
 *
 * <pre>{@code
 * try (DeviceAudioEngine audio = DeviceAudioEngine.create(null, Speaker.systemDefault())) {
 *   pc = audio.factory().createPeerConnection(config, observer);
 *   pc.addTrack(audio.createMicrophoneTrack("mic", true, true, true), List.of("s"));
 * }
 * }</pre>
 *
 * <p>Threading: any thread. {@link #create} probes for a sound server first: the module's
 * constructor aborts the JVM when there is none.
 */
public final class DeviceAudioEngine implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DeviceAudioEngine.class);

  private final AudioDeviceModule adm;
  private final PeerConnectionFactory factory;
  private final PulseRouter router;
  private final RemoteSinks sinks = new RemoteSinks();
  private final Object lock = new Object();
  private volatile AudioDevice microphone;
  private volatile AudioDevice speakerDevice;
  private volatile boolean speakerOn;
  private boolean closed; // guarded by lock

  private DeviceAudioEngine(AudioDevice microphone, AudioDevice speakerDevice, boolean speakerOn) throws IOException {
    this.microphone = microphone;
    this.speakerDevice = speakerDevice;
    this.speakerOn = speakerOn;
    this.router = new PulseRouter(microphone.name(), speakerDevice == null ? null : speakerDevice.name(), !speakerOn);
    AudioDeviceModule m = null;
    PeerConnectionFactory f = null;
    try {
      m = new AudioDeviceModule(AudioLayer.kLinuxPulseAudio);
      f = new PeerConnectionFactory(m);
    } catch (Throwable t) {
      if (f != null) f.dispose();
      if (m != null) m.dispose();
      router.close();
      throw t;
    }
    this.adm = m;
    this.factory = f;
  }

  /**
   * Checks for a sound server and the named devices, then makes the module and the factory.
   *
   * @param microphone name or description; {@code null} for the default
   * @throws AudioUnavailableException no sound server, no pactl, or no such device (the message
   *     lists the devices there are)
   */
  public static DeviceAudioEngine create(String microphone, Speaker speaker) {
    requireNonNull(speaker, "speaker == null");
    String reason = SoundServer.unavailableReason();
    if (reason != null) throw new AudioUnavailableException(reason);
    List<AudioDevice> devices;
    try {
      devices = PulseDevices.list();
    } catch (IOException e) {
      throw new AudioUnavailableException("cannot list audio devices: " + e.getMessage(), e);
    }
    AudioDevice mic;
    AudioDevice out;
    try {
      mic = PulseDevices.find(devices, AudioDevice.Type.CAPTURE, microphone);
      out = PulseDevices.find(devices, AudioDevice.Type.PLAYOUT, speaker.device());
    } catch (IllegalArgumentException e) {
      throw new AudioUnavailableException(e.getMessage(), e);
    }
    try {
      DeviceAudioEngine engine = new DeviceAudioEngine(mic, out, speaker.plays());
      log.info("audio: sound server (PulseAudio device module): microphone {}, speaker {}", mic.name(),
          speaker.plays() ? out.name() : "none (remote audio not played)");
      return engine;
    } catch (IOException e) {
      throw new AudioUnavailableException(e.getMessage(), e);
    }
  }

  public PeerConnectionFactory factory() {
    return factory;
  }

  /** A track that carries the module's microphone, with libwebrtc's audio processing as asked. */
  public AudioTrack createMicrophoneTrack(String id, boolean echoCancellation, boolean noiseSuppression,
      boolean autoGainControl) {
    requireNonNull(id, "id == null");
    synchronized (lock) {
      if (closed) throw new IllegalStateException("audio engine closed");
      AudioOptions options = new AudioOptions();
      options.echoCancellation = echoCancellation;
      options.noiseSuppression = noiseSuppression;
      options.autoGainControl = autoGainControl;
      options.highpassFilter = echoCancellation || noiseSuppression;
      return factory.createAudioTrack(id, factory.createAudioSource(options));
    }
  }

  /** Switches the microphone, mid-call too. @throws AudioUnavailableException listing the devices */
  public AudioDevice setMicrophone(String nameOrDescription) {
    AudioDevice d = resolve(AudioDevice.Type.CAPTURE, nameOrDescription);
    microphone = d;
    router.setSource(d.name());
    router.sync();
    log.info("audio: microphone now {}", d.name());
    return d;
  }

  /** Switches or silences the speaker, mid-call too. @throws AudioUnavailableException listing the devices */
  public void setSpeaker(Speaker speaker) {
    requireNonNull(speaker, "speaker == null");
    AudioDevice d = resolve(AudioDevice.Type.PLAYOUT, speaker.device());
    speakerDevice = d;
    speakerOn = speaker.plays();
    router.setSink(d.name(), !speaker.plays());
    router.sync();
    log.info("audio: speaker now {}", speaker.plays() ? d.name() : "none");
  }

  public AudioDevice microphone() {
    return microphone;
  }

  /** The speaker device, or {@code null} when remote audio is not played. */
  public AudioDevice speaker() {
    return speakerOn ? speakerDevice : null;
  }

  private static AudioDevice resolve(AudioDevice.Type type, String nameOrDescription) {
    try {
      return PulseDevices.find(PulseDevices.list(), type, nameOrDescription);
    } catch (IOException e) {
      throw new AudioUnavailableException("cannot list audio devices: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new AudioUnavailableException(e.getMessage(), e);
    }
  }

  /** Delivers a remote track's audio to {@code sink} as PCM (played or not). */
  public void addRemoteSink(AudioTrack remote, AudioSink sink) {
    requireNonNull(remote, "remote == null");
    requireNonNull(sink, "sink == null");
    synchronized (lock) {
      if (closed) throw new IllegalStateException("audio engine closed");
      sinks.add(remote, sink);
    }
  }

  public void removeRemoteSink(AudioTrack remote, AudioSink sink) {
    sinks.remove(remote, sink);
  }

  /** Stops routing, removes sinks, disposes the factory, then the module. Close peer connections first. Idempotent. */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) return;
      closed = true;
    }
    router.close();
    sinks.removeAll();
    try {
      factory.dispose();
    } catch (Throwable t) {
      log.warn("factory dispose failed", t);
    }
    try {
      adm.dispose();
    } catch (Throwable t) {
      log.warn("audio device module dispose failed", t);
    }
  }
}
