package dev.simplecall.samples.gui;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the screen of an {@code Xvfb -fbdir DIR} server: Xvfb keeps its framebuffer in
 * {@code DIR/Xvfb_screen0} as an XWD image, so a screenshot is a file read, with no X client tool.
 * Handles the 24/32-bit TrueColor layout Xvfb uses for {@code -screen 0 WxHx24}.
 */
public final class XvfbScreen {
  private final Path file;

  public XvfbScreen(Path fbdir) {
    this.file = fbdir.resolve("Xvfb_screen0");
  }

  public BufferedImage capture() throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.BIG_ENDIAN);
    int headerSize = b.getInt(0);
    int width = b.getInt(16);
    int height = b.getInt(20);
    int byteOrder = b.getInt(28); // 0 = LSBFirst
    int bitsPerPixel = b.getInt(44);
    int bytesPerLine = b.getInt(48);
    int redMask = b.getInt(56);
    int greenMask = b.getInt(60);
    int blueMask = b.getInt(64);
    int ncolors = b.getInt(76);
    if (bitsPerPixel != 32) throw new IOException("unexpected XWD bits per pixel " + bitsPerPixel + " in " + file);
    int data = headerSize + ncolors * 12;
    b.order(byteOrder == 0 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int p = b.getInt(data + y * bytesPerLine + x * 4);
        img.setRGB(x, y, (channel(p, redMask) << 16) | (channel(p, greenMask) << 8) | channel(p, blueMask));
      }
    }
    return img;
  }

  private static int channel(int pixel, int mask) {
    if (mask == 0) return 0;
    int v = (pixel & mask) >>> Integer.numberOfTrailingZeros(mask);
    int bits = Integer.bitCount(mask);
    return bits >= 8 ? v >>> (bits - 8) : v << (8 - bits);
  }
}
