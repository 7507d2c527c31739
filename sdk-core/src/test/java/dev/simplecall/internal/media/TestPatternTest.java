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
}
