package dev.simplecall.samples.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Progress lines and the live status line on stdout. On a terminal the status line is redrawn in
 * place with {@code \r}; otherwise (pipes, files, tests) status comes as plain lines at most every
 * {@link #PLAIN_EVERY_MS}. Progress lines first clear the live line so the two never mix.
 * Thread-safe: every method is synchronized (callbacks of several peers print here).
 */
public final class Console {
  static final long PLAIN_EVERY_MS = 2000;

  private final PrintWriter out;
  private final boolean live;
  private final boolean prefix;
  private final Map<String, String> status = new LinkedHashMap<>();
  private final Map<String, Long> lastPlain = new LinkedHashMap<>();
  private int drawnLength;
  private final int width = terminalWidth();

  /**
   * @param live redraw the status line in place (true when {@code System.console() != null})
   * @param prefix put {@code [peer]} before each line (the demo runs two peers in one output)
   */
  public Console(PrintWriter out, boolean live, boolean prefix) {
    this.out = out;
    this.live = live;
    this.prefix = prefix;
  }

  private static int terminalWidth() {
    try {
      int w = Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "80").trim());
      return w >= 20 ? w : 80;
    } catch (NumberFormatException e) {
      return 80;
    }
  }

  public boolean isLive() {
    return live;
  }

  public static boolean isTerminal() {
    return System.console() != null;
  }

  public synchronized void progress(String who, String text) {
    clearLive();
    out.println(tag(who) + text);
    out.flush();
    drawLive();
  }

  /** Updates {@code who}'s part of the status line. */
  public synchronized void status(String who, String text) {
    if (live) {
      status.put(who, text);
      clearLive();
      drawLive();
      return;
    }
    long now = System.currentTimeMillis();
    Long last = lastPlain.get(who);
    if (last == null || now - last >= PLAIN_EVERY_MS) {
      lastPlain.put(who, now);
      out.println(tag(who) + text);
      out.flush();
    }
  }

  /** Removes {@code who}'s live status (its call ended). */
  public synchronized void endStatus(String who) {
    status.remove(who);
    lastPlain.remove(who);
    if (live) {
      clearLive();
      drawLive();
    }
  }

  /** Prints a line (e.g. RESULT) after clearing the live status line for good. */
  public synchronized void line(String text) {
    status.clear();
    clearLive();
    out.println(text);
    out.flush();
  }

  private String tag(String who) {
    return prefix && who != null ? "[" + who + "] " : "";
  }

  private void clearLive() {
    if (!live || drawnLength == 0) return;
    out.print("\r" + " ".repeat(drawnLength) + "\r");
    drawnLength = 0;
    out.flush();
  }

  private void drawLive() {
    if (!live || status.isEmpty()) return;
    StringJoiner j = new StringJoiner(" | ");
    status.forEach((who, text) -> j.add(tag(who) + text));
    String s = j.toString();
    // a line wider than the terminal wraps, and \r then only returns to its last row
    if (s.length() > width - 1) s = s.substring(0, Math.max(0, width - 2)) + "~";
    out.print(s);
    out.flush();
    drawnLength = s.length();
  }
}
