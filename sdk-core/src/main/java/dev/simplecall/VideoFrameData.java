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

  /**
   * Wraps three planes without copying them; {@link #copy()} makes a frame of its own. The buffers'
   * positions are ignored: every plane is read from index 0.
   *
   * @param width frame width in pixels, 1 or more
   * @param height frame height in pixels, 1 or more
   * @param timestampNs capture or render time in nanoseconds, on a monotonic clock
   * @param y the luma plane: {@code height} rows of {@code width} bytes, {@code strideY} bytes apart
   * @param strideY bytes from the start of one row of {@code y} to the next, at least {@code width}
   * @param u the Cb plane: {@code (height + 1) / 2} rows of {@code (width + 1) / 2} bytes
   * @param strideU bytes from one row of {@code u} to the next, at least {@code (width + 1) / 2}
   * @param v the Cr plane, the size of {@code u}
   * @param strideV bytes from one row of {@code v} to the next, at least {@code (width + 1) / 2}
   * @throws IllegalArgumentException when a size is less than 1 or a stride less than its row's width
   * @throws NullPointerException when a plane is {@code null}
   */
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

  /**
   * The frame's width.
   *
   * @return pixels, 1 or more; the U and V planes are {@code (width + 1) / 2} wide
   */
  public int width() {
    return width;
  }

  /**
   * The frame's height.
   *
   * @return pixels, 1 or more; the U and V planes are {@code (height + 1) / 2} high
   */
  public int height() {
    return height;
  }

  /**
   * Capture or render time in nanoseconds (a monotonic clock, not wall time).
   *
   * @return nanoseconds; only differences between frames of one stream mean something
   */
  public long timestampNs() {
    return timestampNs;
  }

  /**
   * The Y plane, read-only view positioned at 0.
   *
   * @return a new view of the luma plane; in a sink, valid only during the callback unless copied
   */
  public ByteBuffer y() {
    return y.asReadOnlyBuffer().position(0);
  }

  /**
   * The U (Cb) plane, read-only view positioned at 0.
   *
   * @return a new view of the plane; in a sink, valid only during the callback unless copied
   */
  public ByteBuffer u() {
    return u.asReadOnlyBuffer().position(0);
  }

  /**
   * The V (Cr) plane, read-only view positioned at 0.
   *
   * @return a new view of the plane; in a sink, valid only during the callback unless copied
   */
  public ByteBuffer v() {
    return v.asReadOnlyBuffer().position(0);
  }

  /**
   * Row length of the Y plane in its buffer.
   *
   * @return bytes from the start of one row to the next, at least {@link #width()}
   */
  public int strideY() {
    return strideY;
  }

  /**
   * Row length of the U plane in its buffer.
   *
   * @return bytes from the start of one row to the next, at least {@code (width() + 1) / 2}
   */
  public int strideU() {
    return strideU;
  }

  /**
   * Row length of the V plane in its buffer.
   *
   * @return bytes from the start of one row to the next, at least {@code (width() + 1) / 2}
   */
  public int strideV() {
    return strideV;
  }

  /**
   * Luma of one pixel, 0-255.
   *
   * @param x the pixel's column, 0 to {@code width() - 1}
   * @param row the pixel's row, 0 to {@code height() - 1}
   * @return the Y sample, 0 to 255 (video range: black is about 16, white about 235)
   * @throws IndexOutOfBoundsException when the pixel lies outside the Y buffer
   */
  public int lumaAt(int x, int row) {
    return y.get(row * strideY + x) & 0xff;
  }

  /**
   * A heap copy that stays valid after the sink returns.
   *
   * @return a new frame with the same size and timestamp, its planes packed (strides equal to their
   *     widths)
   */
  public VideoFrameData copy() {
    int cw = (width + 1) / 2;
    int ch = (height + 1) / 2;
    return new VideoFrameData(width, height, timestampNs,
        I420.copyPlane(y, strideY, width, height), width,
        I420.copyPlane(u, strideU, cw, ch), cw,
        I420.copyPlane(v, strideV, cw, ch), cw);
  }

  /**
   * Packed {@code 0xFFRRGGBB} pixels, row by row (BT.601).
   *
   * @return a new array of {@code width() * height()} pixels, converted from video range
   */
  public int[] toArgb() {
    int[] out = new int[width * height];
    I420.toArgb(width, height, y, strideY, u, strideU, v, strideV, out);
    return out;
  }

  /**
   * A new {@code TYPE_INT_RGB} image of this frame.
   *
   * @return an image of {@code width() x height()} pixels, converted as {@link #toArgb()}; safe to keep
   */
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
