package dev.simplecall.samples.gui;

import java.awt.AlphaComposite;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import javax.swing.JComponent;

/**
 * Remote video filling the panel (aspect kept), the local preview in the bottom-right corner, a
 * stats overlay at the top-left and a centred message when there is no remote video. Swing's
 * double buffering plus {@link FrameSlot}'s swap keep repaints tear-free; repaints coalesce, so the
 * panel redraws at the received frame rate without queueing.
 */
final class VideoView extends JComponent {
  final FrameSlot remote = new FrameSlot(this::repaint);
  final FrameSlot local = new FrameSlot(this::repaint);
  private volatile String overlay = "";
  private volatile String message = "";

  VideoView() {
    setPreferredSize(new Dimension(640, 480));
    setDoubleBuffered(true);
    setOpaque(true);
  }

  void setOverlay(String text) {
    overlay = text == null ? "" : text;
    repaint();
  }

  void setMessage(String text) {
    message = text == null ? "" : text;
    repaint();
  }

  /** The remote video area in screen coordinates (the whole panel). */
  Rectangle remoteAreaOnScreen() {
    java.awt.Point p = getLocationOnScreen();
    return new Rectangle(p.x, p.y, getWidth(), getHeight());
  }

  @Override
  protected void paintComponent(Graphics g0) {
    Graphics2D g = (Graphics2D) g0.create();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.BLACK);
      g.fillRect(0, 0, getWidth(), getHeight());
      boolean[] hasRemote = {false};
      remote.paintWith(img -> {
        if (img == null) return;
        hasRemote[0] = true;
        Rectangle r = fit(img, getWidth(), getHeight());
        g.drawImage(img, r.x, r.y, r.width, r.height, null);
      });
      local.paintWith(img -> {
        if (img == null) return;
        int w = Math.max(80, getWidth() / 4);
        int h = w * img.getHeight() / Math.max(1, img.getWidth());
        int x = getWidth() - w - 10;
        int y = getHeight() - h - 10;
        g.drawImage(img, x, y, w, h, null);
        g.setColor(Color.WHITE);
        g.drawRect(x - 1, y - 1, w + 1, h + 1);
      });
      drawOverlay(g);
      String m = message;
      if (!hasRemote[0] && !m.isEmpty()) drawCentred(g, m);
    } finally {
      g.dispose();
    }
  }

  private void drawOverlay(Graphics2D g) {
    String text = overlay;
    if (text.isEmpty()) return;
    g.setFont(new Font(Font.MONOSPACED, Font.PLAIN, 12));
    FontMetrics fm = g.getFontMetrics();
    String[] lines = text.split("\n");
    int w = 0;
    for (String l : lines) w = Math.max(w, fm.stringWidth(l));
    g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.6f));
    g.setColor(Color.BLACK);
    g.fillRect(6, 6, w + 12, lines.length * fm.getHeight() + 8);
    g.setComposite(AlphaComposite.SrcOver);
    g.setColor(Color.GREEN);
    for (int i = 0; i < lines.length; i++) g.drawString(lines[i], 12, 10 + fm.getAscent() + i * fm.getHeight());
  }

  private void drawCentred(Graphics2D g, String text) {
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
    FontMetrics fm = g.getFontMetrics();
    g.setColor(Color.LIGHT_GRAY);
    g.drawString(text, (getWidth() - fm.stringWidth(text)) / 2, getHeight() / 2);
  }

  private static Rectangle fit(BufferedImage img, int w, int h) {
    double scale = Math.min(w / (double) img.getWidth(), h / (double) img.getHeight());
    int iw = (int) Math.round(img.getWidth() * scale);
    int ih = (int) Math.round(img.getHeight() * scale);
    return new Rectangle((w - iw) / 2, (h - ih) / 2, iw, ih);
  }
}
