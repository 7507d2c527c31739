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
  /** Pushes one I420 frame; the buffers are copied before this returns. */
  void pushI420(int width, int height, ByteBuffer y, int strideY, ByteBuffer u, int strideU, ByteBuffer v, int strideV);

  /** Pushes one frame of packed {@code 0xAARRGGBB} pixels, row by row. */
  void pushArgb(int[] argb, int width, int height);

  /** Pushes one image (any type; converted to I420). */
  void push(BufferedImage image);

  /** Frames pushed so far. */
  long framesPushed();
}
