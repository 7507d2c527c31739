package dev.simplecall.samples.gui;

import dev.simplecall.VideoFrameData;
import dev.simplecall.VideoFrameSink;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/**
 * Latest frame of one video stream, double-buffered: the sink converts I420 to RGB on the thread
 * that delivers the frame (never the EDT) into the back image, then swaps it to the front under
 * the lock; painting copies nothing and only reads the front image under the same lock.
 */
final class FrameSlot implements VideoFrameSink {
  private final Runnable onNewFrame;
  private BufferedImage front;
  private BufferedImage back;
  private long frames;
  private long firstNs;
  private long lastNs;

  FrameSlot(Runnable onNewFrame) {
    this.onNewFrame = onNewFrame;
  }

  @Override
  public void onFrame(VideoFrameData frame) {
    try {
      int w = frame.width();
      int h = frame.height();
      int[] argb = frame.toArgb();
      BufferedImage target;
      synchronized (this) {
        target = back;
        back = null;
      }
      if (target == null || target.getWidth() != w || target.getHeight() != h) {
        target = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
      }
      int[] pixels = ((DataBufferInt) target.getRaster().getDataBuffer()).getData();
      System.arraycopy(argb, 0, pixels, 0, Math.min(pixels.length, argb.length));
      long now = System.nanoTime();
      synchronized (this) {
        back = front;
        front = target;
        if (frames++ == 0) firstNs = now;
        lastNs = now;
      }
      onNewFrame.run();
    } catch (RuntimeException e) {
      // a frame that cannot be shown is dropped; the next one replaces it
    }
  }

  /** Runs {@code painter} with the front image (null when none) while holding the swap lock. */
  synchronized void paintWith(java.util.function.Consumer<BufferedImage> painter) {
    painter.accept(front);
  }

  synchronized void clear() {
    front = null;
    back = null;
    frames = 0;
  }

  synchronized long frames() {
    return frames;
  }

  /** Average received frame rate since the first frame. */
  synchronized double fps() {
    return frames > 1 ? (frames - 1) / ((lastNs - firstNs) / 1e9) : 0;
  }
}
