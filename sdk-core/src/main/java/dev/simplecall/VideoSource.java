package dev.simplecall;

/**
 * Where a session's outgoing video comes from.
 *
 * <pre>{@code
 * MediaOptions.builder().video(VideoSource.testPattern(640, 480, 30)).build();
 * MediaOptions.builder().video(VideoSource.camera()).build();       // test pattern if no camera
 * MediaOptions.builder().video(VideoSource.appFrames(1280, 720, 30)).build(); // session.appVideo()
 * }</pre>
 */
public final class VideoSource {
  /** The kinds of source. */
  public enum Kind { NONE, TEST_PATTERN, CAMERA, APP_FRAMES }

  private static final VideoSource NONE = new VideoSource(Kind.NONE, 0, 0, 0);

  private final Kind kind;
  private final int width;
  private final int height;
  private final int fps;

  private VideoSource(Kind kind, int width, int height, int fps) {
    this.kind = kind;
    this.width = width;
    this.height = height;
    this.fps = fps;
  }

  /** A moving synthetic picture that carries a frame counter in its top row of blocks. */
  public static VideoSource testPattern(int width, int height, int fps) {
    return new VideoSource(Kind.TEST_PATTERN, checkSize(width, "width"), checkSize(height, "height"), checkFps(fps));
  }

  /** The first camera at 640x480@30, or a test pattern when there is none (or enumeration hangs). */
  public static VideoSource camera() {
    return camera(640, 480, 30);
  }

  public static VideoSource camera(int width, int height, int fps) {
    return new VideoSource(Kind.CAMERA, checkSize(width, "width"), checkSize(height, "height"), checkFps(fps));
  }

  /** Frames the app pushes through {@link CallSession#appVideo()}; size and rate are hints. */
  public static VideoSource appFrames(int width, int height, int fps) {
    return new VideoSource(Kind.APP_FRAMES, checkSize(width, "width"), checkSize(height, "height"), checkFps(fps));
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
    return kind == Kind.NONE ? "VideoSource[none]" : "VideoSource[" + kind + " " + width + "x" + height + "@" + fps + "]";
  }
}
