package dev.simplecall.internal.media;

import dev.onvoid.webrtc.media.MediaDevices;
import dev.onvoid.webrtc.media.video.VideoDevice;
import java.io.File;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guarded camera discovery. Native device enumeration can block forever or crash on a headless
 * machine, so it runs once per JVM on its own daemon thread with a timeout; on Linux it is skipped
 * entirely when there is no {@code /dev/video*}.
 */
public final class Camera {
  private static final Logger log = LoggerFactory.getLogger(Camera.class);
  private static CompletableFuture<VideoDevice> probe;

  private Camera() {}

  /** The first camera, or {@code null} when there is none or enumeration did not answer in time. */
  public static VideoDevice first(long timeoutMs) {
    CompletableFuture<VideoDevice> f;
    synchronized (Camera.class) {
      if (probe == null) probe = startProbe();
      f = probe;
    }
    try {
      return f.get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      log.warn("camera enumeration did not answer within {} ms; using the test pattern", timeoutMs);
      return null;
    }
  }

  private static CompletableFuture<VideoDevice> startProbe() {
    CompletableFuture<VideoDevice> f = new CompletableFuture<>();
    if (isLinux() && !hasVideoNodes()) {
      f.complete(null);
      return f;
    }
    Thread t = new Thread(() -> {
      try {
        List<VideoDevice> devices = MediaDevices.getVideoCaptureDevices();
        f.complete(devices == null || devices.isEmpty() ? null : devices.get(0));
      } catch (Throwable e) {
        log.warn("camera enumeration failed: {}", e.toString());
        f.complete(null);
      }
    }, "simplecall-camera-probe");
    t.setDaemon(true);
    t.start();
    return f;
  }

  private static boolean isLinux() {
    return System.getProperty("os.name", "").toLowerCase().contains("linux");
  }

  private static boolean hasVideoNodes() {
    String[] names = new File("/dev").list((dir, name) -> name.startsWith("video"));
    return names != null && names.length > 0;
  }
}
