package dev.simplecall.samples.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code WxH@FPS}, for example {@code 640x480@30}; the synthetic test pattern's size and rate. */
public record VideoSpec(int width, int height, int fps) {
  private static final Pattern FORMAT = Pattern.compile("(\\d{1,5})x(\\d{1,5})(?:@(\\d{1,3}))?");

  public VideoSpec {
    if (width < 16 || height < 16 || width > 4096 || height > 4096) {
      throw new IllegalArgumentException("video size must be 16..4096 on each side: " + width + "x" + height);
    }
    if (width % 2 != 0 || height % 2 != 0) {
      throw new IllegalArgumentException("video width and height must be even: " + width + "x" + height);
    }
    if (fps < 1 || fps > 120) throw new IllegalArgumentException("fps must be 1..120: " + fps);
  }

  /** Parses {@code WxH@FPS} ({@code @FPS} optional, default 30). */
  public static VideoSpec parse(String text) {
    Matcher m = FORMAT.matcher(text.trim());
    if (!m.matches()) throw new IllegalArgumentException("expected WxH@FPS, for example 640x480@30: \"" + text + "\"");
    int fps = m.group(3) == null ? 30 : Integer.parseInt(m.group(3));
    return new VideoSpec(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), fps);
  }

  @Override
  public String toString() {
    return width + "x" + height + "@" + fps;
  }
}
