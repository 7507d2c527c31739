package dev.simplecall.internal.audio;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/**
 * Reads a WAV file (PCM, any rate, 8/16/24/32-bit, mono or stereo: what Java Sound's WAV reader and
 * PCM converters handle) into 48 kHz mono 16-bit, in memory. Nothing native: safe to call anywhere.
 */
public final class WavFile {
  /** Longest file accepted: 10 minutes is 55 MiB at 48 kHz mono 16-bit. */
  static final int MAX_SECONDS = 600;

  private WavFile() {}

  /** Checks that {@code wav} can be read, without decoding it. @throws IllegalArgumentException saying why not */
  public static void check(Path wav) {
    try (AudioInputStream in = open(wav)) {
      long frames = in.getFrameLength();
      float rate = in.getFormat().getFrameRate();
      if (frames > 0 && rate > 0 && frames / rate > MAX_SECONDS) {
        throw new IllegalArgumentException("WAV longer than " + MAX_SECONDS + " s: " + wav);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read WAV " + wav + ": " + e.getMessage(), e);
    }
  }

  /** The whole file as 48 kHz mono 16-bit (channels averaged, linear interpolation). */
  public static short[] read48kMono(Path wav) throws IOException {
    try (AudioInputStream in = open(wav)) {
      AudioFormat f = in.getFormat();
      int channels = f.getChannels();
      byte[] bytes = in.readAllBytes();
      int frames = bytes.length / (2 * channels);
      if (frames / f.getSampleRate() > MAX_SECONDS) throw new IOException("WAV longer than " + MAX_SECONDS + " s: " + wav);
      double[] mono = new double[frames];
      for (int i = 0; i < frames; i++) {
        double sum = 0;
        for (int c = 0; c < channels; c++) {
          int at = 2 * (i * channels + c);
          sum += (short) ((bytes[at] & 0xff) | (bytes[at + 1] << 8));
        }
        mono[i] = sum / channels;
      }
      double step = f.getSampleRate() / MicMixer.SAMPLE_RATE;
      int outLength = (int) Math.floor((frames - 1) / step) + 1;
      if (frames == 0) return new short[0];
      short[] out = new short[outLength];
      for (int i = 0; i < outLength; i++) {
        double pos = i * step;
        int k = (int) pos;
        double frac = pos - k;
        double v = k + 1 < frames ? mono[k] * (1 - frac) + mono[k + 1] * frac : mono[k];
        out[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(v)));
      }
      return out;
    }
  }

  /** The file as signed 16-bit little-endian PCM at its own rate and channel count. */
  private static AudioInputStream open(Path wav) throws IOException {
    if (!Files.isRegularFile(wav)) throw new IOException("no such file");
    InputStream raw = new BufferedInputStream(Files.newInputStream(wav));
    try {
      AudioInputStream in = AudioSystem.getAudioInputStream(raw);
      AudioFormat f = in.getFormat();
      if (f.getChannels() < 1 || f.getChannels() > 2) {
        in.close();
        throw new IOException("only mono or stereo WAV files are supported, this has " + f.getChannels() + " channels");
      }
      AudioFormat pcm16 = new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, f.getSampleRate(), 16, f.getChannels(),
          2 * f.getChannels(), f.getSampleRate(), false);
      if (f.matches(pcm16)) return in;
      if (!AudioSystem.isConversionSupported(pcm16, f)) {
        in.close();
        throw new IOException("unsupported WAV encoding " + f);
      }
      return AudioSystem.getAudioInputStream(pcm16, in);
    } catch (UnsupportedAudioFileException e) {
      raw.close();
      throw new IOException("not a WAV file Java Sound can read (" + e.getMessage() + ")", e);
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
  }
}
