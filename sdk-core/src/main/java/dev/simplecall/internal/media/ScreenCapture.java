package dev.simplecall.internal.media;

import java.awt.GraphicsDevice;
import java.awt.GraphicsEnvironment;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/**
 * Screen capture with {@code java.awt.Robot} (X11, works under Xvfb). webrtc-java 0.14.0's own
 * desktop capture aborts the JVM on X11, so it is never touched. Everything here fails with a
 * {@link VideoUnavailableException} that says why, never with an abort: AWT is pure Java up to
 * its X connection, and a missing display is checked before AWT loads its toolkit.
 *
 * <p>Threads: {@link #grab} is called on the capture thread only.
 */
public final class ScreenCapture {
  private final Robot robot;
  private final Rectangle area;

  private ScreenCapture(Robot robot, Rectangle area) {
    this.robot = robot;
    this.area = area;
  }

  /** Why screen capture cannot work in this JVM, or {@code null} when it may. */
  public static String unavailableReason() {
    String display = System.getenv("DISPLAY");
    if (display == null || display.isBlank()) {
      return "screen capture needs an X display: DISPLAY is not set (run under X11 or Xvfb)";
    }
    if (GraphicsEnvironment.isHeadless()) {
      return "screen capture needs an X display: this JVM runs headless (java.awt.headless=true)";
    }
    return null;
  }

  /** Why screen {@code n} cannot be captured although it exists, or null (see {@link #separateScreen}). */
  public static String screenUnavailableReason(int n) {
    String reason = unavailableReason();
    if (reason != null) return reason;
    try {
      GraphicsEnvironment ge = GraphicsEnvironment.getLocalGraphicsEnvironment();
      return separateScreen(ge.getScreenDevices(), ge.getDefaultScreenDevice(), n);
    } catch (Exception | Error e) {
      return "cannot list the screens of display " + System.getenv("DISPLAY") + ": " + e;
    }
  }

  /**
   * Measured with JDK 17 under Xvfb: on a display with separate X screens (":0.0", ":0.1", no
   * Xinerama) every screen's bounds start at 0,0 and {@code java.awt.Robot} reads the default screen
   * (the one DISPLAY names) whichever screen it is given. Monitors of one X screen (RandR/Xinerama,
   * the desktop case) have disjoint bounds and capture right. So another separate X screen is
   * refused instead of sending the wrong picture.
   */
  private static String separateScreen(GraphicsDevice[] screens, GraphicsDevice def, int n) {
    if (n < 0 || n >= screens.length || screens[n].equals(def)) return null;
    Rectangle bd = def.getDefaultConfiguration().getBounds();
    Rectangle bn = screens[n].getDefaultConfiguration().getBounds();
    if (!bn.intersects(bd)) return null;
    String display = System.getenv("DISPLAY");
    String base = display == null ? ":0" : display.replaceFirst("\\.\\d+$", "");
    return "screen " + n + " of display " + display + " is a separate X screen, which java.awt.Robot cannot capture "
        + "(it reads the screen DISPLAY names); run with DISPLAY=" + base + "." + n;
  }

  /** {index, width, height} of each screen; throws {@link IllegalStateException} saying why not. */
  public static java.util.List<int[]> list() {
    String reason = unavailableReason();
    if (reason != null) throw new IllegalStateException(reason);
    try {
      GraphicsDevice[] screens = GraphicsEnvironment.getLocalGraphicsEnvironment().getScreenDevices();
      java.util.List<int[]> out = new java.util.ArrayList<>();
      for (int i = 0; i < screens.length; i++) {
        Rectangle b = screens[i].getDefaultConfiguration().getBounds();
        out.add(new int[] {i, b.width, b.height});
      }
      return out;
    } catch (Exception | Error e) {
      throw new IllegalStateException("cannot list the screens of display " + System.getenv("DISPLAY") + ": " + e, e);
    }
  }

  /**
   * Opens screen {@code screen}, whole ({@code region} null) or the part of it {@code region}
   * names (screen coordinates, cut to the screen). The size is rounded down to even.
   */
  public static ScreenCapture open(int screen, Rectangle region) {
    String reason = unavailableReason();
    if (reason != null) throw new VideoUnavailableException(reason);
    try {
      GraphicsDevice[] screens = GraphicsEnvironment.getLocalGraphicsEnvironment().getScreenDevices();
      if (screen >= screens.length) {
        throw new VideoUnavailableException("no screen " + screen + " on display " + System.getenv("DISPLAY")
            + ": it has " + screens.length + " (0.." + (screens.length - 1) + ")");
      }
      String separate = separateScreen(screens, GraphicsEnvironment.getLocalGraphicsEnvironment().getDefaultScreenDevice(),
          screen);
      if (separate != null) throw new VideoUnavailableException(separate);
      Rectangle bounds = screens[screen].getDefaultConfiguration().getBounds();
      Rectangle area = bounds;
      if (region != null) {
        area = new Rectangle(bounds.x + region.x, bounds.y + region.y, region.width, region.height).intersection(bounds);
        if (area.isEmpty()) {
          throw new VideoUnavailableException("region " + region.width + "x" + region.height + "+" + region.x + "+"
              + region.y + " lies outside screen " + screen + " (" + bounds.width + "x" + bounds.height + ")");
        }
      }
      area.width &= ~1;
      area.height &= ~1;
      if (area.width < 2 || area.height < 2) throw new VideoUnavailableException("screen area too small: " + area);
      return new ScreenCapture(new Robot(screens[screen]), area);
    } catch (VideoUnavailableException e) {
      throw e;
    } catch (Exception | Error e) { // AWTException, HeadlessException, InternalError "Can't connect to X11"
      throw new VideoUnavailableException("screen capture failed to start on display " + System.getenv("DISPLAY")
          + ": " + e, e);
    }
  }

  /** The captured area in screen coordinates. */
  Rectangle area() {
    return new Rectangle(area);
  }

  public int width() {
    return area.width;
  }

  public int height() {
    return area.height;
  }

  /** One capture as packed {@code 0xAARRGGBB} pixels, {@code width() * height()} of them. */
  int[] grab() {
    BufferedImage img = robot.createScreenCapture(area);
    if (img.getType() == BufferedImage.TYPE_INT_RGB && img.getRaster().getDataBuffer() instanceof DataBufferInt d
        && img.getWidth() == area.width && d.getData().length == area.width * area.height) {
      return d.getData();
    }
    return img.getRGB(0, 0, area.width, area.height, null, 0, area.width);
  }
}
