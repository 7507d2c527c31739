package dev.simplecall.internal;

import dev.simplecall.AppVideoSource;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The session's {@link AppVideoSource}: stable for the session's life, forwarding to the current
 * call's native source. Frames pushed while there is no call (or after it) are counted as dropped.
 */
final class AppVideoProxy implements AppVideoSource {
  volatile AppVideoSource target;
  private final AtomicLong dropped = new AtomicLong();

  @Override
  public void pushI420(int width, int height, ByteBuffer y, int strideY, ByteBuffer u, int strideU, ByteBuffer v,
      int strideV) {
    AppVideoSource t = target;
    if (t == null) dropped.incrementAndGet();
    else t.pushI420(width, height, y, strideY, u, strideU, v, strideV);
  }

  @Override
  public void pushArgb(int[] argb, int width, int height) {
    AppVideoSource t = target;
    if (t == null) dropped.incrementAndGet();
    else t.pushArgb(argb, width, height);
  }

  @Override
  public void push(BufferedImage image) {
    AppVideoSource t = target;
    if (t == null) dropped.incrementAndGet();
    else t.push(image);
  }

  @Override
  public long framesPushed() {
    AppVideoSource t = target;
    return t == null ? 0 : t.framesPushed();
  }
}
