package dev.simplecall.internal.media;

import dev.simplecall.VideoFrameData;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The synthetic picture: moving colour bars and a bouncing box, with a frame counter encoded in
 * the top band as 40 black or white blocks (32 bits of counter, 8 bits of checksum) so a receiver
 * can read back which frame it got, even after the encoder has scaled the picture.
 *
 * <pre>{@code
 * long n = TestPattern.readCounter(frame); // -1 when the band does not decode
 * }</pre>
 */
public final class TestPattern {
  static final int BITS = 40;
  private static final int[] BAR_Y = {180, 162, 131, 112, 84, 65, 35, 128};
  private static final int[] BAR_U = {16, 166, 44, 54, 202, 212, 90, 128};
  private static final int[] BAR_V = {146, 16, 156, 34, 222, 100, 240, 128};

  private TestPattern() {}

  /** Height of the counter band for a frame of this width. */
  static int block(int width) {
    return Math.max(2, width / BITS);
  }

  /**
   * Draws frame number {@code counter} into the planes. Each row of a plane is the same bar row shifted
   * with the frame, so one row is computed per plane and copied into every row (bulk copies, no per-pixel
   * arithmetic): a 1280x720 frame costs a few hundred microseconds.
   */
  public static void draw(long counter, int w, int h, ByteBuffer y, int strideY, ByteBuffer u, int strideU,
      ByteBuffer v, int strideV) {
    int block = block(w);
    int shift = (int) ((counter * 4) % w);
    byte[] rowY = new byte[w];
    for (int x = 0; x < w; x++) rowY[x] = (byte) BAR_Y[(((x + shift) % w) * 8) / w];
    for (int row = 0; row < h; row++) y.put(row * strideY, rowY, 0, w);
    int cw = (w + 1) / 2;
    byte[] rowU = new byte[cw];
    byte[] rowV = new byte[cw];
    for (int x = 0; x < cw; x++) {
      int bar = (((2 * x + shift) % w) * 8) / w;
      rowU[x] = (byte) BAR_U[bar];
      rowV[x] = (byte) BAR_V[bar];
    }
    for (int row = 0; row < (h + 1) / 2; row++) {
      u.put(row * strideU, rowU, 0, cw);
      v.put(row * strideV, rowV, 0, cw);
    }
    // bouncing grey box in the lower part
    int box = Math.max(8, h / 6) & ~1;
    int span = Math.max(1, w - box);
    int bx = (int) ((counter * 6) % (2L * span));
    if (bx > span) bx = 2 * span - bx;
    bx &= ~1;
    int by = (h - box) & ~1;
    fill(y, strideY, bx, by, box, box, 235);
    fill(u, strideU, bx / 2, by / 2, box / 2, box / 2, 128);
    fill(v, strideV, bx / 2, by / 2, box / 2, box / 2, 128);
    // counter band
    if (BITS * block > w) return;
    long bits = encode(counter);
    int bandH = Math.min(block * 2, h);
    for (int i = 0; i < BITS; i++) {
      boolean one = ((bits >>> (BITS - 1 - i)) & 1) != 0;
      fill(y, strideY, i * block, 0, block, bandH, one ? 235 : 16);
    }
    fill(y, strideY, BITS * block, 0, w - BITS * block, bandH, 16);
    fill(u, strideU, 0, 0, (w + 1) / 2, (bandH + 1) / 2, 128);
    fill(v, strideV, 0, 0, (w + 1) / 2, (bandH + 1) / 2, 128);
  }

  /** Reads the counter back; -1 when the checksum does not match (not a test pattern, or too damaged). */
  public static long readCounter(VideoFrameData f) {
    int w = f.width();
    int block = block(w);
    if (BITS * block > w || block * 2 > f.height()) return -1;
    long bits = 0;
    int half = Math.max(1, block / 4);
    for (int i = 0; i < BITS; i++) {
      int cx = i * block + block / 2;
      int cy = block;
      int sum = 0, n = 0;
      for (int dy = -half; dy < half; dy++) {
        for (int dx = -half; dx < half; dx++) {
          sum += f.lumaAt(cx + dx, cy + dy);
          n++;
        }
      }
      bits = (bits << 1) | (sum / n > 125 ? 1 : 0);
    }
    return decode(bits);
  }

  static long encode(long counter) {
    long c = counter & 0xffffffffL;
    return (c << 8) | checksum(c);
  }

  static long decode(long bits) {
    long c = bits >>> 8;
    return (bits & 0xff) == checksum(c) ? c : -1;
  }

  private static long checksum(long c) {
    long s = 0x5a;
    for (int i = 0; i < 4; i++) s = (s * 31 + ((c >>> (8 * i)) & 0xff)) & 0xff;
    return s;
  }

  private static void fill(ByteBuffer p, int stride, int x0, int y0, int w, int h, int value) {
    if (w <= 0) return;
    byte[] line = new byte[w];
    Arrays.fill(line, (byte) value);
    for (int row = y0; row < y0 + h; row++) p.put(row * stride + x0, line, 0, w);
  }
}
