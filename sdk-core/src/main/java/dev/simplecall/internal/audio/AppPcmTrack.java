package dev.simplecall.internal.audio;

import static java.util.Objects.requireNonNull;

import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.audio.CustomAudioSource;

/**
 * An audio track fed by the application with 16-bit PCM. {@link #pushPcm} only buffers; the
 * engine's pacer takes exactly 10 ms per tick, so audio leaves at real time however the app
 * delivers it (one big array or many small ones). When the buffer runs dry a frame of silence is
 * sent instead, so the stream keeps its clock.
 *
 * <pre>{@code
 * AppPcmTrack pcm = engine.createAppPcmTrack("app-audio", 48000, 1);
 * peerConnection.addTrack(pcm.track(), List.of("stream"));
 * pcm.pushPcm(samples); // any length that is a whole number of frames
 * }</pre>
 */
public final class AppPcmTrack {
  /** At most this much audio may wait in the buffer. */
  public static final int MAX_BUFFERED_SECONDS = 30;

  private final AudioTrack track;
  private final CustomAudioSource source;
  private final int sampleRate;
  private final int channels;
  private final int samplesPerTick;
  private final short[] ring;
  private final byte[] frame;
  // Guarded by this: the app thread writes, the pacer thread reads.
  private int head;
  private int size;
  private long underruns;

  AppPcmTrack(AudioTrack track, CustomAudioSource source, int sampleRate, int channels) {
    this.track = track;
    this.source = source;
    this.sampleRate = sampleRate;
    this.channels = channels;
    this.samplesPerTick = sampleRate / 100 * channels;
    this.ring = new short[sampleRate * channels * MAX_BUFFERED_SECONDS];
    this.frame = new byte[samplesPerTick * 2];
  }

  static void checkFormat(int sampleRate, int channels) {
    if (sampleRate < 8000 || sampleRate > 48000 || sampleRate % 100 != 0) {
      throw new IllegalArgumentException(
          "sampleRate must be a multiple of 100 between 8000 and 48000: " + sampleRate);
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
    synchronized (this) {
      if (size + interleaved.length > ring.length) {
        throw new IllegalStateException("PCM buffer full: " + size + " samples queued, "
            + interleaved.length + " pushed, capacity " + ring.length
            + " (" + MAX_BUFFERED_SECONDS + " s); push at real time");
      }
      int tail = (head + size) % ring.length;
      int first = Math.min(interleaved.length, ring.length - tail);
      System.arraycopy(interleaved, 0, ring, tail, first);
      System.arraycopy(interleaved, first, ring, 0, interleaved.length - first);
      size += interleaved.length;
    }
  }

  /** Samples waiting to be sent. */
  public synchronized int bufferedSamples() {
    return size;
  }

  /** Ticks on which the buffer held less than 10 ms and silence was sent. */
  public synchronized long underruns() {
    return underruns;
  }

  /** Runs on the pacer thread only. */
  final Pacer.Feed feed = this::pushFrame;

  private void pushFrame() {
    synchronized (this) {
      if (size >= samplesPerTick) {
        for (int i = 0; i < samplesPerTick; i++) {
          short s = ring[(head + i) % ring.length];
          frame[2 * i] = (byte) s;
          frame[2 * i + 1] = (byte) (s >> 8);
        }
        head = (head + samplesPerTick) % ring.length;
        size -= samplesPerTick;
      } else {
        java.util.Arrays.fill(frame, (byte) 0);
        underruns++;
      }
    }
    source.pushAudio(frame, 16, sampleRate, channels, samplesPerTick / channels);
  }
}
