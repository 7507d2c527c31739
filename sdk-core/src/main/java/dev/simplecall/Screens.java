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
  /**
   * One screen: its index for {@link VideoSource#screen} and its size in pixels.
   *
   * @param index the screen's index, 0 for the first
   * @param width the screen's width in pixels
   * @param height the screen's height in pixels
   */
  public record Screen(int index, int width, int height) {
    @Override
    public String toString() {
      return "screen " + index + " " + width + "x" + height;
    }
  }

  private Screens() {}

  /**
   * Why screens cannot be captured in this process (no X display, headless JVM), or {@code null}.
   *
   * @return the reason, or {@code null} when {@code DISPLAY} is set and AWT is not headless
   */
  public static String unavailableReason() {
    return ScreenCapture.unavailableReason();
  }

  /**
   * Why screen {@code n} cannot be shared here, or {@code null} when it may: no display, or a
   * separate X screen ({@code :0.1} without Xinerama), which {@code java.awt.Robot} cannot read.
   *
   * @param n the screen's index, as in {@link #list()}
   * @return the reason, or {@code null}. An index the display does not have is not checked here: it
   *     gives {@code null}, and a call sharing it ends {@code FAILED}
   */
  public static String unavailableReason(int n) {
    return ScreenCapture.screenUnavailableReason(n);
  }

  /**
   * Why the window titled {@code title} cannot be shared ({@link VideoSource#window}), or {@code null}
   * when it is on screen: no display, no {@code xwininfo}, no such window.
   *
   * @param title the window's title, exactly as {@link VideoSource#window} takes it
   * @return the reason, or {@code null} when the window is on screen now
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
   * @return each screen with its index and size
   * @throws IllegalStateException with {@link #unavailableReason()} or the X error as its message
   */
  public static List<Screen> list() {
    return ScreenCapture.list().stream().map(b -> new Screen(b[0], b[1], b[2])).toList();
  }
}
