package dev.simplecall;

import static java.util.Objects.requireNonNull;

import dev.simplecall.internal.media.Y4mReader;
import java.nio.file.Path;

/**
 * Where a session's outgoing video comes from.
 *
 * <pre>{@code
 * MediaOptions.builder().video(VideoSource.testPattern(640, 480, 30)).build();
 * MediaOptions.builder().video(VideoSource.camera()).build();       // test pattern if no camera
 * MediaOptions.builder().video(VideoSource.appFrames(1280, 720, 30)).build(); // session.appVideo()
 * MediaOptions.builder().video(VideoSource.screen(0, 15)).build();   // the first screen at 15 fps
 * MediaOptions.builder().video(VideoSource.file(Path.of("clip.y4m"), true)).build(); // looping
 * }</pre>
 */
public final class VideoSource {
  /** The kinds of source. */
  public enum Kind { NONE, TEST_PATTERN, CAMERA, APP_FRAMES, SCREEN, WINDOW, FILE }

  private static final VideoSource NONE = new VideoSource(Kind.NONE, 0, 0, 0);

  private final Kind kind;
  private final int width;
  private final int height;
  private final int fps;
  private final int screen;
  private final int x;
  private final int y;
  private final Path file;
  private final boolean loop;
  private final String device;

  private VideoSource(Kind kind, int width, int height, int fps) {
    this(kind, width, height, fps, -1, 0, 0, null, false);
  }

  private VideoSource(Kind kind, int width, int height, int fps, int screen, int x, int y, Path file, boolean loop) {
    this(kind, width, height, fps, screen, x, y, file, loop, null);
  }

  private VideoSource(Kind kind, int width, int height, int fps, int screen, int x, int y, Path file, boolean loop,
      String device) {
    this.device = device;
    this.kind = kind;
    this.width = width;
    this.height = height;
    this.fps = fps;
    this.screen = screen;
    this.x = x;
    this.y = y;
    this.file = file;
    this.loop = loop;
  }

  /** A moving synthetic picture that carries a frame counter in its top row of blocks. */
  public static VideoSource testPattern(int width, int height, int fps) {
    return new VideoSource(Kind.TEST_PATTERN, checkSize(width, "width"), checkSize(height, "height"), checkFps(fps));
  }

  /**
   * The first camera at 640x480@30, or a test pattern when there is none (or enumeration hangs);
   * the log says which.
   */
  public static VideoSource camera() {
    return camera(640, 480, 30);
  }

  /** The first camera at this size and rate, or a test pattern when there is none; the log says which. */
  public static VideoSource camera(int width, int height, int fps) {
    return new VideoSource(Kind.CAMERA, checkSize(width, "width"), checkSize(height, "height"), checkFps(fps));
  }

  /**
   * The camera named {@code device} (its name or descriptor, see {@link Cameras#list()}), asking it
   * for this size and rate. Never falls back: when that camera is absent or does not start, the
   * call ends {@code FAILED} with a message that lists the cameras there are.
   */
  public static VideoSource camera(String device, int width, int height, int fps) {
    requireNonNull(device, "device == null");
    if (device.isBlank()) throw new IllegalArgumentException("device is blank");
    return new VideoSource(Kind.CAMERA, checkSize(width, "width"), checkSize(height, "height"), checkFps(fps), -1, 0, 0,
        null, false, device);
  }

  /** Frames the app pushes through {@link CallSession#appVideo()}; size and rate are hints. */
  public static VideoSource appFrames(int width, int height, int fps) {
    return new VideoSource(Kind.APP_FRAMES, checkSize(width, "width"), checkSize(height, "height"), checkFps(fps));
  }

  /**
   * The whole of X11 screen {@code screen} (0 is the first), captured {@code fps} times a second
   * with {@code java.awt.Robot} on the SDK's own capture thread. Frames have the screen's size
   * (rounded down to even); a capture that overruns its slot drops frames instead of queueing them.
   * Needs an X display ({@code DISPLAY}); without one the call ends {@code FAILED} with a message
   * saying so. webrtc-java's own desktop capture is not used: in 0.14.0 it aborts the JVM on X11.
   */
  public static VideoSource screen(int screen, int fps) {
    if (screen < 0) throw new IllegalArgumentException("screen must be >= 0: " + screen);
    return new VideoSource(Kind.SCREEN, 0, 0, checkFps(fps), screen, 0, 0, null, false);
  }

  /**
   * A region of X11 screen {@code screen}: {@code width}x{@code height} pixels from ({@code x},
   * {@code y}), in the screen's own coordinates; a region that leaves the screen is cut to it.
   */
  public static VideoSource screenRegion(int screen, int x, int y, int width, int height, int fps) {
    if (screen < 0) throw new IllegalArgumentException("screen must be >= 0: " + screen);
    if (x < 0 || y < 0) throw new IllegalArgumentException("region origin must be >= 0: " + x + "," + y);
    return new VideoSource(Kind.SCREEN, checkSize(width, "width"), checkSize(height, "height"), checkFps(fps),
        screen, x, y, null, false);
  }

  /**
   * The area of the X11 window titled {@code title} (found with {@code xwininfo}, Debian
   * {@code x11-utils}), captured {@code fps} times a second and followed when the window moves or
   * is resized (looked up once a second). What covers the window is captured too: this is the
   * window's area of the screen, not its own contents. No such window ends the call {@code FAILED}.
   */
  public static VideoSource window(String title, int fps) {
    requireNonNull(title, "title == null");
    if (title.isBlank()) throw new IllegalArgumentException("title is blank");
    return new VideoSource(Kind.WINDOW, 0, 0, checkFps(fps), 0, 0, 0, null, false, title);
  }

  /**
   * A YUV4MPEG2 file (4:2:0, the {@code .y4m} that ffmpeg and most encoders write), sent at the
   * file's frame rate, over and over ({@code loop}) or once (the last frame then stays on screen).
   * The header is read now; {@link #width()}, {@link #height()} and {@link #fps()} are the file's.
   *
   * @throws IllegalArgumentException the file is missing or is not a 4:2:0 Y4M file
   */
  public static VideoSource file(Path y4m, boolean loop) {
    requireNonNull(y4m, "y4m == null");
    Y4mReader.Header h = Y4mReader.header(y4m);
    return new VideoSource(Kind.FILE, h.width(), h.height(), Math.max(1, (int) Math.round(h.fps())), -1, 0, 0, y4m, loop);
  }

  /** No outgoing video (video from the remote is still received). */
  public static VideoSource none() {
    return NONE;
  }

  public Kind kind() {
    return kind;
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  public int fps() {
    return fps;
  }

  /** SCREEN: the screen's index; -1 for other kinds. */
  public int screen() {
    return screen;
  }

  /** SCREEN: the region's left edge (0 for the whole screen). */
  public int x() {
    return x;
  }

  /** SCREEN: the region's top edge (0 for the whole screen). */
  public int y() {
    return y;
  }

  /** SCREEN: true for a region, false for the whole screen. */
  public boolean isRegion() {
    return kind == Kind.SCREEN && width > 0;
  }

  /** CAMERA: the camera asked for by name or descriptor; null for the first camera and other kinds. */
  public String device() {
    return kind == Kind.CAMERA ? device : null;
  }

  /** WINDOW: the window's title; null for other kinds. */
  public String title() {
    return kind == Kind.WINDOW ? device : null;
  }

  /** FILE: the Y4M file; null for other kinds. */
  public Path file() {
    return file;
  }

  /** FILE: whether the file starts again at its end. */
  public boolean loop() {
    return loop;
  }

  private static int checkSize(int v, String what) {
    if (v < 16 || v > 7680 || v % 2 != 0) {
      throw new IllegalArgumentException(what + " must be even and in 16..7680: " + v);
    }
    return v;
  }

  private static int checkFps(int fps) {
    if (fps < 1 || fps > 120) throw new IllegalArgumentException("fps must be in 1..120: " + fps);
    return fps;
  }

  @Override
  public String toString() {
    switch (kind) {
      case NONE: return "VideoSource[none]";
      case SCREEN: return "VideoSource[screen " + screen + (isRegion() ? " " + width + "x" + height + "+" + x + "+" + y : "")
          + " @" + fps + "]";
      case WINDOW: return "VideoSource[window \"" + title() + "\" @" + fps + "]";
      case FILE: return "VideoSource[file " + file + " " + width + "x" + height + "@" + fps + (loop ? " looping" : " once") + "]";
      case CAMERA: return "VideoSource[camera" + (device != null ? " \"" + device + "\"" : "") + " " + width + "x" + height
          + "@" + fps + "]";
      default: return "VideoSource[" + kind + " " + width + "x" + height + "@" + fps + "]";
    }
  }
}
