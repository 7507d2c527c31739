package dev.simplecall.internal.media;

import java.awt.Rectangle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds an X11 window's place on the screen by its title with {@code xwininfo -name} (Debian
 * {@code x11-utils}): AWT cannot see other processes' windows. Window sharing captures that area of
 * the screen, so whatever covers the window is sent too.
 */
public final class WindowLocator {
  private static final Pattern NUM = Pattern.compile("(?m)^\\s*(Absolute upper-left X|Absolute upper-left Y|Width|Height):\\s*(-?\\d+)");

  private WindowLocator() {}

  /**
   * The window's area in screen coordinates, cut to nothing when it is not mapped.
   *
   * @throws VideoUnavailableException no such window, no xwininfo, or no display
   */
  public static Rectangle find(String title) {
    String reason = ScreenCapture.unavailableReason();
    if (reason != null) throw new VideoUnavailableException(reason.replace("screen capture", "window sharing"));
    Process p;
    try {
      p = new ProcessBuilder("xwininfo", "-name", title).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new VideoUnavailableException("window sharing needs xwininfo: install the Debian package x11-utils", e);
    }
    try {
      if (!p.waitFor(3, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new VideoUnavailableException("xwininfo did not answer within 3 s looking for window \"" + title + "\"");
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new VideoUnavailableException("no window named \"" + title + "\" on display " + System.getenv("DISPLAY"));
      }
      if (!out.contains("IsViewable")) throw new VideoUnavailableException("window \"" + title + "\" is not on screen (not mapped)");
      int x = 0, y = 0, w = -1, h = -1;
      Matcher m = NUM.matcher(out);
      while (m.find()) {
        int v = Integer.parseInt(m.group(2));
        switch (m.group(1)) {
          case "Absolute upper-left X" -> x = v;
          case "Absolute upper-left Y" -> y = v;
          case "Width" -> w = v;
          default -> h = v;
        }
      }
      if (w < 2 || h < 2) throw new VideoUnavailableException("window \"" + title + "\" has no usable size: " + w + "x" + h);
      return new Rectangle(x, y, w, h);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new VideoUnavailableException("interrupted looking for window \"" + title + "\"", e);
    } catch (IOException e) {
      throw new VideoUnavailableException("xwininfo failed: " + e, e);
    }
  }
}
