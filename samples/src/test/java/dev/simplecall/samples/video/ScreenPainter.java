package dev.simplecall.samples.video;

import java.awt.Color;
import java.awt.Dimension;
import java.awt.Graphics;
import java.awt.Toolkit;
import javax.swing.JFrame;
import javax.swing.JPanel;
import javax.swing.SwingUtilities;
import javax.swing.Timer;

/**
 * Run in a child JVM on an Xvfb display: fills the screen with a known picture that changes every
 * {@code args[0]} ms. Step k paints the left half {@code PALETTE[k % 6]} and the right half
 * {@code PALETTE[(k + 3) % 6]}, so a frame that shows it can be checked at two places and the
 * steps must follow in order. Prints "painting WxH" once the window is on screen. With
 * {@code args[1..5] = X Y W H TITLE} it paints a window of that place, size and title instead of the
 * whole screen.
 */
public final class ScreenPainter {
  public static final int[] PALETTE = {0xd02020, 0x20c020, 0x2040e0, 0xe0e020, 0xe020e0, 0x20e0e0};

  private ScreenPainter() {}

  public static void main(String[] args) throws Exception {
    int periodMs = Integer.parseInt(args[0]);
    SwingUtilities.invokeAndWait(() -> {
      Dimension size = Toolkit.getDefaultToolkit().getScreenSize();
      int[] step = {0};
      JPanel panel = new JPanel() {
        @Override
        protected void paintComponent(Graphics g) {
          int w = getWidth();
          g.setColor(new Color(PALETTE[step[0] % PALETTE.length]));
          g.fillRect(0, 0, w / 2, getHeight());
          g.setColor(new Color(PALETTE[(step[0] + 3) % PALETTE.length]));
          g.fillRect(w / 2, 0, w - w / 2, getHeight());
        }
      };
      boolean window = args.length >= 6;
      JFrame frame = new JFrame(window ? args[5] : "painter");
      frame.setUndecorated(true);
      frame.setContentPane(panel);
      if (window) {
        frame.setBounds(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
            Integer.parseInt(args[4]));
      } else {
        frame.setBounds(0, 0, size.width, size.height);
      }
      frame.setVisible(true);
      new Timer(periodMs, e -> {
        step[0]++;
        panel.paintImmediately(0, 0, panel.getWidth(), panel.getHeight());
        // after the back buffer reached the window: flush it to the X server now, or a step can
        // stay queued until the next one and never be on screen on its own
        Toolkit.getDefaultToolkit().sync();
      }).start();
      System.out.println("painting " + frame.getWidth() + "x" + frame.getHeight());
      System.out.flush();
    });
  }

  /** The palette index nearest to {@code rgb}, or -1 when none is within {@code tolerance} on every channel. */
  public static int nearest(int rgb, int tolerance) {
    int best = -1;
    int bestDist = Integer.MAX_VALUE;
    for (int i = 0; i < PALETTE.length; i++) {
      int p = PALETTE[i];
      int d = Math.max(Math.abs(((p >> 16) & 0xff) - ((rgb >> 16) & 0xff)),
          Math.max(Math.abs(((p >> 8) & 0xff) - ((rgb >> 8) & 0xff)), Math.abs((p & 0xff) - (rgb & 0xff))));
      if (d <= tolerance && d < bestDist) {
        best = i;
        bestDist = d;
      }
    }
    return best;
  }
}
