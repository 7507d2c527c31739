package dev.simplecall.samples.gui;

import dev.simplecall.VideoSource;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.swing.filechooser.FileNameExtensionFilter;

/**
 * The video files the window accepts: what {@link VideoSource#file} reads (YUV4MPEG2, 4:2:0). The SDK
 * checks the header when the source is made; the window also reads past the first frame, so a file
 * with no whole frame is refused with a message instead of sending nothing.
 */
final class VideoFiles {
  /** The file chooser's filter. */
  static final FileNameExtensionFilter FILTER = new FileNameExtensionFilter("Y4M video, 4:2:0 (*.y4m)", "y4m");
  private static final int MAX_LINE = 1024;

  private VideoFiles() {}

  /**
   * A looping source for {@code file} (made absolute).
   *
   * @throws IllegalArgumentException the file is missing, unreadable, not 4:2:0 Y4M or holds no
   *     whole frame; the message says which and names the file
   */
  static VideoSource open(Path file) {
    Path path = file.toAbsolutePath().normalize();
    VideoSource v = VideoSource.file(path, true);
    int w = v.width();
    int h = v.height();
    long frameBytes = (long) w * h + 2L * ((w + 1) / 2) * ((h + 1) / 2);
    try (InputStream in = new BufferedInputStream(Files.newInputStream(path))) {
      line(in); // the header, read by the SDK above
      String frame = line(in);
      if (frame == null || !frame.startsWith("FRAME")) throw new IllegalArgumentException("no video frame in " + path);
      in.skipNBytes(frameBytes);
    } catch (java.io.EOFException e) {
      throw new IllegalArgumentException("the first video frame is cut short in " + path);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + path + ": " + e.getMessage(), e);
    }
    return v;
  }

  /** One ASCII line without its '\n'; null at the end of the file or for a line longer than Y4M allows. */
  private static String line(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0 || sb.length() >= MAX_LINE) return null;
      sb.append((char) c);
    }
    return sb.toString();
  }
}
