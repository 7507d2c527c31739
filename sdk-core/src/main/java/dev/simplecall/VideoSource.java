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
  public enum Kind {
    /** No outgoing video: {@link #none()}. */
    NONE,
    /** A synthetic moving picture made by the SDK: {@link #testPattern}. */
    TEST_PATTERN,
    /** A camera, the first or a named one: {@link #camera()}. */
    CAMERA,
    /** Frames the app pushes through {@link CallSession#appVideo()}: {@link #appFrames}. */
    APP_FRAMES,
    /** An X11 screen, whole or a region of it: {@link #screen}, {@link #screenRegion}. */
    SCREEN,
    /** The area of an X11 window, found by its title: {@link #window}. */
    WINDOW,
    /** A Y4M video file: {@link #file}. */
    FILE
  }

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

  /**
   * A moving synthetic picture that carries a frame counter in its top row of blocks.
   *
   * @param width frame width in pixels: even, 16 to 7680
   * @param height frame height in pixels: even, 16 to 7680
   * @param fps frames per second, 1 to 120
   * @return a {@link Kind#TEST_PATTERN} source
   * @throws IllegalArgumentException when a value is out of range or a size is odd
   */
  public static VideoSource testPattern(int width, int height, int fps) {
    return new VideoSource(Kind.TEST_PATTERN, checkSize(width, "width"), checkSize(height, "height"), checkFps(fps));
  }

  /**
   * The first camera at 640x480@30, or a test pattern when there is none (or enumeration hangs);
   * the log says which.
   *
   * @return a {@link Kind#CAMERA} source with no device named
   */
  public static VideoSource camera() {
    return camera(640, 480, 30);
  }

  /**
   * The first camera at this size and rate, or a test pattern when there is none; the log says which.
   * A camera that does not start sends the test pattern too.
   *
   * @param width frame width in pixels asked of the camera (and of the pattern): even, 16 to 7680
   * @param height frame height in pixels asked of the camera (and of the pattern): even, 16 to 7680
   * @param fps frames per second asked of the camera (and of the pattern), 1 to 120
   * @return a {@link Kind#CAMERA} source with no device named
   * @throws IllegalArgumentException when a value is out of range or a size is odd
   */
  public static VideoSource camera(int width, int height, int fps) {
    return new VideoSource(Kind.CAMERA, checkSize(width, "width"), checkSize(height, "height"), checkFps(fps));
  }

  /**
   * The camera named {@code device} (its name or descriptor, see {@link Cameras#list()}), asking it
   * for this size and rate. Never falls back: when that camera is absent or does not start, the
   * call ends {@code FAILED} with a message that lists the cameras there are.
   *
   * @param device the camera's name or descriptor (on Linux its device path, such as {@code /dev/video0});
   *     not blank
   * @param width frame width in pixels asked of the camera: even, 16 to 7680
   * @param height frame height in pixels asked of the camera: even, 16 to 7680
   * @param fps frames per second asked of the camera, 1 to 120
   * @return a {@link Kind#CAMERA} source for that device
   * @throws NullPointerException when {@code device} is {@code null}
   * @throws IllegalArgumentException when {@code device} is blank, a value is out of range or a size is odd
   */
  public static VideoSource camera(String device, int width, int height, int fps) {
    requireNonNull(device, "device == null");
    if (device.isBlank()) throw new IllegalArgumentException("device is blank");
    return new VideoSource(Kind.CAMERA, checkSize(width, "width"), checkSize(height, "height"), checkFps(fps), -1, 0, 0,
        null, false, device);
  }

  /**
   * Frames the app pushes through {@link CallSession#appVideo()}; size and rate are hints. The frames
   * are sent at the size and rate they are pushed; the hints are checked and kept here, nothing else.
   *
   * @param width expected frame width in pixels: even, 16 to 7680
   * @param height expected frame height in pixels: even, 16 to 7680
   * @param fps expected frames per second, 1 to 120
   * @return a {@link Kind#APP_FRAMES} source
   * @throws IllegalArgumentException when a value is out of range or a size is odd
   */
  public static VideoSource appFrames(int width, int height, int fps) {
    return new VideoSource(Kind.APP_FRAMES, checkSize(width, "width"), checkSize(height, "height"), checkFps(fps));
  }

  /**
   * The whole of X11 screen {@code screen} (0 is the first), captured {@code fps} times a second
   * with {@code java.awt.Robot} on the SDK's own capture thread. Frames have the screen's size
   * (rounded down to even); a capture that overruns its slot drops frames instead of queueing them.
   * Needs an X display ({@code DISPLAY}); without one the call ends {@code FAILED} with a message
   * saying so. webrtc-java's own desktop capture is not used: in 0.14.0 it aborts the JVM on X11.
   *
   * @param screen index of the screen, as in {@link Screens#list()}; 0 or more. An index the display
   *     does not have ends the call {@code FAILED} when the video starts
   * @param fps captures per second, 1 to 120
   * @return a {@link Kind#SCREEN} source for the whole screen
   * @throws IllegalArgumentException when {@code screen} is negative or {@code fps} is out of range
   */
  public static VideoSource screen(int screen, int fps) {
    if (screen < 0) throw new IllegalArgumentException("screen must be >= 0: " + screen);
    return new VideoSource(Kind.SCREEN, 0, 0, checkFps(fps), screen, 0, 0, null, false);
  }

  /**
   * A region of X11 screen {@code screen}: {@code width}x{@code height} pixels from ({@code x},
   * {@code y}), in the screen's own coordinates; a region that leaves the screen is cut to it.
   * Otherwise as {@link #screen}; a region wholly outside the screen ends the call {@code FAILED}.
   *
   * @param screen index of the screen, as in {@link Screens#list()}; 0 or more
   * @param x left edge of the region in pixels from the screen's left edge; 0 or more
   * @param y top edge of the region in pixels from the screen's top edge; 0 or more
   * @param width width of the region in pixels: even, 16 to 7680
   * @param height height of the region in pixels: even, 16 to 7680
   * @param fps captures per second, 1 to 120
   * @return a {@link Kind#SCREEN} source for the region
   * @throws IllegalArgumentException when a value is out of range or a size is odd
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
   * A window that disappears mid-call leaves its last area being sent until it is back.
   *
   * @param title the window's title, exactly as {@code xwininfo -name} matches it; not blank
   * @param fps captures per second, 1 to 120
   * @return a {@link Kind#WINDOW} source
   * @throws NullPointerException when {@code title} is {@code null}
   * @throws IllegalArgumentException when {@code title} is blank or {@code fps} is out of range
   */
  public static VideoSource window(String title, int fps) {
    requireNonNull(title, "title == null");
    if (title.isBlank()) throw new IllegalArgumentException("title is blank");
    return new VideoSource(Kind.WINDOW, 0, 0, checkFps(fps), -1, 0, 0, null, false, title);
  }

  /**
   * A YUV4MPEG2 file (4:2:0, the {@code .y4m} that ffmpeg and most encoders write), sent at the
   * file's frame rate, over and over ({@code loop}) or once (the last frame then stays on screen).
   * The header is read now; {@link #width()}, {@link #height()} and {@link #fps()} are the file's.
   * Playing starts when the call connects, so the far end sees the file from its start.
   *
   * @param y4m the file to send
   * @param loop {@code true}: start again from the first frame at the end; {@code false}: play once
   * @return a {@link Kind#FILE} source with the file's size and rate (rounded to whole frames per second,
   *     at least 1)
   * @throws IllegalArgumentException the file is missing or is not a 4:2:0 Y4M file
   */
  public static VideoSource file(Path y4m, boolean loop) {
    requireNonNull(y4m, "y4m == null");
    Y4mReader.Header h = Y4mReader.header(y4m);
    return new VideoSource(Kind.FILE, h.width(), h.height(), Math.max(1, (int) Math.round(h.fps())), -1, 0, 0, y4m, loop);
  }

  /**
   * No outgoing video (video from the remote is still received).
   *
   * @return the {@link Kind#NONE} source
   */
  public static VideoSource none() {
    return NONE;
  }

  /**
   * What kind of source this is.
   *
   * @return the kind; the other accessors say which kinds they apply to
   */
  public Kind kind() {
    return kind;
  }

  /**
   * The frame width asked for.
   *
   * @return pixels: the width given for TEST_PATTERN, CAMERA and APP_FRAMES, the region's for a SCREEN
   *     region, the file's for FILE; 0 for a whole screen, WINDOW and NONE (their size is the screen's or
   *     the window's)
   */
  public int width() {
    return width;
  }

  /**
   * The frame height asked for.
   *
   * @return pixels: the height given for TEST_PATTERN, CAMERA and APP_FRAMES, the region's for a SCREEN
   *     region, the file's for FILE; 0 for a whole screen, WINDOW and NONE (their size is the screen's or
   *     the window's)
   */
  public int height() {
    return height;
  }

  /**
   * The frame rate asked for.
   *
   * @return frames per second, 1 to 120 as given (for FILE the file's rate, rounded, at least 1); 0 for
   *     NONE
   */
  public int fps() {
    return fps;
  }

  /**
   * SCREEN: the screen's index; -1 for other kinds.
   *
   * @return for SCREEN the index given, 0 or more; -1 for other kinds
   */
  public int screen() {
    return screen;
  }

  /**
   * SCREEN: the region's left edge (0 for the whole screen).
   *
   * @return pixels from the screen's left edge; 0 for other kinds
   */
  public int x() {
    return x;
  }

  /**
   * SCREEN: the region's top edge (0 for the whole screen).
   *
   * @return pixels from the screen's top edge; 0 for other kinds
   */
  public int y() {
    return y;
  }

  /**
   * SCREEN: true for a region, false for the whole screen.
   *
   * @return whether this is a {@link #screenRegion}; {@code false} for other kinds
   */
  public boolean isRegion() {
    return kind == Kind.SCREEN && width > 0;
  }

  /**
   * CAMERA: the camera asked for by name or descriptor; null for the first camera and other kinds.
   *
   * @return the {@code device} given to {@link #camera(String, int, int, int)}, or {@code null}
   */
  public String device() {
    return kind == Kind.CAMERA ? device : null;
  }

  /**
   * WINDOW: the window's title; null for other kinds.
   *
   * @return the {@code title} given to {@link #window}, or {@code null}
   */
  public String title() {
    return kind == Kind.WINDOW ? device : null;
  }

  /**
   * FILE: the Y4M file; null for other kinds.
   *
   * @return the path given to {@link #file(Path, boolean)}, or {@code null}
   */
  public Path file() {
    return file;
  }

  /**
   * FILE: whether the file starts again at its end.
   *
   * @return the {@code loop} given to {@link #file(Path, boolean)}; {@code false} for other kinds
   */
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
