package dev.simplecall.internal.media;

import java.nio.ByteBuffer;

/** I420 <-> ARGB conversion (BT.601, limited range) and plane copies. Stateless. */
public final class I420 {
  private I420() {}

  public static ByteBuffer copyPlane(ByteBuffer src, int stride, int width, int height) {
    ByteBuffer dst = ByteBuffer.allocate(width * height);
    for (int row = 0; row < height; row++) {
      for (int x = 0; x < width; x++) dst.put(row * width + x, src.get(row * stride + x));
    }
    return dst;
  }

  /** Fills {@code out} (width*height) with {@code 0xFFRRGGBB} pixels. */
  public static void toArgb(int w, int h, ByteBuffer y, int strideY, ByteBuffer u, int strideU, ByteBuffer v,
      int strideV, int[] out) {
    for (int row = 0; row < h; row++) {
      int yo = row * strideY;
      int uo = (row / 2) * strideU;
      int vo = (row / 2) * strideV;
      for (int x = 0; x < w; x++) {
        int yy = (y.get(yo + x) & 0xff) - 16;
        int uu = (u.get(uo + x / 2) & 0xff) - 128;
        int vv = (v.get(vo + x / 2) & 0xff) - 128;
        int c = 298 * Math.max(yy, 0);
        int r = clamp((c + 409 * vv + 128) >> 8);
        int g = clamp((c - 100 * uu - 208 * vv + 128) >> 8);
        int b = clamp((c + 516 * uu + 128) >> 8);
        out[row * w + x] = 0xff000000 | (r << 16) | (g << 8) | b;
      }
    }
  }

  /**
   * Converts packed ARGB into the given planes (strides as given). U and V are averaged over each
   * 2x2 block.
   */
  public static void fromArgb(int[] argb, int w, int h, ByteBuffer y, int strideY, ByteBuffer u, int strideU,
      ByteBuffer v, int strideV) {
    for (int row = 0; row < h; row++) {
      for (int x = 0; x < w; x++) {
        int p = argb[row * w + x];
        int r = (p >> 16) & 0xff;
        int g = (p >> 8) & 0xff;
        int b = p & 0xff;
        y.put(row * strideY + x, (byte) (((66 * r + 129 * g + 25 * b + 128) >> 8) + 16));
      }
    }
    int cw = (w + 1) / 2;
    int ch = (h + 1) / 2;
    for (int row = 0; row < ch; row++) {
      for (int x = 0; x < cw; x++) {
        int rs = 0, gs = 0, bs = 0, n = 0;
        for (int dy = 0; dy < 2; dy++) {
          for (int dx = 0; dx < 2; dx++) {
            int sx = 2 * x + dx;
            int sy = 2 * row + dy;
            if (sx >= w || sy >= h) continue;
            int p = argb[sy * w + sx];
            rs += (p >> 16) & 0xff;
            gs += (p >> 8) & 0xff;
            bs += p & 0xff;
            n++;
          }
        }
        int r = rs / n, g = gs / n, b = bs / n;
        u.put(row * strideU + x, (byte) (((-38 * r - 74 * g + 112 * b + 128) >> 8) + 128));
        v.put(row * strideV + x, (byte) (((112 * r - 94 * g - 18 * b + 128) >> 8) + 128));
      }
    }
  }

  private static int clamp(int v) {
    return v < 0 ? 0 : Math.min(v, 255);
  }
}
