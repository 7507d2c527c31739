package dev.simplecall.internal.audio;

import static java.util.Objects.requireNonNull;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.audio.CustomAudioSource;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import dev.simplecall.AudioSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the audio device module and the {@link PeerConnectionFactory} built on it, and makes audio
 * correct on machines without a sound card: local audio leaves at real time, remote audio is
 * played out (and reaches sinks) at real time.
 *
 * <p>How: the {@link HeadlessAudioDeviceModule}'s playout thread is the only thing that pulls
 * remote audio (10 ms per pull). Its capture thread must never run: it would pull the same
 * playout mix a second time (remote audio at 2x) and feed the send streams concurrently with our
 * pushes (a fatal race check in libwebrtc). WebRTC starts recording by itself whenever a send
 * stream starts, so the engine's {@link Pacer} stops it again on every 10 ms tick, on the same
 * thread and just before it pushes the local frames; local audio is pushed through
 * {@link CustomAudioSource}s by that pacer, paced by a fixed wall-clock grid.
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
 * <p>Threading: every method may be called from any thread. Mute a track with
 * {@code track.setEnabled(false)}: the pacer keeps pushing and WebRTC sends silence.
 */
public final class AudioEngine implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AudioEngine.class);
  private static final AtomicInteger SEQ = new AtomicInteger();

  private record SinkKey(AudioTrack track, AudioSink sink) {}

  private final HeadlessAudioDeviceModule adm;
  private final PeerConnectionFactory factory;
  private final Pacer pacer;
  private final Map<AudioTrack, LocalTrack> locals = new ConcurrentHashMap<>();
  private final Map<SinkKey, RemoteSinkAdapter> sinks = new ConcurrentHashMap<>();
  private final Object closeLock = new Object();
  private boolean closed; // guarded by closeLock

  private record LocalTrack(CustomAudioSource source, Pacer.Feed feed) {}

  private AudioEngine(boolean keepRecordingStopped) {
    this.adm = new HeadlessAudioDeviceModule();
    PeerConnectionFactory f;
    try {
      f = new PeerConnectionFactory(adm);
    } catch (Throwable t) {
      adm.dispose();
      throw t;
    }
    this.factory = f;
    Runnable guard = keepRecordingStopped ? adm::stopRecording : () -> {};
    this.pacer = new Pacer("simplecall-audio-pacer-" + SEQ.incrementAndGet(), guard);
    pacer.start();
  }

  /** Makes the headless audio device module, the factory and the pacer thread. */
  public static AudioEngine create() {
    return new AudioEngine(true);
  }

  /** Without the recording guard: only for the benchmark that shows why the guard exists. */
  static AudioEngine createUnguarded() {
    return new AudioEngine(false);
  }

  public PeerConnectionFactory factory() {
    return factory;
  }

  /** A track that sends a sine of {@code hz} at real time (48 kHz mono, 10 ms frames). */
  public AudioTrack createToneTrack(String id, double hz) {
    requireNonNull(id, "id == null");
    if (!(hz > 0 && hz < ToneFeed.SAMPLE_RATE / 2.0)) {
      throw new IllegalArgumentException("hz must be in (0, 24000): " + hz);
    }
    CustomAudioSource source = new CustomAudioSource();
    return register(id, source, new ToneFeed(source, hz));
  }

  /** A track fed by {@link AppPcmTrack#pushPcm}, sent at real time in 10 ms frames. */
  public AppPcmTrack createAppPcmTrack(String id, int sampleRate, int channels) {
    requireNonNull(id, "id == null");
    AppPcmTrack.checkFormat(sampleRate, channels);
    CustomAudioSource source = new CustomAudioSource();
    AudioTrack track = factory.createAudioTrack(id, source);
    AppPcmTrack pcm = new AppPcmTrack(track, source, sampleRate, channels);
    start(track, new LocalTrack(source, pcm.feed));
    return pcm;
  }

  private AudioTrack register(String id, CustomAudioSource source, Pacer.Feed feed) {
    AudioTrack track = factory.createAudioTrack(id, source);
    start(track, new LocalTrack(source, feed));
    return track;
  }

  private void start(AudioTrack track, LocalTrack local) {
    synchronized (closeLock) {
      if (closed) {
        local.source().dispose();
        throw new IllegalStateException("audio engine closed");
      }
      locals.put(track, local);
      pacer.add(local.feed());
    }
  }

  /**
   * Stops feeding a local track made by this engine and releases its source. Call after the
   * track's sender was removed or its peer connection closed. Unknown tracks are ignored.
   */
  public void releaseTrack(AudioTrack track) {
    LocalTrack local = locals.remove(requireNonNull(track, "track == null"));
    if (local == null) return;
    pacer.remove(local.feed());
    disposeQuietly(local.source());
  }

  /** Delivers a remote track's audio to {@code sink} as PCM. Adding the same pair twice is a no-op. */
  public void addRemoteSink(AudioTrack remote, AudioSink sink) {
    requireNonNull(remote, "remote == null");
    requireNonNull(sink, "sink == null");
    synchronized (closeLock) {
      if (closed) throw new IllegalStateException("audio engine closed");
      SinkKey key = new SinkKey(remote, sink);
      if (sinks.containsKey(key)) return;
      RemoteSinkAdapter adapter = new RemoteSinkAdapter(sink);
      remote.addSink(adapter);
      sinks.put(key, adapter);
    }
  }

  /** Stops delivering to {@code sink}; unknown pairs are ignored. */
  public void removeRemoteSink(AudioTrack remote, AudioSink sink) {
    RemoteSinkAdapter adapter = sinks.remove(new SinkKey(remote, sink));
    if (adapter != null) removeQuietly(remote, adapter);
  }

  /**
   * Stops the pacer, removes the sinks, releases local sources, then disposes the factory and the
   * audio device module, in that order. Close the peer connections before. Idempotent.
   */
  @Override
  public void close() {
    synchronized (closeLock) {
      if (closed) return;
      closed = true;
    }
    pacer.stop();
    for (Map.Entry<SinkKey, RemoteSinkAdapter> e : new ArrayList<>(sinks.entrySet())) {
      sinks.remove(e.getKey());
      removeQuietly(e.getKey().track(), e.getValue());
    }
    List<LocalTrack> tracks = new ArrayList<>(locals.values());
    locals.clear();
    for (LocalTrack t : tracks) disposeQuietly(t.source());
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

  long pacerTicks() {
    return pacer.ticks();
  }

  long pacerDroppedTicks() {
    return pacer.droppedTicks();
  }

  private static void removeQuietly(AudioTrack track, RemoteSinkAdapter adapter) {
    try {
      track.removeSink(adapter);
    } catch (Throwable t) {
      log.warn("removing remote audio sink failed", t);
    }
  }

  private static void disposeQuietly(CustomAudioSource source) {
    try {
      source.dispose();
    } catch (Throwable t) {
      log.warn("audio source dispose failed", t);
    }
  }
}
