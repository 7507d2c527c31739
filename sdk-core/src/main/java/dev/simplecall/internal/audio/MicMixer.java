package dev.simplecall.internal.audio;

import dev.onvoid.webrtc.media.audio.AudioSource;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import java.util.Arrays;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's virtual microphone. The headless module's capture thread calls
 * {@link #onPlaybackData} every 10 ms (despite the name, this is the capture pull: see
 * {@link AudioEngine}); we answer with the sum of the local feeds that are not muted, as
 * 48 kHz mono 16-bit, and libwebrtc delivers it to every audio send stream of the factory.
 *
 * <p>Threading: feeds are added and removed from any thread; {@link #onPlaybackData} runs on the
 * native capture thread only, one call at a time. Nothing thrown may reach native code.
 */
final class MicMixer implements AudioSource {
  static final int SAMPLE_RATE = 48_000;
  static final int FRAMES_PER_PULL = SAMPLE_RATE / 100;

  /** Produces 48 kHz mono audio for the microphone mix. Runs on the capture thread only. */
  interface Feed {
    /** Adds {@code frames} samples to {@code acc}; when {@code silent}, advances without adding. */
    void mixInto(int[] acc, int frames, boolean silent);
  }

  /** {@code muted} is set by the app thread and read on the capture thread. */
  private static final class Entry {
    final AudioTrack track;
    final Feed feed;
    volatile boolean muted;

    Entry(AudioTrack track, Feed feed) {
      this.track = track;
      this.feed = feed;
    }
  }

  private static final Logger log = LoggerFactory.getLogger(MicMixer.class);

  private final CopyOnWriteArrayList<Entry> entries = new CopyOnWriteArrayList<>();
  // Capture thread only.
  private int[] acc = new int[FRAMES_PER_PULL];
  private volatile long pulls;

  void add(AudioTrack track, Feed feed) {
    entries.add(new Entry(track, feed));
  }

  void remove(AudioTrack track) {
    entries.removeIf(e -> e.track == track);
  }

  /** Takes a track's feed out of the mix (it keeps advancing) or puts it back. */
  boolean setMuted(AudioTrack track, boolean muted) {
    boolean found = false;
    for (Entry e : entries) {
      if (e.track == track) {
        e.muted = muted;
        found = true;
      }
    }
    return found;
  }

  void clear() {
    entries.clear();
  }

  /** 10 ms pulls answered so far. */
  long pulls() {
    return pulls;
  }

  @Override
  public int onPlaybackData(byte[] audioSamples, int nSamples, int nBytesPerSample, int nChannels,
      int samplesPerSec) {
    try {
      pulls++;
      if (nBytesPerSample != 2) return silence(audioSamples, nSamples);
      int frames = nSamples / Math.max(1, nChannels);
      if (acc.length < frames) acc = new int[frames];
      Arrays.fill(acc, 0, frames, 0);
      if (samplesPerSec == SAMPLE_RATE) {
        // Never call into libwebrtc objects from here (not even track.isEnabled()): they hop to
        // the signaling thread, which may be waiting for this very thread to stop (deadlock).
        for (Entry e : entries) e.feed.mixInto(acc, frames, e.muted);
      }
      int channels = Math.max(1, nChannels);
      int n = Math.min(nSamples, audioSamples.length / 2);
      for (int i = 0; i < n; i++) {
        int v = acc[i / channels];
        short s = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
        audioSamples[2 * i] = (byte) s;
        audioSamples[2 * i + 1] = (byte) (s >> 8);
      }
      return nSamples;
    } catch (Throwable t) {
      log.warn("microphone mix failed; sending silence", t);
      return silence(audioSamples, nSamples);
    }
  }

  /** Returning 0 would make the module resend its previous buffer, so send explicit silence. */
  private static int silence(byte[] audioSamples, int nSamples) {
    Arrays.fill(audioSamples, (byte) 0);
    return nSamples;
  }

}
