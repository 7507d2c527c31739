package dev.simplecall.server.mqtt;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * Hand-made MQTT 3.1.1 packets on a plain socket, for what a Paho client refuses to send (a NUL in a
 * topic, a reserved QoS, a broken length) and {@link #attack} to learn whether the broker closed the
 * connection over them.
 *
 * <pre>{@code
 * byte[] p = RawPackets.publish(RawPackets.utf8("simplecall/v1/r1/to/a\u0000b/from/x"), 1, 1, RawPackets.utf8("{}"), false);
 * assertEquals("closed", RawPackets.attack(port, RawPackets.connect("raw-1", null), p));
 * }</pre>
 */
final class RawPackets {
  static final byte[] PINGREQ = {(byte) 0xC0, 0};

  private RawPackets() {}

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A packet: fixed header byte, remaining length, then {@code parts}. */
  static byte[] packet(int header, byte[]... parts) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (byte[] p : parts) body.writeBytes(p);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(header);
    int len = body.size();
    do {
      int digit = len % 128;
      len /= 128;
      out.write(len > 0 ? digit | 128 : digit);
    } while (len > 0);
    out.writeBytes(body.toByteArray());
    return out.toByteArray();
  }

  /** An MQTT string: two length bytes, then {@code bytes} as they are (not checked to be UTF-8). */
  static byte[] string(byte[] bytes) {
    byte[] out = new byte[bytes.length + 2];
    out[0] = (byte) (bytes.length >> 8);
    out[1] = (byte) bytes.length;
    System.arraycopy(bytes, 0, out, 2, bytes.length);
    return out;
  }

  /** CONNECT, MQTT 3.1.1, clean session, keep-alive 60 s, with a user name and password. */
  static byte[] connect(String clientId, String user, String password) {
    return packet(0x10, string(utf8("MQTT")), new byte[] {4, (byte) 0xC2, 0, 60}, string(utf8(clientId)),
        string(utf8(user)), string(utf8(password)));
  }

  /** CONNECT, MQTT 3.1.1, clean session, keep-alive 60 s; with a retained QoS 1 Will of {@code {}} on {@code willTopic} when it is non-null. */
  static byte[] connect(String clientId, byte[] willTopic) {
    if (willTopic == null) return packet(0x10, string(utf8("MQTT")), new byte[] {4, 0x02, 0, 60}, string(utf8(clientId)));
    return packet(0x10, string(utf8("MQTT")), new byte[] {4, 0x02 | 0x04 | 0x08 | 0x20, 0, 60}, string(utf8(clientId)),
        string(willTopic), string(utf8("{}")));
  }

  /** PUBLISH; {@code packetId} is written only for QoS above 0. */
  static byte[] publish(byte[] topic, int qos, int packetId, byte[] payload, boolean retain) {
    int header = 0x30 | (qos << 1) | (retain ? 1 : 0);
    if (qos == 0) return packet(header, string(topic), payload);
    return packet(header, string(topic), new byte[] {(byte) (packetId >> 8), (byte) packetId}, payload);
  }

  /**
   * Opens a connection to the broker on {@code port}, sends {@code connect} (when non-null) and waits
   * for its CONNACK, then sends {@code bytes} and a PINGREQ. Returns {@code "open"} when the broker
   * answers the ping (reading past any PUBACK or PUBREC), {@code "closed"} when it closes the connection
   * instead, {@code "refused N"} when the CONNACK refuses.
   */
  static String attack(int port, byte[] connect, byte[] bytes) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      try {
        if (connect != null) {
          out.write(connect);
          out.flush();
          int[] connack = readPacket(in);
          if (connack == null) return "closed";
          if (connack[0] != 0x20) throw new IOException("expected CONNACK, got " + Integer.toHexString(connack[0]));
          if (connack[1] != 0) return "refused " + connack[1];
        }
        out.write(bytes);
        out.write(PINGREQ);
        out.flush();
        while (true) {
          int[] p = readPacket(in);
          if (p == null) return "closed";
          if (p[0] == 0xD0) return "open";
        }
      } catch (SocketTimeoutException e) {
        throw new IOException("the broker neither answered nor closed within 10 s", e);
      } catch (IOException e) {
        if (e.getMessage() != null && (e.getMessage().contains("reset") || e.getMessage().contains("Broken pipe"))) return "closed";
        throw e;
      }
    }
  }

  /** {fixed header byte, last byte of the body (a CONNACK's return code)}, or {@code null} at end of stream. */
  private static int[] readPacket(InputStream in) throws IOException {
    int header = in.read();
    if (header < 0) return null;
    int len = 0;
    for (int shift = 0; ; shift += 7) {
      int d = in.read();
      if (d < 0) return null;
      len |= (d & 127) << shift;
      if ((d & 128) == 0) break;
    }
    byte[] body = in.readNBytes(len);
    if (body.length < len) return null;
    return new int[] {header, len == 0 ? 0 : body[len - 1] & 0xFF};
  }
}
