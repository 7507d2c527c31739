package dev.simplecall;

import dev.simplecall.internal.media.Camera;
import java.util.List;

/**
 * The cameras {@link VideoSource#camera(String, int, int, int)} can open (V4L2 on Linux, through
 * webrtc-java). Listing runs once per process on its own thread with a 3 s bound, and is skipped on
 * Linux when there is no {@code /dev/video*}; a camera plugged in later is not seen.
 *
 * <pre>{@code
 * for (Cameras.Camera c : Cameras.list()) System.out.println(c); // camera "HD Webcam" (/dev/video0)
 * }</pre>
 */
public final class Cameras {
  /**
   * One camera: its name and its descriptor (on Linux, the device path); either selects it.
   *
   * @param name the camera's name, such as {@code HD Webcam}
   * @param descriptor the camera's descriptor: on Linux its device path, such as {@code /dev/video0}
   */
  public record Camera(String name, String descriptor) {
    @Override
    public String toString() {
      return "camera \"" + name + "\" (" + descriptor + ")";
    }
  }

  private Cameras() {}

  /**
   * The cameras there are; empty when there is none (never an error).
   *
   * @return the cameras as listed once per process; empty also when listing did not answer within 3 s
   */
  public static List<Camera> list() {
    return dev.simplecall.internal.media.Camera.all(3000).stream()
        .map(d -> new Camera(d.getName(), d.getDescriptor())).toList();
  }
}
