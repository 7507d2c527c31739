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
 * entirely when there is no {@code /dev/video*}. The list is taken once per JVM: a camera plugged
 * in later is not seen.
 */
public final class Camera {
  private static final Logger log = LoggerFactory.getLogger(Camera.class);
  private static CompletableFuture<List<VideoDevice>> probe;

  private Camera() {}

  /** Every camera, or an empty list when there is none or enumeration did not answer in time. */
  public static List<VideoDevice> all(long timeoutMs) {
    CompletableFuture<List<VideoDevice>> f;
    synchronized (Camera.class) {
      if (probe == null) probe = startProbe();
      f = probe;
    }
    try {
      return f.get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      log.warn("camera enumeration did not answer within {} ms", timeoutMs);
      return List.of();
    }
  }

  /** The first camera, or {@code null} when there is none or enumeration did not answer in time. */
  public static VideoDevice first(long timeoutMs) {
    List<VideoDevice> all = all(timeoutMs);
    return all.isEmpty() ? null : all.get(0);
  }

  /** The camera whose name or descriptor (for V4L2, the device path) is {@code nameOrDescriptor}, or null. */
  public static VideoDevice find(String nameOrDescriptor, long timeoutMs) {
    for (VideoDevice d : all(timeoutMs)) {
      if (nameOrDescriptor.equals(d.getName()) || nameOrDescriptor.equals(d.getDescriptor())) return d;
    }
    return null;
  }

  /** Why {@code name} was not found, listing the cameras there are. */
  public static String absentMessage(String name, long timeoutMs) {
    List<VideoDevice> all = all(timeoutMs);
    if (all.isEmpty()) {
      return "no camera named \"" + name + "\": this machine has no camera"
          + (isLinux() && !hasVideoNodes() ? " (no /dev/video* device)" : "");
    }
    StringBuilder sb = new StringBuilder("no camera named \"" + name + "\"; cameras:");
    for (VideoDevice d : all) sb.append(" \"").append(d.getName()).append("\" (").append(d.getDescriptor()).append(')');
    return sb.toString();
  }

  private static CompletableFuture<List<VideoDevice>> startProbe() {
    CompletableFuture<List<VideoDevice>> f = new CompletableFuture<>();
    if (isLinux() && !hasVideoNodes()) {
      f.complete(List.of());
      return f;
    }
    Thread t = new Thread(() -> {
      try {
        List<VideoDevice> devices = MediaDevices.getVideoCaptureDevices();
        f.complete(devices == null ? List.of() : List.copyOf(devices));
      } catch (Throwable e) {
        log.warn("camera enumeration failed: {}", e.toString());
        f.complete(List.of());
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
