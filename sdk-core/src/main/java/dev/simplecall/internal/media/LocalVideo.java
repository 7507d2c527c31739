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
import java.awt.Rectangle;
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
 * One outgoing video track and what feeds it: a test-pattern thread, a camera, frames the app
 * pushes, the screen ({@link ScreenCapture} on the {@code simplecall-screen-capture} thread) or a
 * Y4M file (the {@code simplecall-file-video} thread). {@link #close()} stops the producer first,
 * then disposes track and source.
 *
 * <p>Threads: {@link #create} and {@link #close()} run on the session thread; frames are pushed
 * on the producer's thread or the app's, one at a time ({@code pushNative} is synchronized).
 */
public final class LocalVideo implements AppVideoSource, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LocalVideo.class);

  private final VideoTrackSource source;
  private final VideoTrack track;
  private final boolean app;
  private final AtomicLong pushed = new AtomicLong();
  private ScheduledExecutorService producer;
  private FramePump pump; // screen or file; guarded by this
  private AutoCloseable pumpResource; // closed after the pump has stopped
  private boolean pumpWaits; // a file pump starts on connected(); guarded by this
  private volatile boolean closed;
  private boolean disposed;

  private LocalVideo(VideoTrackSource source, VideoTrack track, boolean app) {
    this.source = source;
    this.track = track;
    this.app = app;
  }

  /**
   * Makes the track and starts its producer.
   *
   * @throws VideoUnavailableException the screen or file cannot be read (the message says why)
   */
  public static LocalVideo create(PeerConnectionFactory factory, VideoSource spec, String trackId) {
    if (spec.kind() == VideoSource.Kind.SCREEN) {
      ScreenCapture screen = ScreenCapture.open(spec.screen(),
          spec.isRegion() ? new Rectangle(spec.x(), spec.y(), spec.width(), spec.height()) : null);
      LocalVideo v = custom(factory, trackId, false);
      v.startScreen(screen, spec.fps());
      log.info("video: screen {} of display {}, {}x{} at {} fps", spec.screen(), System.getenv("DISPLAY"),
          screen.width(), screen.height(), spec.fps());
      return v;
    }
    if (spec.kind() == VideoSource.Kind.WINDOW) {
      Rectangle where = WindowLocator.find(spec.title());
      ScreenCapture first = ScreenCapture.open(0, where);
      LocalVideo v = custom(factory, trackId, false);
      v.startWindow(spec.title(), first, spec.fps());
      log.info("video: window \"{}\" at {},{} {}x{}, {} fps", spec.title(), where.x, where.y, first.width(), first.height(),
          spec.fps());
      return v;
    }
    if (spec.kind() == VideoSource.Kind.FILE) {
      Y4mReader reader;
      try {
        reader = Y4mReader.open(spec.file());
      } catch (IllegalArgumentException e) {
        throw new VideoUnavailableException(e.getMessage(), e);
      }
      LocalVideo v = custom(factory, trackId, false);
      v.startFile(reader, spec.loop());
      Y4mReader.Header h = reader.header();
      log.info("video: file {} ({}x{} at {} fps, {})", spec.file(), h.width(), h.height(), h.fps(),
          spec.loop() ? "looping" : "once");
      return v;
    }
    if (spec.kind() == VideoSource.Kind.CAMERA) {
      VideoDevice cam = spec.device() == null ? Camera.first(3000) : Camera.find(spec.device(), 3000);
      if (cam == null && spec.device() != null) throw new VideoUnavailableException(Camera.absentMessage(spec.device(), 3000));
      if (cam != null) {
        VideoDeviceSource src = new VideoDeviceSource();
        try {
          src.setVideoCaptureDevice(cam);
          src.setVideoCaptureCapability(new VideoCaptureCapability(spec.width(), spec.height(), spec.fps()));
          src.start();
          log.info("video: camera \"{}\" ({}) at {}x{}@{}", cam.getName(), cam.getDescriptor(), spec.width(),
              spec.height(), spec.fps());
          return new LocalVideo(src, factory.createVideoTrack(trackId, src), false);
        } catch (Throwable e) {
          src.dispose();
          if (spec.device() != null) { // asked for by name: say so, never a silent pattern
            throw new VideoUnavailableException("camera \"" + spec.device() + "\" did not start: " + e, e);
          }
          log.warn("camera {} did not start ({}); using the test pattern", cam.getName(), e.toString());
        }
      } else {
        log.warn("video: no camera found; sending the test pattern instead");
      }
    }
    CustomVideoSource src = new CustomVideoSource();
    LocalVideo v = new LocalVideo(src, factory.createVideoTrack(trackId, src), spec.kind() == VideoSource.Kind.APP_FRAMES);
    if (!v.app) v.startPattern(spec.width(), spec.height(), spec.fps());
    return v;
  }

  private static LocalVideo custom(PeerConnectionFactory factory, String trackId, boolean app) {
    CustomVideoSource src = new CustomVideoSource();
    return new LocalVideo(src, factory.createVideoTrack(trackId, src), app);
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

  private synchronized void startScreen(ScreenCapture screen, int fps) {
    int w = screen.width();
    int h = screen.height();
    pump = new FramePump("simplecall-screen-capture", 1_000_000_000L / fps, n -> {
      int[] argb = screen.grab();
      pushNative(w, h, b -> I420.fromArgb(argb, w, h, b.getDataY(), b.getStrideY(), b.getDataU(), b.getStrideU(),
          b.getDataV(), b.getStrideV()));
      return true;
    }).start();
  }

  /** Like the screen, on the window's area; looked up again once a second to follow moves and resizes. */
  private synchronized void startWindow(String title, ScreenCapture first, int fps) {
    ScreenCapture[] cap = {first};
    long[] nextLookup = {System.nanoTime() + 1_000_000_000L};
    boolean[] lost = {false};
    pump = new FramePump("simplecall-screen-capture", 1_000_000_000L / fps, n -> {
      if (System.nanoTime() >= nextLookup[0]) {
        nextLookup[0] = System.nanoTime() + 1_000_000_000L;
        try {
          Rectangle where = WindowLocator.find(title);
          if (lost[0]) log.info("window \"{}\" is back", title);
          lost[0] = false;
          Rectangle now = cap[0].area();
          if (where.x != now.x || where.y != now.y || (where.width & ~1) != now.width || (where.height & ~1) != now.height) {
            cap[0] = ScreenCapture.open(0, where);
          }
        } catch (VideoUnavailableException e) { // gone or unmapped: keep sending its last area
          if (!lost[0]) log.warn("window \"{}\": {}; sending its last area", title, e.getMessage());
          lost[0] = true;
        }
      }
      ScreenCapture c = cap[0];
      int w = c.width();
      int h = c.height();
      int[] argb = c.grab();
      pushNative(w, h, b -> I420.fromArgb(argb, w, h, b.getDataY(), b.getStrideY(), b.getDataU(), b.getStrideU(),
          b.getDataV(), b.getStrideV()));
      return true;
    }).start();
  }

  private synchronized void startFile(Y4mReader reader, boolean loop) {
    Y4mReader.Header hd = reader.header();
    int w = hd.width();
    int h = hd.height();
    int cw = (w + 1) / 2;
    int ch = (h + 1) / 2;
    byte[] planes = new byte[hd.frameBytes()];
    pumpResource = reader;
    pump = new FramePump("simplecall-file-video", hd.periodNanos(), n -> {
      if (!reader.next(planes)) {
        if (!loop) return false; // once: the last frame stays on the receiver's screen
        reader.rewind();
        if (!reader.next(planes)) return false;
      }
      if (n == 0) log.debug("video file: first frame");
      pushNative(w, h, b -> {
        copy(planes, 0, w, b.getDataY(), b.getStrideY(), w, h);
        copy(planes, w * h, cw, b.getDataU(), b.getStrideU(), cw, ch);
        copy(planes, w * h + cw * ch, cw, b.getDataV(), b.getStrideV(), cw, ch);
      });
      return true;
    });
    pumpWaits = true;
  }

  /** The call is connected: a file starts playing (once; later calls do nothing). */
  public synchronized void connected() {
    if (pumpWaits && !closed) {
      pumpWaits = false;
      pump.start();
    }
  }

  private static void copy(byte[] src, int offset, int srcStride, ByteBuffer dst, int dstStride, int w, int h) {
    for (int row = 0; row < h; row++) dst.put(row * dstStride, src, offset + row * srcStride, w);
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

  /** Row by row with bulk copies (absolute: neither buffer's position moves). */
  private static void copy(ByteBuffer src, int srcStride, ByteBuffer dst, int dstStride, int w, int h) {
    if (srcStride == w && dstStride == w) {
      dst.put(0, src, 0, w * h);
      return;
    }
    for (int row = 0; row < h; row++) dst.put(row * dstStride, src, row * srcStride, w);
  }

  /** Stops producing frames (first step of the safe dispose order). Idempotent. */
  public void stop() {
    ScheduledExecutorService p;
    FramePump fp;
    AutoCloseable resource;
    synchronized (this) {
      closed = true;
      p = producer;
      producer = null;
      fp = pump;
      pump = null;
      resource = pumpResource;
      pumpResource = null;
      pumpWaits = false;
    }
    if (fp != null) fp.stop(); // outside the lock: the pump's frame may be waiting for it
    if (resource != null) Dispose.quietly("video file", () -> {
      try {
        resource.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
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
