package dev.simplecall.internal.media;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.simplecall.VideoFrameData;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class TestPatternTest {
  private static VideoFrameData frame(long counter, int w, int h) {
    int cw = (w + 1) / 2;
    int ch = (h + 1) / 2;
    ByteBuffer y = ByteBuffer.allocate(w * h);
    ByteBuffer u = ByteBuffer.allocate(cw * ch);
    ByteBuffer v = ByteBuffer.allocate(cw * ch);
    TestPattern.draw(counter, w, h, y, w, u, cw, v, cw);
    return new VideoFrameData(w, h, 0, y, w, u, cw, v, cw);
  }

  @Test
  void counterReadsBackAtSeveralSizes() {
    for (long n : new long[] {0, 1, 29, 1000, 0xfffffffeL}) {
      assertEquals(n, TestPattern.readCounter(frame(n, 640, 480)));
      assertEquals(n, TestPattern.readCounter(frame(n, 320, 240)));
      assertEquals(n, TestPattern.readCounter(frame(n, 160, 120)));
    }
  }

  @Test
  void aDamagedBandIsRejectedNotMisread() {
    VideoFrameData f = frame(12345, 320, 240);
    ByteBuffer y = ByteBuffer.allocate(320 * 240);
    for (int i = 0; i < y.capacity(); i++) y.put(i, f.y().get(i));
    int block = 320 / 40;
    for (int row = 0; row < 2 * block; row++) { // flip the first bit's block
      for (int x = 0; x < block; x++) y.put(row * 320 + x, (byte) (255 - (y.get(row * 320 + x) & 0xff)));
    }
    VideoFrameData damaged = new VideoFrameData(320, 240, 0, y, 320, f.u(), 160, f.v(), 160);
    assertEquals(-1, TestPattern.readCounter(damaged));
  }

  @Test
  void argbRoundTripKeepsColoursClose() {
    int w = 64, h = 32;
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int row = 0; row < h; row++) for (int x = 0; x < w; x++) img.setRGB(x, row, 0x3060c0);
    ByteBuffer y = ByteBuffer.allocate(w * h);
    ByteBuffer u = ByteBuffer.allocate(w * h / 4);
    ByteBuffer v = ByteBuffer.allocate(w * h / 4);
    I420.fromArgb(img.getRGB(0, 0, w, h, null, 0, w), w, h, y, w, u, w / 2, v, w / 2);
    int px = new VideoFrameData(w, h, 0, y, w, u, w / 2, v, w / 2).toBufferedImage().getRGB(10, 10);
    assertEquals(0x30, (px >> 16) & 0xff, 4);
    assertEquals(0x60, (px >> 8) & 0xff, 4);
    assertEquals(0xc0, px & 0xff, 4);
  }

  /** The bulk-copy drawing gives exactly the picture of the plain per-pixel definition. */
  @org.junit.jupiter.api.Test
  void drawingMatchesThePerPixelDefinition() {
    for (int[] size : new int[][] {{640, 480}, {320, 240}, {1280, 720}, {161, 121}, {64, 48}}) {
      int w = size[0], h = size[1], cw = (w + 1) / 2, ch = (h + 1) / 2;
      for (long n : new long[] {0, 1, 77, 123_456}) {
        java.nio.ByteBuffer[] fast = planes(w + 3, h, cw + 1, ch);
        java.nio.ByteBuffer[] plain = planes(w + 3, h, cw + 1, ch);
        TestPattern.draw(n, w, h, fast[0], w + 3, fast[1], cw + 1, fast[2], cw + 1);
        PerPixel.draw(n, w, h, plain[0], w + 3, plain[1], cw + 1, plain[2], cw + 1);
        for (int p = 0; p < 3; p++) assertEquals(plain[p], fast[p], w + "x" + h + " frame " + n + " plane " + p);
      }
    }
  }

  private static java.nio.ByteBuffer[] planes(int strideY, int h, int strideC, int ch) {
    return new java.nio.ByteBuffer[] {java.nio.ByteBuffer.allocate(strideY * h), java.nio.ByteBuffer.allocate(strideC * ch),
        java.nio.ByteBuffer.allocate(strideC * ch)};
  }

  /** The pattern's definition, pixel by pixel (what TestPattern.draw computes faster). */
  private static final class PerPixel {
    static final int[] BAR_Y = {180, 162, 131, 112, 84, 65, 35, 128};
    static final int[] BAR_U = {16, 166, 44, 54, 202, 212, 90, 128};
    static final int[] BAR_V = {146, 16, 156, 34, 222, 100, 240, 128};

    static void draw(long counter, int w, int h, java.nio.ByteBuffer y, int strideY, java.nio.ByteBuffer u, int strideU,
        java.nio.ByteBuffer v, int strideV) {
      int block = TestPattern.block(w);
      int shift = (int) ((counter * 4) % w);
      for (int row = 0; row < h; row++) {
        for (int x = 0; x < w; x++) y.put(row * strideY + x, (byte) BAR_Y[(((x + shift) % w) * 8) / w]);
      }
      for (int row = 0; row < (h + 1) / 2; row++) {
        for (int x = 0; x < (w + 1) / 2; x++) {
          int bar = (((2 * x + shift) % w) * 8) / w;
          u.put(row * strideU + x, (byte) BAR_U[bar]);
          v.put(row * strideV + x, (byte) BAR_V[bar]);
        }
      }
      int box = Math.max(8, h / 6) & ~1;
      int span = Math.max(1, w - box);
      int bx = (int) ((counter * 6) % (2L * span));
      if (bx > span) bx = 2 * span - bx;
      bx &= ~1;
      int by = (h - box) & ~1;
      fill(y, strideY, bx, by, box, box, 235);
      fill(u, strideU, bx / 2, by / 2, box / 2, box / 2, 128);
      fill(v, strideV, bx / 2, by / 2, box / 2, box / 2, 128);
      if (TestPattern.BITS * block > w) return;
      long bits = TestPattern.encode(counter);
      int bandH = Math.min(block * 2, h);
      for (int i = 0; i < TestPattern.BITS; i++) {
        boolean one = ((bits >>> (TestPattern.BITS - 1 - i)) & 1) != 0;
        fill(y, strideY, i * block, 0, block, bandH, one ? 235 : 16);
      }
      fill(y, strideY, TestPattern.BITS * block, 0, w - TestPattern.BITS * block, bandH, 16);
      fill(u, strideU, 0, 0, (w + 1) / 2, (bandH + 1) / 2, 128);
      fill(v, strideV, 0, 0, (w + 1) / 2, (bandH + 1) / 2, 128);
    }

    static void fill(java.nio.ByteBuffer p, int stride, int x0, int y0, int w, int h, int value) {
      for (int row = y0; row < y0 + h; row++) {
        for (int x = x0; x < x0 + w; x++) p.put(row * stride + x, (byte) value);
      }
    }
  }
}
