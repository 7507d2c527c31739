package dev.simplecall.server;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Random;
import java.util.zip.Deflater;

/**
 * A WebSocket client over a plain socket that writes any frame RFC 6455 allows and many it forbids
 * (unmasked, reserved opcodes and bits, bad continuations, invalid UTF-8, compressed bombs), for the
 * hostile-input corpus. It answers pings, so it stays connected as long as the server lets it; one
 * made with {@link #unresponsive} never answers them, standing for a peer whose process froze or whose
 * network vanished without a FIN.
 */
final class HostileFrames implements AutoCloseable {
  static final int TEXT = 0x1;
  static final int BINARY = 0x2;
  static final int CLOSE = 0x8;
  static final int PING = 0x9;
  static final int PONG = 0xA;
  static final int FIN = 0x80;
  static final int RSV1 = 0x40;

  /** One frame the server sent. */
  record Frame(int opcode, byte[] payload) {
    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    int closeCode() {
      return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private final Random random = new Random(1);
  private final boolean answerPings;
  /** The server's {@code Sec-WebSocket-Extensions} answer, lower case, or {@code null}. */
  final String extensions;

  /** Upgrades {@code /v1/ws}, offering {@code extensions} when non-null. */
  HostileFrames(int port, String offerExtensions) throws IOException {
    this(port, offerExtensions, true);
  }

  /** Upgrades {@code /v1/ws}; the server's pings are read and never answered. */
  static HostileFrames unresponsive(int port) throws IOException {
    return new HostileFrames(port, null, false);
  }

  private HostileFrames(int port, String offerExtensions, boolean answerPings) throws IOException {
    this.answerPings = answerPings;
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(10_000);
    socket.setTcpNoDelay(true);
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
    String request = "GET /v1/ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
        + Base64.getEncoder().encodeToString(new byte[16]) + "\r\n"
        + (offerExtensions != null ? "Sec-WebSocket-Extensions: " + offerExtensions + "\r\n" : "") + "\r\n";
    out.write(request.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    String head = readHead();
    if (!head.startsWith("HTTP/1.1 101")) throw new IOException("upgrade refused: " + head);
    String ext = null;
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("sec-websocket-extensions:")) ext = line.substring(25).trim().toLowerCase(Locale.ROOT);
    }
    extensions = ext;
  }

  private String readHead() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) throw new IOException("closed during handshake");
      head.write(b);
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.US_ASCII);
  }

  /** Writes one frame: {@code b0} is FIN, RSV and opcode; the payload is masked unless {@code masked} is false. */
  void frame(int b0, byte[] payload, boolean masked) throws IOException {
    ByteArrayOutputStream f = new ByteArrayOutputStream(payload.length + 14);
    f.write(b0);
    int maskBit = masked ? 0x80 : 0;
    if (payload.length < 126) {
      f.write(maskBit | payload.length);
    } else if (payload.length <= 0xffff) {
      f.write(maskBit | 126);
      f.write(payload.length >>> 8);
      f.write(payload.length & 0xff);
    } else {
      f.write(maskBit | 127);
      for (int shift = 56; shift >= 0; shift -= 8) f.write((int) ((long) payload.length >>> shift) & 0xff);
    }
    byte[] mask = new byte[4];
    if (masked) {
      random.nextBytes(mask);
      f.write(mask);
    }
    for (int i = 0; i < payload.length; i++) f.write(payload[i] ^ mask[i & 3]);
    out.write(f.toByteArray());
    out.flush();
  }

  void sendText(String text) throws IOException {
    frame(FIN | TEXT, text.getBytes(StandardCharsets.UTF_8), true);
  }

  /** Sends {@code text} as a fragmented message of about {@code pieces} frames, with a ping between each. */
  void sendFragmented(String text, int pieces) throws IOException {
    byte[] all = text.getBytes(StandardCharsets.UTF_8);
    int step = Math.max(1, all.length / Math.max(1, pieces));
    int at = 0;
    int opcode = TEXT;
    do {
      int end = Math.min(all.length, at + step);
      boolean last = end == all.length;
      frame((last ? FIN : 0) | opcode, Arrays.copyOfRange(all, at, end), true);
      if (!last) frame(FIN | PING, new byte[] {1}, true); // control frames may come between fragments
      at = end;
      opcode = 0; // continuation
    } while (at < all.length);
  }

  /** {@code bytes} deflated as permessage-deflate wants it: raw deflate, sync-flushed, the empty block's tail cut. */
  static byte[] deflate(byte[] bytes) {
    Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
    d.setInput(bytes);
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    byte[] buf = new byte[64 * 1024];
    int n;
    while ((n = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH)) > 0) b.write(buf, 0, n);
    d.end();
    byte[] out = b.toByteArray();
    return Arrays.copyOf(out, out.length - 4); // 00 00 ff ff
  }

  /** The next data or close frame; pings are answered on the way (unless {@link #unresponsive}). */
  Frame read() throws IOException {
    while (true) {
      int b0 = in.readUnsignedByte();
      int b1 = in.readUnsignedByte();
      long len = b1 & 0x7f;
      if (len == 126) len = in.readUnsignedShort();
      else if (len == 127) len = in.readLong();
      byte[] payload = new byte[(int) len];
      in.readFully(payload);
      int opcode = b0 & 0x0f;
      if (opcode == PING) {
        if (answerPings) frame(FIN | PONG, payload, true);
      } else if (opcode != PONG) {
        return new Frame(opcode, payload);
      }
    }
  }

  /** The next text frame's text; a close frame or the end of the stream is an IOException naming it. */
  String readText() throws IOException {
    Frame f = read();
    if (f.opcode() == CLOSE) throw new IOException("closed by server: " + f.closeCode() + " " + f.text().substring(Math.min(2, f.payload().length)));
    if (f.opcode() != TEXT) throw new IOException("frame with opcode " + f.opcode());
    return f.text();
  }

  /** Reads until the server's close frame and returns its code; -1 when the stream ends without one. */
  int awaitClose() throws IOException {
    try {
      while (true) {
        Frame f = read();
        if (f.opcode() == CLOSE) return f.closeCode();
      }
    } catch (EOFException | SocketException e) {
      return -1;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
