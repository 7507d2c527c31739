package dev.simplecall.samples.cli;

import dev.simplecall.Cameras;
import dev.simplecall.Screens;
import dev.simplecall.VideoSource;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code --video pattern[:WxH@FPS]|WxH@FPS|screen[:N][@FPS]|camera[:DEVICE][:WxH@FPS]|file:PATH.y4m|none},
 * shared by {@code peer} and {@code gui}. The bare {@code WxH@FPS} keeps meaning the
 * test pattern. A screen without an X display, or a file that is not Y4M, is a usage error before
 * the call starts.
 */
final class VideoFlags {
  /** The value syntax of --video, as the help shows it. */
  static final String SYNTAX = "pattern[:WxH@FPS]|screen[:N][@FPS]|window:TITLE[@FPS]|camera[:DEVICE][:WxH@FPS]|file:PATH.y4m|none";

  static final String FORMS = "pattern[:WxH@FPS], WxH@FPS, screen[:N][@FPS], window:TITLE[@FPS], camera[:DEVICE][:WxH@FPS], file:PATH.y4m or none";
  private static final Pattern SIZE = Pattern.compile("\\d{1,5}x\\d{1,5}(?:@\\d{1,3})?");
  private static final Pattern SCREEN = Pattern.compile("screen(?::(\\d{1,2}))?(?:@(\\d{1,3}))?", Pattern.CASE_INSENSITIVE);
  private static final int SCREEN_FPS = 15;

  private VideoFlags() {}

  /** Parses {@code --video}; a Y4M file loops. */
  static VideoSource video(String text) {
    String t = text.trim();
    if (t.equalsIgnoreCase("none")) return VideoSource.none();
    if (t.equalsIgnoreCase("pattern")) return VideoSource.testPattern(640, 480, 30);
    if (t.regionMatches(true, 0, "pattern:", 0, 8)) return pattern(t.substring(8), text);
    if (!t.isEmpty() && Character.isDigit(t.charAt(0))) return pattern(t, text);
    Matcher m = SCREEN.matcher(t);
    if (m.matches()) {
      int screen = m.group(1) == null ? 0 : Integer.parseInt(m.group(1));
      int fps = m.group(2) == null ? SCREEN_FPS : Integer.parseInt(m.group(2));
      try {
        return VideoSource.screen(screen, fps);
      } catch (IllegalArgumentException e) {
        throw usage("--video " + text + ": " + e.getMessage());
      }
    }
    if (t.regionMatches(true, 0, "window:", 0, 7)) return window(t.substring(7), text);
    if (t.equalsIgnoreCase("camera")) return VideoSource.camera();
    if (t.regionMatches(true, 0, "camera:", 0, 7)) return camera(t.substring(7), text);
    if (t.regionMatches(true, 0, "file:", 0, 5)) {
      String path = t.substring(5);
      if (path.isBlank()) throw usage("--video file:PATH.y4m needs a path: \"" + text + "\"");
      try {
        return VideoSource.file(Path.of(path), true);
      } catch (IllegalArgumentException e) { // InvalidPathException too
        throw usage("--video " + text + ": " + e.getMessage());
      }
    }
    throw usage("--video expects " + FORMS + ": \"" + text + "\"");
  }

  /**
   * Checks, before the call, that the source can start here: a screen needs an X display, a camera
   * named on the command line must exist (the error lists the cameras there are).
   */
  static void check(VideoSource video) {
    if (video.kind() == VideoSource.Kind.WINDOW) {
      String why = Screens.windowUnavailableReason(video.title());
      if (why != null) throw usage("--video window:" + video.title() + ": " + why);
      return;
    }
    if (video.kind() == VideoSource.Kind.CAMERA && video.device() != null) {
      List<Cameras.Camera> cams = Cameras.list();
      for (Cameras.Camera c : cams) {
        if (c.name().equals(video.device()) || video.device().equals(c.descriptor())) return;
      }
      throw usage("--video camera:" + video.device() + ": no camera named \"" + video.device() + "\"; "
          + (cams.isEmpty() ? "this machine has no camera" : "cameras: " + cams));
    }
    if (video.kind() != VideoSource.Kind.SCREEN) return;
    String reason = Screens.unavailableReason();
    if (reason != null) throw usage("--video screen: " + reason);
    int n;
    try {
      n = Screens.list().size();
    } catch (IllegalStateException e) {
      throw usage("--video screen: " + e.getMessage());
    }
    if (video.screen() >= n) {
      throw usage("--video screen:" + video.screen() + ": display " + System.getenv("DISPLAY") + " has " + n
          + " screen" + (n == 1 ? "" : "s") + " (0.." + (n - 1) + ")");
    }
    String why = Screens.unavailableReason(video.screen());
    if (why != null) throw usage("--video screen:" + video.screen() + ": " + why);
  }

  /** {@code TITLE} or {@code TITLE@FPS} (default 15) after {@code window:}. */
  private static VideoSource window(String rest, String text) {
    Matcher m = Pattern.compile("(.*)@(\\d{1,3})").matcher(rest);
    String title = m.matches() ? m.group(1) : rest;
    int fps = m.matches() ? Integer.parseInt(m.group(2)) : SCREEN_FPS;
    if (title.isBlank()) throw usage("--video window:TITLE needs a window title: \"" + text + "\"");
    try {
      return VideoSource.window(title, fps);
    } catch (IllegalArgumentException e) {
      throw usage("--video " + text + ": " + e.getMessage());
    }
  }

  /** {@code DEVICE}, {@code WxH@FPS} or {@code DEVICE:WxH@FPS} after {@code camera:}. */
  private static VideoSource camera(String rest, String text) {
    String device = rest;
    VideoSpec size = new VideoSpec(640, 480, 30);
    int colon = rest.lastIndexOf(':');
    String tail = colon < 0 ? rest : rest.substring(colon + 1);
    if (SIZE.matcher(tail).matches()) {
      try {
        size = VideoSpec.parse(tail);
      } catch (IllegalArgumentException e) {
        throw usage("--video " + text + ": " + e.getMessage());
      }
      device = colon < 0 ? "" : rest.substring(0, colon);
    }
    if (device.isBlank()) {
      if (colon >= 0 || !SIZE.matcher(tail).matches()) throw usage("--video camera:DEVICE needs a device name: \"" + text + "\"");
      return VideoSource.camera(size.width(), size.height(), size.fps());
    }
    return VideoSource.camera(device, size.width(), size.height(), size.fps());
  }

  private static VideoSource pattern(String spec, String text) {
    try {
      VideoSpec v = VideoSpec.parse(spec);
      return VideoSource.testPattern(v.width(), v.height(), v.fps());
    } catch (IllegalArgumentException e) {
      throw usage("--video " + text + ": " + e.getMessage());
    }
  }

  private static CliException usage(String message) {
    return new CliException(ExitCodes.USAGE, message);
  }
}
