package dev.simplecall;

import dev.simplecall.internal.media.I420;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Writes small Y4M test files: solid frames of known colours. */
final class Y4mFiles {
  /** Far apart in RGB, so a decoded frame is never closer to another one than to its own. */
  static final int[] PALETTE = {0xd02020, 0x20c020, 0x2040e0, 0xe0e020, 0xe020e0, 0x20e0e0};

  private Y4mFiles() {}

  /** {@code colours.length * repeat} frames, each colour held for {@code repeat} frames. */
  static void write(Path file, int w, int h, int fps, int[] colours, int repeat) throws IOException {
    int cw = (w + 1) / 2;
    int ch = (h + 1) / 2;
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(("YUV4MPEG2 W" + w + " H" + h + " F" + fps + ":1 Ip A1:1 C420jpeg XYSCSS=420JPEG\n")
          .getBytes(StandardCharsets.US_ASCII));
      for (int c : colours) {
        int[] argb = new int[w * h];
        Arrays.fill(argb, 0xff000000 | c);
        ByteBuffer y = ByteBuffer.allocate(w * h);
        ByteBuffer u = ByteBuffer.allocate(cw * ch);
        ByteBuffer v = ByteBuffer.allocate(cw * ch);
        I420.fromArgb(argb, w, h, y, w, u, cw, v, cw);
        for (int i = 0; i < repeat; i++) {
          out.write("FRAME\n".getBytes(StandardCharsets.US_ASCII));
          out.write(y.array());
          out.write(u.array());
          out.write(v.array());
        }
      }
    }
  }

  /** Index of the palette colour nearest to {@code rgb}, or -1 when none is within {@code tolerance} per channel. */
  static int nearest(int rgb, int tolerance) {
    int best = -1;
    int bestDist = Integer.MAX_VALUE;
    for (int i = 0; i < PALETTE.length; i++) {
      int p = PALETTE[i];
      int dr = Math.abs(((p >> 16) & 0xff) - ((rgb >> 16) & 0xff));
      int dg = Math.abs(((p >> 8) & 0xff) - ((rgb >> 8) & 0xff));
      int db = Math.abs((p & 0xff) - (rgb & 0xff));
      int max = Math.max(dr, Math.max(dg, db));
      if (max <= tolerance && max < bestDist) {
        best = i;
        bestDist = max;
      }
    }
    return best;
  }
}
