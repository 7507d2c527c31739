package dev.simplecall.internal.audio;

import dev.simplecall.AudioSink;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Records what a remote audio sink receives (first channel only) with the wall-clock time of each
 * callback, and measures rate, frequency and tone duration from it.
 */
final class PcmRecorder implements AudioSink {
  private final long spanNanos;
  private final CountDownLatch spanReached = new CountDownLatch(1);
  // Guarded by this.
  private short[] samples = new short[48_000 * 8];
  private int count;
  private long[] callTimes = new long[1024];
  private int[] callEnds = new int[1024];
  private int calls;
  private int sampleRate;
  private int channels;

  /** @param span wall time after the first callback at which {@link #awaitSpan} returns */
  PcmRecorder(long span, TimeUnit unit) {
    this.spanNanos = unit.toNanos(span);
  }

  @Override
  public synchronized void onPcm(short[] pcm, int rate, int ch) {
    long now = System.nanoTime();
    sampleRate = rate;
    channels = ch;
    int frames = pcm.length / ch;
    if (count + frames > samples.length) samples = Arrays.copyOf(samples, samples.length * 2);
    for (int i = 0; i < frames; i++) samples[count + i] = pcm[i * ch];
    count += frames;
    if (calls == callTimes.length) {
      callTimes = Arrays.copyOf(callTimes, calls * 2);
      callEnds = Arrays.copyOf(callEnds, calls * 2);
    }
    callTimes[calls] = now;
    callEnds[calls] = count;
    calls++;
    if (now - callTimes[0] >= spanNanos) spanReached.countDown();
    notifyAll();
  }

  /** Frames (per channel) received so far. */
  synchronized int frames() {
    return count;
  }

  /** Waits until at least {@code frames} frames have arrived; false on timeout. */
  synchronized boolean awaitFrames(int frames, long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    while (count < frames) {
      long left = deadline - System.nanoTime();
      if (left <= 0) return false;
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  /** RMS of the first channel over frames {@code [from, to)}. */
  synchronized double rmsBetween(int from, int to) {
    return rms(from, to);
  }

  /** Pitch over the longest run of 10 ms blocks whose RMS exceeds {@code threshold}. */
  synchronized double toneHz(double threshold) {
    int block = Math.max(1, sampleRate / 100);
    int bestFrom = 0;
    int bestTo = 0;
    int runFrom = -1;
    for (int start = 0; start + block <= count; start += block) {
      boolean loud = rms(start, start + block) > threshold;
      if (loud && runFrom < 0) runFrom = start;
      if (runFrom >= 0 && (!loud || start + 2 * block > count)) {
        int runTo = loud ? start + block : start;
        if (runTo - runFrom > bestTo - bestFrom) {
          bestFrom = runFrom;
          bestTo = runTo;
        }
        runFrom = -1;
      }
    }
    // Skip the run's first and last block: codec and jitter buffer ramps.
    return bestTo - bestFrom > 4 * block ? frequency(bestFrom + block, bestTo - block) : 0;
  }

  boolean awaitSpan(long timeout, TimeUnit unit) throws InterruptedException {
    return spanReached.await(timeout, unit);
  }

  /** What was measured over the window that starts {@code skipNanos} after the first callback. */
  record Measurement(int sampleRate, int channels, double framesPerSecond, double hz, double rms,
      double seconds) {
    double rateRatio() {
      return framesPerSecond / sampleRate;
    }

    @Override
    public String toString() {
      return String.format("rate %.0f frames/s (%.3fx of %d Hz, %d ch), tone %.2f Hz, rms %.0f over %.2f s",
          framesPerSecond, rateRatio(), sampleRate, channels, hz, rms, seconds);
    }
  }

  synchronized Measurement measure(long skipNanos) {
    if (calls < 2) throw new AssertionError("remote sink called " + calls + " times");
    int first = 0;
    while (first < calls - 1 && callTimes[first] - callTimes[0] < skipNanos) first++;
    int last = calls - 1;
    double seconds = (callTimes[last] - callTimes[first]) / 1e9;
    int from = callEnds[first];
    int to = callEnds[last];
    double fps = (to - from) / seconds;
    return new Measurement(sampleRate, channels, fps, frequency(from, to), rms(from, to), seconds);
  }

  /** Seconds of audio (by sample count) whose 10 ms RMS exceeds {@code threshold}. */
  synchronized double toneSeconds(double threshold) {
    int block = Math.max(1, sampleRate / 100);
    int loud = 0;
    for (int start = 0; start + block <= count; start += block) {
      if (rms(start, start + block) > threshold) loud++;
    }
    return loud * (double) block / sampleRate;
  }

  /**
   * Median of per-100 ms pitch estimates: a late packet concealed by the receiver's jitter buffer
   * breaks the phase once, which would bias one long count but only spoils one block here.
   */
  private double frequency(int from, int to) {
    int block = Math.max(1, sampleRate / 10);
    if (to - from < 2 * block) return blockFrequency(from, to);
    double[] estimates = new double[(to - from) / block];
    for (int i = 0; i < estimates.length; i++) {
      estimates[i] = blockFrequency(from + i * block, from + (i + 1) * block);
    }
    Arrays.sort(estimates);
    return estimates[estimates.length / 2];
  }

  /** Rising crossings with hysteresis, so noise near zero does not count twice. */
  private double blockFrequency(int from, int to) {
    final int h = 300;
    int crossings = 0;
    int firstCross = -1;
    int lastCross = -1;
    boolean low = samples[from] < 0;
    for (int i = from; i < to; i++) {
      if (low && samples[i] > h) {
        low = false;
        crossings++;
        if (firstCross < 0) firstCross = i;
        lastCross = i;
      } else if (!low && samples[i] < -h) {
        low = true;
      }
    }
    if (crossings < 2) return 0;
    return (crossings - 1) * (double) sampleRate / (lastCross - firstCross);
  }

  private double rms(int from, int to) {
    double sum = 0;
    for (int i = from; i < to; i++) sum += (double) samples[i] * samples[i];
    return to > from ? Math.sqrt(sum / (to - from)) : 0;
  }
}
