package dev.simplecall;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;

/**
 * Video frames the app pushes, when the session's video is {@link VideoSource#appFrames(int, int,
 * int)}. Frames are sent at the rate pushed; any size is accepted (the encoder adapts).
 *
 * <pre>{@code
 * AppVideoSource video = session.appVideo();
 * video.push(ImageIO.read(new File("slide.png")));
 * }</pre>
 */
public interface AppVideoSource {
  /**
   * Pushes one I420 frame; the buffers are copied before this returns. Each plane is read from index 0,
   * whatever its position. A frame pushed while the session has no call (before it, or after it ended)
   * is dropped unread: the checks below apply once a call takes the frames.
   *
   * @param width frame width in pixels, at least 2
   * @param height frame height in pixels, at least 2
   * @param y the luma plane: {@code height} rows of {@code width} bytes, {@code strideY} bytes apart
   * @param strideY bytes from the start of one row of {@code y} to the next, at least {@code width}
   * @param u the Cb plane: {@code (height + 1) / 2} rows of {@code (width + 1) / 2} bytes
   * @param strideU bytes from one row of {@code u} to the next, at least {@code (width + 1) / 2}
   * @param v the Cr plane, the size of {@code u}
   * @param strideV bytes from one row of {@code v} to the next, at least {@code (width + 1) / 2}
   * @throws IllegalArgumentException when {@code width} or {@code height} is less than 2
   * @throws NullPointerException when a plane is {@code null}
   */
  void pushI420(int width, int height, ByteBuffer y, int strideY, ByteBuffer u, int strideU, ByteBuffer v, int strideV);

  /**
   * Pushes one frame of packed {@code 0xAARRGGBB} pixels, row by row. Alpha is ignored. Converted to
   * I420 (BT.601) before this returns; dropped unread while the session has no call.
   *
   * @param argb the pixels, {@code width} per row, at least {@code width * height} of them
   * @param width frame width in pixels, at least 2
   * @param height frame height in pixels, at least 2
   * @throws IllegalArgumentException when a size is less than 2 or {@code argb} is too short
   */
  void pushArgb(int[] argb, int width, int height);

  /**
   * Pushes one image (any type; converted to I420). An odd width or height loses its last column or
   * row, as I420 frames here have even sizes. Dropped unread while the session has no call.
   *
   * @param image the picture to send; read before this returns
   * @throws IllegalArgumentException when the image is smaller than 2x2
   */
  void push(BufferedImage image);

  /**
   * Frames pushed so far.
   *
   * @return frames handed to the current call's video track; 0 while there is no call (frames pushed
   *     then are dropped, not counted), and counted from 0 again when the call's video source changes
   */
  long framesPushed();
}
