package dev.simplecall;

import dev.simplecall.internal.media.ScreenCapture;
import java.util.List;

/**
 * The X11 screens {@link VideoSource#screen} can share.
 *
 * <pre>{@code
 * String why = Screens.unavailableReason();
 * if (why != null) System.err.println(why);            // e.g. DISPLAY is not set
 * else for (Screens.Screen s : Screens.list()) System.out.println(s); // screen 0 1920x1080
 * }</pre>
 */
public final class Screens {
  /** One screen: its index for {@link VideoSource#screen} and its size in pixels. */
  public record Screen(int index, int width, int height) {
    @Override
    public String toString() {
      return "screen " + index + " " + width + "x" + height;
    }
  }

  private Screens() {}

  /** Why screens cannot be captured in this process (no X display, headless JVM), or {@code null}. */
  public static String unavailableReason() {
    return ScreenCapture.unavailableReason();
  }

  /**
   * Why screen {@code n} cannot be shared here, or {@code null} when it may: no display, or a
   * separate X screen ({@code :0.1} without Xinerama), which {@code java.awt.Robot} cannot read.
   */
  public static String unavailableReason(int n) {
    return ScreenCapture.screenUnavailableReason(n);
  }

  /**
   * Why the window titled {@code title} cannot be shared ({@link VideoSource#window}), or {@code null}
   * when it is on screen: no display, no {@code xwininfo}, no such window.
   */
  public static String windowUnavailableReason(String title) {
    try {
      dev.simplecall.internal.media.WindowLocator.find(title);
      return null;
    } catch (RuntimeException e) {
      return e.getMessage();
    }
  }

  /**
   * The screens of the X display, in index order.
   *
   * @throws IllegalStateException with {@link #unavailableReason()} or the X error as its message
   */
  public static List<Screen> list() {
    return ScreenCapture.list().stream().map(b -> new Screen(b[0], b[1], b[2])).toList();
  }
}
