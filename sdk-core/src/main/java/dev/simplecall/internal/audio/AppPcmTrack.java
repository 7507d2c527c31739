package dev.simplecall.internal.audio;

import static java.util.Objects.requireNonNull;

import dev.onvoid.webrtc.media.audio.AudioTrack;

/**
 * An audio track fed by the application with 16-bit PCM. {@link #pushPcm} converts to 48 kHz mono
 * (stereo is averaged, other rates are interpolated linearly) and buffers; the engine's capture
 * clock takes exactly 10 ms per pull, so audio leaves at real time however the app delivers it
 * (one big array or many small ones). When the buffer runs dry silence is sent. Nothing is taken
 * while no send stream of the engine is running (before a call starts sending): audio pushed then
 * waits, adding latency, so push from the call's start or {@link #clear()} first.
 *
 * <pre>{@code
 * AppPcmTrack pcm = engine.createAppPcmTrack("app-audio", 48000, 1);
 * peerConnection.addTrack(pcm.track(), List.of("stream"));
 * pcm.pushPcm(samples); // interleaved, a whole number of frames
 * }</pre>
 */
public final class AppPcmTrack {
  /** At most this much audio may wait in the buffer. */
  public static final int MAX_BUFFERED_SECONDS = 10;

  private static final int OUT_RATE = MicMixer.SAMPLE_RATE;

  private final AudioTrack track;
  private final int sampleRate;
  private final int channels;
  private final short[] ring = new short[MicMixer.SAMPLE_RATE * MAX_BUFFERED_SECONDS];
  // Guarded by this: app threads write, the capture thread reads.
  private int head;
  private int size;
  private long underruns;
  private long drainedAtNanos;
  // Linear resampler state: the next output lies between prev (at 0) and the next input (at
  // OUT_RATE); each output advances by sampleRate. Integers, so no rounding error accumulates.
  private int pos;
  private short prev;
  private boolean started;

  AppPcmTrack(AudioTrack track, int sampleRate, int channels) {
    this.track = track;
    this.sampleRate = sampleRate;
    this.channels = channels;
  }

  static void checkFormat(int sampleRate, int channels) {
    if (sampleRate < 8000 || sampleRate > 48000) {
      throw new IllegalArgumentException("sampleRate must be between 8000 and 48000: " + sampleRate);
    }
    if (channels != 1 && channels != 2) {
      throw new IllegalArgumentException("channels must be 1 or 2: " + channels);
    }
  }

  public AudioTrack track() {
    return track;
  }

  public int sampleRate() {
    return sampleRate;
  }

  public int channels() {
    return channels;
  }

  /**
   * Queues interleaved 16-bit samples for sending at real time.
   *
   * @throws IllegalArgumentException if the length is not a whole number of frames
   * @throws IllegalStateException if the samples do not fit in the buffer; nothing is queued then
   */
  public void pushPcm(short[] interleaved) {
    requireNonNull(interleaved, "interleaved == null");
    if (interleaved.length % channels != 0) {
      throw new IllegalArgumentException(
          "length " + interleaved.length + " is not a multiple of channels " + channels);
    }
    int inFrames = interleaved.length / channels;
    synchronized (this) {
      long maxOut = (long) inFrames * OUT_RATE / sampleRate + 2;
      if (size + maxOut > ring.length) {
        throw new IllegalStateException("PCM buffer full: " + size + " samples queued at 48 kHz, "
            + inFrames + " frames pushed, capacity " + MAX_BUFFERED_SECONDS + " s; push at real time");
      }
      for (int i = 0; i < inFrames; i++) {
        short cur = mono(interleaved, i);
        if (!started) {
          prev = cur;
          started = true;
          continue;
        }
        // Emit every output sample that lies in [prev, cur).
        while (pos < OUT_RATE) {
          append((short) (prev + (long) (cur - prev) * pos / OUT_RATE));
          pos += sampleRate;
        }
        pos -= OUT_RATE;
        prev = cur;
      }
    }
  }

  private short mono(short[] s, int frame) {
    return channels == 1 ? s[frame] : (short) ((s[2 * frame] + s[2 * frame + 1]) / 2);
  }

  private void append(short s) {
    ring[(head + size) % ring.length] = s;
    size++;
  }

  /** Drops everything buffered, for example audio pushed before the call started sending. */
  public synchronized void clear() {
    head = 0;
    size = 0;
  }

  /** 48 kHz samples waiting to be sent. */
  public synchronized int bufferedSamples() {
    return size;
  }

  /** Pulls on which the buffer held less than 10 ms (the missing part was sent as silence). */
  public synchronized long underruns() {
    return underruns;
  }

  /** {@link System#nanoTime()} when the buffer last became empty by sending; 0 if never. */
  synchronized long drainedAtNanos() {
    return drainedAtNanos;
  }

  /** What the engine's microphone mix pulls from; runs on the capture thread. */
  final MicMixer.Feed feed = this::mixInto;

  private synchronized void mixInto(int[] acc, int frames, boolean silent) {
    int n = Math.min(frames, size);
    if (!silent) {
      for (int i = 0; i < n; i++) acc[i] += ring[(head + i) % ring.length];
    }
    head = (head + n) % ring.length;
    size -= n;
    if (n > 0 && size == 0) drainedAtNanos = System.nanoTime();
    if (n < frames) underruns++;
  }
}
