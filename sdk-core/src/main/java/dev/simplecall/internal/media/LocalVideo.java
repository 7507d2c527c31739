package dev.simplecall.internal.media;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.media.video.CustomVideoSource;
import dev.onvoid.webrtc.media.video.NativeI420Buffer;
import dev.onvoid.webrtc.media.video.VideoCaptureCapability;
import dev.onvoid.webrtc.media.video.VideoDevice;
import dev.onvoid.webrtc.media.video.VideoDeviceSource;
import dev.onvoid.webrtc.media.video.VideoFrame;
import dev.onvoid.webrtc.media.video.VideoTrack;
import dev.onvoid.webrtc.media.video.VideoTrackSource;
import dev.simplecall.AppVideoSource;
import dev.simplecall.VideoSource;
import dev.simplecall.internal.NamedThreads;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One outgoing video track and what feeds it: a test-pattern thread, a camera, or frames the app
 * pushes. {@link #close()} stops the producer first, then disposes track and source.
 */
public final class LocalVideo implements AppVideoSource, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LocalVideo.class);

  private final VideoTrackSource source;
  private final VideoTrack track;
  private final boolean app;
  private final AtomicLong pushed = new AtomicLong();
  private ScheduledExecutorService producer;
  private volatile boolean closed;
  private boolean disposed;

  private LocalVideo(VideoTrackSource source, VideoTrack track, boolean app) {
    this.source = source;
    this.track = track;
    this.app = app;
  }

  public static LocalVideo create(PeerConnectionFactory factory, VideoSource spec, String trackId) {
    if (spec.kind() == VideoSource.Kind.CAMERA) {
      VideoDevice cam = Camera.first(3000);
      if (cam != null) {
        VideoDeviceSource src = new VideoDeviceSource();
        try {
          src.setVideoCaptureDevice(cam);
          src.setVideoCaptureCapability(new VideoCaptureCapability(spec.width(), spec.height(), spec.fps()));
          src.start();
          return new LocalVideo(src, factory.createVideoTrack(trackId, src), false);
        } catch (Throwable e) {
          log.warn("camera {} did not start ({}); using the test pattern", cam.getName(), e.toString());
          src.dispose();
        }
      } else {
        log.info("no camera; using the test pattern");
      }
    }
    CustomVideoSource src = new CustomVideoSource();
    LocalVideo v = new LocalVideo(src, factory.createVideoTrack(trackId, src), spec.kind() == VideoSource.Kind.APP_FRAMES);
    if (!v.app) v.startPattern(spec.width(), spec.height(), spec.fps());
    return v;
  }

  public VideoTrack track() {
    return track;
  }

  /** This as an {@link AppVideoSource} when the app pushes frames, else {@code null}. */
  public AppVideoSource appSource() {
    return app ? this : null;
  }

  private void startPattern(int w, int h, int fps) {
    producer = Executors.newSingleThreadScheduledExecutor(NamedThreads.daemonSingle("simplecall-test-pattern"));
    AtomicLong counter = new AtomicLong();
    producer.scheduleAtFixedRate(() -> {
      try {
        long n = counter.getAndIncrement();
        pushNative(w, h, b -> TestPattern.draw(n, w, h, b.getDataY(), b.getStrideY(), b.getDataU(), b.getStrideU(),
            b.getDataV(), b.getStrideV()));
      } catch (Throwable t) {
        log.warn("test pattern frame failed: {}", t.toString());
      }
    }, 0, Math.max(1, 1_000_000 / fps), TimeUnit.MICROSECONDS);
  }

  private interface Filler {
    void fill(NativeI420Buffer b);
  }

  private synchronized void pushNative(int w, int h, Filler filler) {
    if (closed) return;
    NativeI420Buffer buffer = NativeI420Buffer.allocate(w, h);
    VideoFrame frame = new VideoFrame(buffer, System.nanoTime());
    try {
      filler.fill(buffer);
      ((CustomVideoSource) source).pushFrame(frame);
      pushed.incrementAndGet();
    } finally {
      frame.release();
    }
  }

  @Override
  public void pushI420(int width, int height, ByteBuffer y, int strideY, ByteBuffer u, int strideU, ByteBuffer v,
      int strideV) {
    Objects.requireNonNull(y, "y == null");
    Objects.requireNonNull(u, "u == null");
    Objects.requireNonNull(v, "v == null");
    if (width < 2 || height < 2) throw new IllegalArgumentException("bad size: " + width + "x" + height);
    checkApp();
    int cw = (width + 1) / 2;
    int ch = (height + 1) / 2;
    pushNative(width, height, b -> {
      copy(y, strideY, b.getDataY(), b.getStrideY(), width, height);
      copy(u, strideU, b.getDataU(), b.getStrideU(), cw, ch);
      copy(v, strideV, b.getDataV(), b.getStrideV(), cw, ch);
    });
  }

  @Override
  public void pushArgb(int[] argb, int width, int height) {
    Objects.requireNonNull(argb, "argb == null");
    if (width < 2 || height < 2 || argb.length < width * height) {
      throw new IllegalArgumentException("bad size " + width + "x" + height + " for " + argb.length + " pixels");
    }
    checkApp();
    pushNative(width, height, b -> I420.fromArgb(argb, width, height, b.getDataY(), b.getStrideY(),
        b.getDataU(), b.getStrideU(), b.getDataV(), b.getStrideV()));
  }

  @Override
  public void push(BufferedImage image) {
    Objects.requireNonNull(image, "image == null");
    int w = image.getWidth() & ~1;
    int h = image.getHeight() & ~1;
    pushArgb(image.getRGB(0, 0, w, h, null, 0, w), w, h);
  }

  @Override
  public long framesPushed() {
    return pushed.get();
  }

  private void checkApp() {
    if (!app) throw new IllegalStateException("this video source is not appFrames");
  }

  private static void copy(ByteBuffer src, int srcStride, ByteBuffer dst, int dstStride, int w, int h) {
    for (int row = 0; row < h; row++) {
      for (int x = 0; x < w; x++) dst.put(row * dstStride + x, src.get(row * srcStride + x));
    }
  }

  /** Stops producing frames (first step of the safe dispose order). Idempotent. */
  public void stop() {
    ScheduledExecutorService p;
    synchronized (this) {
      closed = true;
      p = producer;
      producer = null;
    }
    if (p != null) {
      p.shutdownNow();
      try {
        p.awaitTermination(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Stops, then disposes track and source. Idempotent. */
  @Override
  public void close() {
    stop();
    synchronized (this) {
      if (disposed) return;
      disposed = true;
    }
    if (source instanceof VideoDeviceSource d) {
      try {
        d.stop();
      } catch (Throwable t) {
        log.debug("camera stop: {}", t.toString());
      }
    }
    Dispose.quietly("video track", track::dispose);
    if (source instanceof CustomVideoSource c) Dispose.quietly("video source", c::dispose);
    if (source instanceof VideoDeviceSource d) Dispose.quietly("camera source", d::dispose);
  }
}
