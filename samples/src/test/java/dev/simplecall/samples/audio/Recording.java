package dev.simplecall.samples.audio;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;

/**
 * {@code parec} of one source at {@link #RATE} Hz mono, with the wall-clock time of its first
 * sample: each read gives an upper bound ({@code readTime - samplesSoFar / RATE}) and the smallest
 * bound is kept, so the error is about one PulseAudio fragment (10 ms asked).
 */
final class Recording implements AutoCloseable {
  static final int RATE = 16_000;

  private final Process parec;
  private final Thread reader;
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private volatile long startNanos = Long.MAX_VALUE;

  private Recording(Process parec) {
    this.parec = parec;
    this.reader = new Thread(this::pump, "parec-reader");
    reader.setDaemon(true);
    reader.start();
  }

  static Recording start(PulseLab lab, String source) throws IOException {
    return new Recording(lab.spawn("parec", "-d", source, "--raw", "--format=s16le", "--rate=" + RATE,
        "--channels=1", "--latency-msec=10"));
  }

  private void pump() {
    byte[] buf = new byte[640];
    long total = 0;
    try (InputStream in = parec.getInputStream()) {
      for (int n = in.read(buf); n > 0; n = in.read(buf)) {
        long now = System.nanoTime();
        synchronized (bytes) {
          bytes.write(buf, 0, n);
        }
        total += n;
        long bound = now - (total / 2) * 1_000_000_000L / RATE;
        if (bound < startNanos) startNanos = bound;
      }
    } catch (IOException e) {
      // parec stopped
    }
  }

  /** RMS of the last {@code ms} milliseconds recorded so far (0 before that much arrived). */
  double recentRms(int ms) {
    int n = RATE * ms / 1000;
    byte[] b;
    synchronized (bytes) {
      if (bytes.size() < 2 * n) return 0;
      b = bytes.toByteArray();
    }
    double e = 0;
    for (int i = b.length - 2 * n; i + 1 < b.length; i += 2) {
      short v = (short) ((b[i] & 0xff) | (b[i + 1] << 8));
      e += (double) v * v;
    }
    return Math.sqrt(e / n);
  }

  /** The last {@code ms} milliseconds recorded so far (fewer before that much arrived). */
  short[] recent(int ms) {
    byte[] b;
    synchronized (bytes) {
      b = bytes.toByteArray();
    }
    int n = Math.min(b.length / 2, RATE * ms / 1000);
    short[] s = new short[n];
    for (int i = 0, at = b.length / 2 - n; i < n; i++, at++) s[i] = (short) ((b[2 * at] & 0xff) | (b[2 * at + 1] << 8));
    return s;
  }

  /** Stops recording and returns the samples. */
  short[] stop() throws InterruptedException {
    parec.destroy();
    parec.waitFor(10, TimeUnit.SECONDS);
    reader.join(5000);
    byte[] b;
    synchronized (bytes) {
      b = bytes.toByteArray();
    }
    short[] s = new short[b.length / 2];
    for (int i = 0; i < s.length; i++) s[i] = (short) ((b[2 * i] & 0xff) | (b[2 * i + 1] << 8));
    return s;
  }

  /** {@link System#nanoTime()} of sample 0. */
  long startNanos() {
    return startNanos;
  }

  @Override
  public void close() throws InterruptedException {
    if (parec.isAlive()) stop();
  }
}
