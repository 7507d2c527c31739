package dev.simplecall.internal.audio;

import static java.util.Objects.requireNonNull;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.media.audio.AudioOptions;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.audio.AudioTrackSource;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import dev.simplecall.AudioSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the audio device module and the {@link PeerConnectionFactory} built on it, and makes audio
 * correct on machines without a sound card: local audio leaves at real time, remote audio is
 * played out (and reaches sinks) at real time.
 *
 * <p>Why this is needed: webrtc-java's {@link HeadlessAudioDeviceModule} runs two 10 ms threads.
 * Its playout thread pulls the remote mix from libwebrtc's audio transport. Its capture thread,
 * which libwebrtc starts whenever a send stream starts, asks the same registered transport for
 * "playout data" and delivers that as the microphone: so it pulls the remote mix a second time
 * (remote audio at 2x, measured 1.99x) and echoes it back; with a {@code CustomAudioSource} also
 * pushing, two threads feed one send stream (a fatal race check).
 *
 * <p>The fix: after the factory is made and playout is started, {@link MicMixer} is registered
 * as the module's audio source. The module keeps it as the capture thread's source, while its
 * internal buffer, which refuses a new transport while playing, stays connected to libwebrtc. So
 * the playout thread is the only puller of remote audio (1x), the capture thread is the only feeder
 * of send streams (no race; libwebrtc may start and stop recording as it likes), and what it
 * captures is our mix of local tracks, paced by its 10 ms clock. Local tracks use a standard audio
 * source with echo cancellation, gain control, noise suppression and high-pass off, so the
 * microphone path leaves the samples alone.
 *
 * <p>Consequence: one engine has one microphone. Every audio sender of the engine's factory sends
 * the mix of the engine's enabled local tracks; give each call its own engine if calls need
 * different audio. Mute with {@code track.setEnabled(false)} (that sender sends silence) or
 * {@link #setMuted} (the track's audio leaves the mix).
 *
 * <pre>{@code
 * try (AudioEngine audio = AudioEngine.create()) {
 *   RTCPeerConnection pc = audio.factory().createPeerConnection(config, observer);
 *   pc.addTrack(audio.createToneTrack("tone", 440), List.of("stream"));
 *   // in onTrack: audio.addRemoteSink((AudioTrack) receiver.getTrack(), sink);
 *   // ... close peer connections first, then the engine
 * }
 * }</pre>
 *
 * <p>Threading: every method may be called from any thread.
 */
public final class AudioEngine implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AudioEngine.class);

  private final HeadlessAudioDeviceModule adm;
  private final PeerConnectionFactory factory;
  private final MicMixer mic = new MicMixer();
  private final RemoteSinks sinks = new RemoteSinks();
  private final Object closeLock = new Object();
  private boolean closed; // guarded by closeLock

  private AudioEngine() {
    this.adm = new HeadlessAudioDeviceModule();
    PeerConnectionFactory f = null;
    try {
      f = new PeerConnectionFactory(adm);
      // Order matters: the factory registered libwebrtc's transport; playout running makes the
      // module's buffer refuse the next registration, so ours only becomes the capture source.
      adm.initPlayout();
      adm.startPlayout();
      adm.setAudioSource(mic);
    } catch (Throwable t) {
      if (f != null) f.dispose();
      adm.dispose();
      throw t;
    }
    this.factory = f;
  }

  /** Makes the headless audio device module and the factory. */
  public static AudioEngine create() {
    return new AudioEngine();
  }

  public PeerConnectionFactory factory() {
    return factory;
  }

  /** A track that sends a sine of {@code hz} at real time (48 kHz mono, 10 ms frames). */
  public AudioTrack createToneTrack(String id, double hz) {
    requireNonNull(id, "id == null");
    if (!(hz > 0 && hz < MicMixer.SAMPLE_RATE / 2.0)) {
      throw new IllegalArgumentException("hz must be in (0, 24000): " + hz);
    }
    AudioTrack track = newTrack(id);
    mic.add(track, new ToneFeed(hz));
    return track;
  }

  /** A track fed by {@link AppPcmTrack#pushPcm}, sent at real time in 10 ms frames. */
  public AppPcmTrack createAppPcmTrack(String id, int sampleRate, int channels) {
    requireNonNull(id, "id == null");
    AppPcmTrack.checkFormat(sampleRate, channels);
    AudioTrack track = newTrack(id);
    AppPcmTrack pcm = new AppPcmTrack(track, sampleRate, channels);
    mic.add(track, pcm.feed);
    return pcm;
  }

  /** A track that plays 48 kHz mono {@code samples} at real time, looping or once (then silence). */
  public AudioTrack createFileTrack(String id, short[] samples, boolean loop) {
    requireNonNull(id, "id == null");
    requireNonNull(samples, "samples == null");
    AudioTrack track = newTrack(id);
    mic.add(track, new FileFeed(samples, loop));
    return track;
  }

  /** A track on a standard source whose options switch all capture processing off. */
  private AudioTrack newTrack(String id) {
    synchronized (closeLock) {
      if (closed) throw new IllegalStateException("audio engine closed");
      AudioOptions options = new AudioOptions();
      options.echoCancellation = false;
      options.autoGainControl = false;
      options.noiseSuppression = false;
      options.highpassFilter = false;
      AudioTrackSource source = factory.createAudioSource(options);
      return factory.createAudioTrack(id, source);
    }
  }

  /**
   * Takes a local track made by this engine out of the microphone mix for good, for example after
   * its sender was removed. Unknown tracks are ignored. Do not {@code dispose()} engine tracks: in
   * webrtc-java 0.14.0 that throws (and leaves a dangling handle) while a sender still holds the
   * track, and {@code pc.close()} does not free senders; the factory frees them on close.
   */
  public void releaseTrack(AudioTrack track) {
    requireNonNull(track, "track == null");
    mic.remove(track);
  }

  /**
   * Takes a local track's audio out of the engine's microphone mix (or puts it back). Unlike
   * {@code track.setEnabled(false)}, which silences only that track's own sender, this removes the
   * track's audio from every sender of the engine.
   *
   * @throws IllegalArgumentException if the track was not made by this engine
   */
  public void setMuted(AudioTrack track, boolean muted) {
    requireNonNull(track, "track == null");
    if (!mic.setMuted(track, muted)) throw new IllegalArgumentException("not a track of this engine: " + track);
  }

  /** Delivers a remote track's audio to {@code sink} as PCM. Adding the same pair twice is a no-op. */
  public void addRemoteSink(AudioTrack remote, AudioSink sink) {
    requireNonNull(remote, "remote == null");
    requireNonNull(sink, "sink == null");
    synchronized (closeLock) {
      if (closed) throw new IllegalStateException("audio engine closed");
      sinks.add(remote, sink);
    }
  }

  /** Stops delivering to {@code sink}; unknown pairs are ignored. */
  public void removeRemoteSink(AudioTrack remote, AudioSink sink) {
    sinks.remove(remote, sink);
  }

  /**
   * Empties the microphone mix, removes the sinks, then disposes the factory (which stops the
   * module's threads) and the audio device module, in that order. Close the peer connections
   * before. Idempotent.
   */
  @Override
  public void close() {
    synchronized (closeLock) {
      if (closed) return;
      closed = true;
    }
    mic.clear();
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

  /** 10 ms capture pulls answered so far. */
  long micPulls() {
    return mic.pulls();
  }


}
