package dev.simplecall.internal.media;

import dev.simplecall.VideoFrameData;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writers for the recorder's files. Each belongs to the recorder's writer thread (counters are volatile). */
public final class MediaFiles {
  private static final Logger log = LoggerFactory.getLogger(MediaFiles.class);

  private MediaFiles() {}

  /**
   * YUV4MPEG2 at a constant frame rate: the size of the first frame, later frames scaled to it;
   * frames are repeated or left out so that frame {@code n} is the one shown at {@code n / fps}
   * seconds after the first. With no frame at all the file is removed on close (Y4M needs a size).
   */
  public static final class Y4mWriter implements AutoCloseable {
    private final Path path;
    private final int fps;
    private OutputStream out;
    private int width;
    private int height;
    private long startNs;
    private byte[] planes;
    private volatile long frames;

    public Y4mWriter(Path path, int fps) {
      this.path = path;
      this.fps = fps;
    }

    public long frames() {
      return frames;
    }

    public void write(VideoFrameData f, long atNs) throws IOException {
      if (out == null) {
        width = f.width();
        height = f.height();
        startNs = atNs;
        planes = new byte[width * height + 2 * ((width + 1) / 2) * ((height + 1) / 2)];
        out = new BufferedOutputStream(Files.newOutputStream(path), 1 << 16);
        out.write(("YUV4MPEG2 W" + width + " H" + height + " F" + fps + ":1 Ip A1:1 C420jpeg\n")
            .getBytes(StandardCharsets.US_ASCII));
      }
      long due = (atNs - startNs) * fps / 1_000_000_000L + 1; // frames the file should hold with this one
      if (frames >= due) return; // early for its slot: the slot is taken
      fill(f);
      for (long n = frames; n < due; n++) {
        out.write("FRAME\n".getBytes(StandardCharsets.US_ASCII));
        out.write(planes);
      }
      frames = due;
    }

    /** Copies (or scales, nearest neighbour) the frame into {@link #planes}. */
    private void fill(VideoFrameData f) {
      int cw = (width + 1) / 2;
      int ch = (height + 1) / 2;
      plane(f.y(), f.strideY(), f.width(), f.height(), 0, width, height);
      plane(f.u(), f.strideU(), (f.width() + 1) / 2, (f.height() + 1) / 2, width * height, cw, ch);
      plane(f.v(), f.strideV(), (f.width() + 1) / 2, (f.height() + 1) / 2, width * height + cw * ch, cw, ch);
    }

    private void plane(ByteBuffer src, int stride, int sw, int sh, int offset, int dw, int dh) {
      if (sw == dw && sh == dh) {
        for (int row = 0; row < dh; row++) src.get(row * stride, planes, offset + row * dw, dw);
        return;
      }
      for (int row = 0; row < dh; row++) {
        int sy = (int) ((long) row * sh / dh);
        for (int x = 0; x < dw; x++) planes[offset + row * dw + x] = src.get(sy * stride + (int) ((long) x * sw / dw));
      }
    }

    @Override
    public void close() throws IOException {
      if (out != null) {
        out.close();
        log.info("recorded {}: {} frames of {}x{} at {} fps", path, frames, width, height, fps);
      } else {
        Files.deleteIfExists(path);
        log.info("recorded no video: {} not written", path);
      }
    }
  }

  /**
   * 16-bit PCM WAV with the rate and channel count of the first chunk (48 kHz mono when nothing
   * came); the RIFF and data sizes are written on close.
   */
  public static final class WavWriter implements AutoCloseable {
    private static final int HEADER = 44;
    private final Path path;
    private FileChannel ch;
    private int rate;
    private int channels;
    private volatile long dataBytes;
    private boolean warned;

    public WavWriter(Path path) {
      this.path = path;
    }

    public double seconds() {
      int r = rate;
      int c = channels;
      return r == 0 ? 0 : dataBytes / (2.0 * c * r);
    }

    public void write(short[] samples, int sampleRate, int chans) throws IOException {
      if (ch == null) open(sampleRate, chans);
      if (sampleRate != rate || chans != channels) {
        if (!warned) log.warn("recorder: audio changed to {} Hz x{} from {} Hz x{}; those chunks are left out", sampleRate,
            chans, rate, channels);
        warned = true;
        return;
      }
      ByteBuffer b = ByteBuffer.allocate(samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
      for (short s : samples) b.putShort(s);
      b.flip();
      while (b.hasRemaining()) ch.write(b);
      dataBytes += samples.length * 2L;
    }

    private void open(int sampleRate, int chans) throws IOException {
      rate = sampleRate;
      channels = chans;
      ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
      ch.write(header(0));
    }

    private ByteBuffer header(long data) {
      ByteBuffer h = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
      h.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt((int) Math.min(0xffffffffL, 36 + data));
      h.put("WAVE".getBytes(StandardCharsets.US_ASCII));
      h.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) channels)
          .putInt(rate).putInt(rate * channels * 2).putShort((short) (channels * 2)).putShort((short) 16);
      h.put("data".getBytes(StandardCharsets.US_ASCII)).putInt((int) Math.min(0xffffffffL, data));
      return h.flip();
    }

    @Override
    public void close() throws IOException {
      if (ch == null) open(48_000, 1);
      ch.write(header(dataBytes), 0);
      ch.close();
      log.info("recorded {}: {} s of {} Hz x{}", path, String.format("%.2f", seconds()), rate, channels);
    }
  }
}
