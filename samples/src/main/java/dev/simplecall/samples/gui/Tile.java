package dev.simplecall.samples.gui;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import javax.swing.JComponent;

/**
 * One member's place in the group window's grid: its video (aspect kept), its name and state at the
 * bottom, and a green frame while it is the active speaker.
 */
final class Tile extends JComponent {
  final FrameSlot video = new FrameSlot(this::repaint);
  final String name;
  private volatile String state = "";
  private volatile boolean speaking;

  Tile(String name) {
    this.name = name;
    setPreferredSize(new Dimension(320, 240));
    setDoubleBuffered(true);
    setOpaque(true);
  }

  void setState(String text) {
    state = text == null ? "" : text;
    repaint();
  }

  void setSpeaking(boolean on) {
    if (speaking == on) return;
    speaking = on;
    repaint();
  }

  boolean speaking() {
    return speaking;
  }

  @Override
  protected void paintComponent(Graphics g0) {
    Graphics2D g = (Graphics2D) g0.create();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.BLACK);
      g.fillRect(0, 0, getWidth(), getHeight());
      video.paintWith(img -> {
        if (img == null) return;
        double scale = Math.min(getWidth() / (double) img.getWidth(), getHeight() / (double) img.getHeight());
        int w = (int) Math.round(img.getWidth() * scale);
        int h = (int) Math.round(img.getHeight() * scale);
        g.drawImage(img, (getWidth() - w) / 2, (getHeight() - h) / 2, w, h, null);
      });
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
      FontMetrics fm = g.getFontMetrics();
      String label = state.isEmpty() ? name : name + " - " + state;
      g.setColor(new Color(0, 0, 0, 150));
      g.fillRect(0, getHeight() - fm.getHeight() - 8, fm.stringWidth(label) + 16, fm.getHeight() + 8);
      g.setColor(Color.WHITE);
      g.drawString(label, 8, getHeight() - 4 - fm.getDescent());
      if (speaking) {
        g.setColor(new Color(46, 155, 79));
        g.setStroke(new BasicStroke(6));
        g.drawRect(3, 3, getWidth() - 6, getHeight() - 6);
      }
    } finally {
      g.dispose();
    }
  }
}
