package dev.simplecall.samples.audio;

/**
 * Finds where a reference (what went into a microphone) occurs in a recording (what came out of a
 * speaker): the lag with the highest Pearson correlation between the reference's loud part and the
 * same length of the recording, computed for every lag at once with an FFT cross-correlation and
 * sliding sums.
 */
final class Alignment {
  /** Index into the recording where the reference's segment starts, and the correlation there. */
  record Match(int referenceStart, int recordingStart, int length, double correlation) {}

  private Alignment() {}

  /** The loud part of {@code x}: first to last 20 ms block whose RMS exceeds 10 % of the loudest block's. */
  static int[] loudPart(short[] x, int rate) {
    int block = rate / 50;
    int blocks = x.length / block;
    double[] rms = new double[blocks];
    double max = 0;
    for (int b = 0; b < blocks; b++) {
      double e = 0;
      for (int i = b * block; i < (b + 1) * block; i++) e += (double) x[i] * x[i];
      rms[b] = Math.sqrt(e / block);
      max = Math.max(max, rms[b]);
    }
    int first = -1;
    int last = -1;
    for (int b = 0; b < blocks; b++) {
      if (rms[b] > 0.1 * max && max > 0) {
        if (first < 0) first = b;
        last = b;
      }
    }
    if (first < 0) return new int[] {0, 0};
    return new int[] {first * block, (last + 1) * block};
  }

  static double rms(short[] x, int from, int to) {
    double e = 0;
    for (int i = from; i < to; i++) e += (double) x[i] * x[i];
    return to > from ? Math.sqrt(e / (to - from)) : 0;
  }

  /** Best match of {@code reference[from, to)} inside {@code recording}. */
  static Match find(short[] reference, int from, int to, short[] recording) {
    int n = to - from;
    if (n <= 0 || recording.length < n) return new Match(from, 0, n, 0);
    int size = Integer.highestOneBit(recording.length + n) << 1;
    double[] ar = new double[size];
    double[] ai = new double[size];
    double[] br = new double[size];
    double[] bi = new double[size];
    double meanS = 0;
    for (int i = 0; i < n; i++) meanS += reference[from + i];
    meanS /= n;
    double varS = 0;
    for (int i = 0; i < n; i++) {
      double v = reference[from + i] - meanS;
      ar[i] = v;
      varS += v * v;
    }
    for (int i = 0; i < recording.length; i++) br[i] = recording[i];
    fft(ar, ai, false);
    fft(br, bi, false);
    // corr[k] = sum_i s[i] * r[k + i]  =  IFFT(conj(S) * R)
    for (int i = 0; i < size; i++) {
      double re = ar[i] * br[i] + ai[i] * bi[i];
      double im = ar[i] * bi[i] - ai[i] * br[i];
      ar[i] = re;
      ai[i] = im;
    }
    fft(ar, ai, true);
    double[] sum = new double[recording.length + 1];
    double[] sum2 = new double[recording.length + 1];
    for (int i = 0; i < recording.length; i++) {
      sum[i + 1] = sum[i] + recording[i];
      sum2[i + 1] = sum2[i] + (double) recording[i] * recording[i];
    }
    int best = 0;
    double bestCorr = -2;
    for (int k = 0; k + n <= recording.length; k++) {
      double s = sum[k + n] - sum[k];
      double varR = sum2[k + n] - sum2[k] - s * s / n;
      if (varR <= 1e-9 * n) continue;
      // the reference segment is zero-mean, so the recording's mean drops out of the covariance
      double corr = ar[k] / Math.sqrt(varS * varR);
      if (corr > bestCorr) {
        bestCorr = corr;
        best = k;
      }
    }
    return new Match(from, best, n, Math.max(bestCorr, 0));
  }

  /** Per-window result: mean correlation of the windows, and the median and spread of their lags. */
  record Windows(double meanCorrelation, int medianLag, int minLag, int maxLag, int count) {}

  /**
   * Splits {@code reference[from, to)} into windows of {@code window} samples, finds each window
   * again in {@code recording} within {@code search} samples of where the whole segment matched
   * ({@code start}), and averages the windows' correlations (silent windows skipped). Unlike one
   * global lag this follows the receiver's jitter buffer, which stretches and squeezes time a little
   * while a call runs; the lags' spread shows by how much.
   */
  static Windows windows(short[] reference, int from, int to, short[] recording, int start, int window, int search) {
    double sum = 0;
    int count = 0;
    java.util.List<Integer> lags = new java.util.ArrayList<>();
    double loudest = rms(reference, from, to);
    for (int w = from; w + window <= to; w += window) {
      if (rms(reference, w, w + window) < 0.3 * loudest) continue;
      double meanS = 0;
      for (int i = w; i < w + window; i++) meanS += reference[i];
      meanS /= window;
      double varS = 0;
      for (int i = w; i < w + window; i++) varS += (reference[i] - meanS) * (reference[i] - meanS);
      double best = -2;
      int bestLag = 0;
      for (int lag = -search; lag <= search; lag++) {
        int r0 = start + (w - from) + lag;
        if (r0 < 0 || r0 + window > recording.length) continue;
        double cov = 0;
        double sr = 0;
        double sr2 = 0;
        for (int i = 0; i < window; i++) {
          double r = recording[r0 + i];
          cov += (reference[w + i] - meanS) * r;
          sr += r;
          sr2 += r * r;
        }
        double varR = sr2 - sr * sr / window;
        if (varR <= 0) continue;
        double c = cov / Math.sqrt(varS * varR);
        if (c > best) {
          best = c;
          bestLag = lag;
        }
      }
      if (best > -2) {
        sum += Math.max(best, 0);
        count++;
        lags.add(bestLag);
      }
    }
    if (count == 0) return new Windows(0, 0, 0, 0, 0);
    java.util.Collections.sort(lags);
    return new Windows(sum / count, lags.get(lags.size() / 2), lags.get(0), lags.get(lags.size() - 1), count);
  }

  /**
   * Pearson correlation of the 10 ms RMS envelopes of {@code a[aFrom, aFrom + n)} and
   * {@code b[bFrom, bFrom + n)}: whether the same sounds come and go at the same times, which a
   * speech codec and gain control keep even where they change the waveform.
   */
  static double envelopeCorrelation(short[] a, int aFrom, short[] b, int bFrom, int n, int rate) {
    int frame = rate / 100;
    int frames = Math.min(n, Math.min(a.length - aFrom, b.length - bFrom)) / frame;
    if (frames < 2) return 0;
    double[] ea = new double[frames];
    double[] eb = new double[frames];
    for (int f = 0; f < frames; f++) {
      ea[f] = rms(a, aFrom + f * frame, aFrom + (f + 1) * frame);
      eb[f] = rms(b, bFrom + f * frame, bFrom + (f + 1) * frame);
    }
    return pearson(ea, eb);
  }

  static double pearson(double[] x, double[] y) {
    double mx = 0;
    double my = 0;
    for (int i = 0; i < x.length; i++) {
      mx += x[i];
      my += y[i];
    }
    mx /= x.length;
    my /= y.length;
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < x.length; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
      syy += (y[i] - my) * (y[i] - my);
    }
    return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0;
  }

  /** In-place radix-2 FFT; {@code inverse} scales by 1/n. */
  private static void fft(double[] re, double[] im, boolean inverse) {
    int n = re.length;
    for (int i = 1, j = 0; i < n; i++) {
      int bit = n >> 1;
      for (; (j & bit) != 0; bit >>= 1) j ^= bit;
      j ^= bit;
      if (i < j) {
        double t = re[i]; re[i] = re[j]; re[j] = t;
        t = im[i]; im[i] = im[j]; im[j] = t;
      }
    }
    for (int len = 2; len <= n; len <<= 1) {
      double ang = 2 * Math.PI / len * (inverse ? 1 : -1);
      double wr = Math.cos(ang);
      double wi = Math.sin(ang);
      for (int i = 0; i < n; i += len) {
        double cr = 1;
        double ci = 0;
        for (int j = 0; j < len / 2; j++) {
          int a = i + j;
          int b = a + len / 2;
          double xr = re[b] * cr - im[b] * ci;
          double xi = re[b] * ci + im[b] * cr;
          re[b] = re[a] - xr;
          im[b] = im[a] - xi;
          re[a] += xr;
          im[a] += xi;
          double ncr = cr * wr - ci * wi;
          ci = cr * wi + ci * wr;
          cr = ncr;
        }
      }
    }
    if (inverse) {
      for (int i = 0; i < n; i++) {
        re[i] /= n;
        im[i] /= n;
      }
    }
  }
}
