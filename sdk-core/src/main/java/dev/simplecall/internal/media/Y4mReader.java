package dev.simplecall.internal.media;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads YUV4MPEG2 ({@code .y4m}) files with 4:2:0 chroma: a text header line
 * ({@code YUV4MPEG2 W640 H480 F30:1 Ip A1:1 C420jpeg}), then per frame a {@code FRAME} line and the
 * Y, U and V planes. Interlacing and aspect tags are accepted and ignored; other chroma layouts
 * are refused. Not thread-safe: one reader belongs to one producer thread.
 */
public final class Y4mReader implements AutoCloseable {
  private static final String MAGIC = "YUV4MPEG2";
  private static final int MAX_LINE = 1024;

  /** The header: size, frame rate {@code fpsNum / fpsDen}, and the header line's length in bytes. */
  public record Header(int width, int height, int fpsNum, int fpsDen, int headerBytes) {
    public double fps() {
      return fpsNum / (double) fpsDen;
    }

    public long periodNanos() {
      return 1_000_000_000L * fpsDen / fpsNum;
    }

    public int frameBytes() {
      int cw = (width + 1) / 2;
      int ch = (height + 1) / 2;
      return width * height + 2 * cw * ch;
    }
  }

  private final Path path;
  private final Header header;
  private InputStream in;

  private Y4mReader(Path path, Header header) throws IOException {
    this.path = path;
    this.header = header;
    rewind();
  }

  /**
   * Reads and checks the header.
   *
   * @throws IllegalArgumentException the file is missing, unreadable or not 4:2:0 Y4M
   */
  public static Header header(Path file) {
    if (!Files.isRegularFile(file)) throw new IllegalArgumentException("no such Y4M file: " + file);
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
      return parseHeader(in, file);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read Y4M file " + file + ": " + e.getMessage(), e);
    }
  }

  public static Y4mReader open(Path file) {
    try {
      return new Y4mReader(file, header(file));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read Y4M file " + file + ": " + e.getMessage(), e);
    }
  }

  public Header header() {
    return header;
  }

  /** Back to the first frame. */
  public void rewind() throws IOException {
    close();
    in = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
    in.skipNBytes(header.headerBytes());
  }

  /**
   * Reads the next frame's planes (Y, then U, then V, tightly packed) into {@code into}, which must
   * hold {@link Header#frameBytes()}; false at the end of the file.
   */
  public boolean next(byte[] into) throws IOException {
    String line = readLine(in, path);
    if (line == null) return false;
    if (!line.startsWith("FRAME")) throw new IOException("expected FRAME in " + path + ", found \"" + cut(line) + "\"");
    int n = in.readNBytes(into, 0, header.frameBytes());
    if (n < header.frameBytes()) return false; // a truncated last frame is not shown
    return true;
  }

  @Override
  public void close() throws IOException {
    if (in != null) in.close();
    in = null;
  }

  private static Header parseHeader(InputStream in, Path file) throws IOException {
    String line = readLine(in, file);
    if (line == null || !line.startsWith(MAGIC + " ")) {
      throw new IllegalArgumentException("not a Y4M file (no YUV4MPEG2 header): " + file);
    }
    int w = 0, h = 0, num = 0, den = 0;
    for (String tag : line.substring(MAGIC.length() + 1).trim().split(" +")) {
      if (tag.isEmpty()) continue;
      String v = tag.substring(1);
      try {
        switch (tag.charAt(0)) {
          case 'W' -> w = Integer.parseInt(v);
          case 'H' -> h = Integer.parseInt(v);
          case 'F' -> {
            String[] f = v.split(":");
            num = Integer.parseInt(f[0]);
            den = Integer.parseInt(f[1]);
          }
          case 'C' -> {
            if (!v.startsWith("420")) {
              throw new IllegalArgumentException("Y4M chroma " + v + " is not supported, only 4:2:0: " + file);
            }
          }
          default -> { } // I (interlacing), A (aspect), X (comments): not needed to send
        }
      } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
        throw new IllegalArgumentException("bad Y4M header tag \"" + tag + "\" in " + file);
      }
    }
    if (w < 2 || h < 2 || w > 7680 || h > 7680) throw new IllegalArgumentException("bad Y4M size " + w + "x" + h + ": " + file);
    if (num <= 0 || den <= 0 || num / (double) den > 120 || num / (double) den < 0.1) {
      throw new IllegalArgumentException("bad or missing Y4M frame rate F" + num + ":" + den + " in " + file);
    }
    return new Header(w, h, num, den, line.length() + 1);
  }

  /** One line up to '\n' (ASCII), or null at the end of the stream. */
  private static String readLine(InputStream in, Path file) throws IOException {
    StringBuilder sb = new StringBuilder();
    while (true) {
      int c = in.read();
      if (c < 0) {
        if (sb.length() == 0) return null;
        throw new EOFException("Y4M line without end in " + file);
      }
      if (c == '\n') return sb.toString();
      if (sb.length() >= MAX_LINE) throw new IOException("Y4M line longer than " + MAX_LINE + " bytes in " + file);
      sb.append((char) c);
    }
  }

  private static String cut(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }
}
