package dev.simplecall;

import dev.simplecall.internal.media.I420;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One I420 video frame: a full-size Y plane and quarter-size U and V planes. Frames handed to a
 * {@link VideoFrameSink} point into native memory valid only during the callback; {@link #copy()}
 * makes a heap copy that stays valid.
 *
 * <pre>{@code
 * session.addRemoteVideoSink(frame -> {
 *   BufferedImage img = frame.toBufferedImage(); // converted now, safe to keep
 *   SwingUtilities.invokeLater(() -> label.setIcon(new ImageIcon(img)));
 * });
 * }</pre>
 */
public final class VideoFrameData {
  private final int width;
  private final int height;
  private final long timestampNs;
  private final ByteBuffer y;
  private final ByteBuffer u;
  private final ByteBuffer v;
  private final int strideY;
  private final int strideU;
  private final int strideV;

  public VideoFrameData(int width, int height, long timestampNs, ByteBuffer y, int strideY,
      ByteBuffer u, int strideU, ByteBuffer v, int strideV) {
    if (width <= 0 || height <= 0) throw new IllegalArgumentException("bad size: " + width + "x" + height);
    this.width = width;
    this.height = height;
    this.timestampNs = timestampNs;
    this.y = Objects.requireNonNull(y, "y == null");
    this.u = Objects.requireNonNull(u, "u == null");
    this.v = Objects.requireNonNull(v, "v == null");
    if (strideY < width || strideU < (width + 1) / 2 || strideV < (width + 1) / 2) {
      throw new IllegalArgumentException("stride smaller than width: " + strideY + "/" + strideU + "/" + strideV);
    }
    this.strideY = strideY;
    this.strideU = strideU;
    this.strideV = strideV;
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** Capture or render time in nanoseconds (a monotonic clock, not wall time). */
  public long timestampNs() {
    return timestampNs;
  }

  /** The Y plane, read-only view positioned at 0. */
  public ByteBuffer y() {
    return y.asReadOnlyBuffer().position(0);
  }

  public ByteBuffer u() {
    return u.asReadOnlyBuffer().position(0);
  }

  public ByteBuffer v() {
    return v.asReadOnlyBuffer().position(0);
  }

  public int strideY() {
    return strideY;
  }

  public int strideU() {
    return strideU;
  }

  public int strideV() {
    return strideV;
  }

  /** Luma of one pixel, 0-255. */
  public int lumaAt(int x, int row) {
    return y.get(row * strideY + x) & 0xff;
  }

  /** A heap copy that stays valid after the sink returns. */
  public VideoFrameData copy() {
    int cw = (width + 1) / 2;
    int ch = (height + 1) / 2;
    return new VideoFrameData(width, height, timestampNs,
        I420.copyPlane(y, strideY, width, height), width,
        I420.copyPlane(u, strideU, cw, ch), cw,
        I420.copyPlane(v, strideV, cw, ch), cw);
  }

  /** Packed {@code 0xFFRRGGBB} pixels, row by row (BT.601). */
  public int[] toArgb() {
    int[] out = new int[width * height];
    I420.toArgb(width, height, y, strideY, u, strideU, v, strideV, out);
    return out;
  }

  /** A new {@code TYPE_INT_RGB} image of this frame. */
  public BufferedImage toBufferedImage() {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    img.setRGB(0, 0, width, height, toArgb(), 0, width);
    return img;
  }

  @Override
  public String toString() {
    return "VideoFrameData[" + width + "x" + height + " @" + timestampNs + "ns]";
  }
}
