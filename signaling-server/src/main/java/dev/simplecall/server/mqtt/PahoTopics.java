package dev.simplecall.server.mqtt;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttClientPersistence;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.internal.NetworkModule;

/**
 * Topics that a Paho 1.2.5 client can read, and a client for the bridge that never reads another.
 *
 * <p>Paho checks the topic of every PUBLISH it reads with rules of its own, stricter than MQTT's: no
 * control character, no character from U+FDD0 up, and (its surrogate-pair check is wrong) no
 * character outside the Basic Multilingual Plane, so no emoji. The {@code IllegalArgumentException}
 * ends its receiving thread: the client reads nothing more until its keep-alive gives up on the
 * connection, and a retained message on such a topic ends it again after every reconnect. mosquitto
 * forwards such topics (an emoji is valid UTF-8), and the bridge reads every room's topics, so any
 * client allowed to publish {@code simplecall/v1/+/to/+/from/ME} could deafen it.
 * {@link #client} hands Paho such a PUBLISH under the topic {@link #UNREADABLE} instead, which
 * the bridge ignores; Paho acknowledges it as any other.
 */
final class PahoTopics {
  /** What a PUBLISH on a topic Paho cannot read arrives as: no simplecall topic, so ignored. */
  static final String UNREADABLE = "simplecall/unreadable-topic";
  private static final byte[] UNREADABLE_BYTES = UNREADABLE.getBytes(StandardCharsets.UTF_8);

  private PahoTopics() {}

  /**
   * Whether {@code topic} is non-empty and every character is one Paho reads: U+0020-U+007E,
   * U+00A0-U+D7FF or U+E000-U+FDCF. This also keeps out everything MQTT forbids or advises against
   * (U+0000, control characters, non-characters) and everything mosquitto refuses.
   */
  static boolean readable(String topic) {
    if (topic == null || topic.isEmpty()) return false;
    for (int i = 0; i < topic.length(); i++) {
      char c = topic.charAt(i);
      if (c < 0x20 || (c >= 0x7F && c <= 0x9F) || (c >= 0xD800 && c <= 0xDFFF) || c >= 0xFDD0) return false;
    }
    return true;
  }

  /** An {@link MqttAsyncClient} whose connections pass what they read through a {@link Screen}. */
  static MqttAsyncClient client(String serverUri, String clientId, MqttClientPersistence persistence) throws MqttException {
    return new MqttAsyncClient(serverUri, clientId, persistence) {
      @Override
      protected NetworkModule[] createNetworkModules(String address, MqttConnectOptions options) throws MqttException {
        NetworkModule[] modules = super.createNetworkModules(address, options);
        for (int i = 0; i < modules.length; i++) modules[i] = screened(modules[i]);
        return modules;
      }
    };
  }

  private static NetworkModule screened(NetworkModule m) {
    return new NetworkModule() {
      @Override
      public void start() throws IOException, MqttException {
        m.start();
      }

      @Override
      public InputStream getInputStream() throws IOException {
        return new Screen(m.getInputStream());
      }

      @Override
      public OutputStream getOutputStream() throws IOException {
        return m.getOutputStream();
      }

      @Override
      public void stop() throws IOException {
        m.stop();
      }

      @Override
      public String getServerURI() {
        return m.getServerURI();
      }
    };
  }

  /**
   * The bytes a broker sends, whole packets at a time, each PUBLISH whose topic is not {@link
   * #readable} rewritten to {@link #UNREADABLE} (same flags, packet id and payload); every other
   * packet as it came. A read that times out (Paho sets a 1 s socket timeout and reads again) keeps
   * what arrived of a packet for the next one.
   */
  static final class Screen extends InputStream {
    private final InputStream in;
    private byte[] pending = new byte[8192]; // bytes read, not yet a whole packet
    private int pendingLen;
    private byte[] out = new byte[0]; // whole packets, screened, for the reader
    private int outPos;

    Screen(InputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      if (!fill()) return -1;
      return out[outPos++] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) return 0;
      if (!fill()) return -1;
      int n = Math.min(len, out.length - outPos);
      System.arraycopy(out, outPos, b, off, n);
      outPos += n;
      return n;
    }

    @Override
    public int available() {
      return out.length - outPos;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }

    /** Makes sure there are bytes for the reader; false at end of stream. */
    private boolean fill() throws IOException {
      while (outPos == out.length) {
        int whole = wholePackets();
        if (whole > 0) {
          out = screen(pending, whole);
          outPos = 0;
          System.arraycopy(pending, whole, pending, 0, pendingLen - whole);
          pendingLen -= whole;
          return true;
        }
        if (pendingLen == pending.length) pending = Arrays.copyOf(pending, pending.length * 2);
        int n = in.read(pending, pendingLen, pending.length - pendingLen); // a timeout propagates; pending stays
        if (n < 0) return false;
        pendingLen += n;
      }
      return true;
    }

    /** How many bytes at the start of {@code pending} are whole packets. */
    private int wholePackets() throws IOException {
      int at = 0;
      while (true) {
        int end = packetEnd(at);
        if (end < 0) return at;
        at = end;
      }
    }

    /** Where the packet starting at {@code at} ends, or -1 when it has not all arrived. */
    private int packetEnd(int at) throws IOException {
      int len = 0;
      int i = at + 1;
      for (int shift = 0; ; shift += 7) {
        if (i >= pendingLen) return -1;
        if (shift > 21) throw new IOException("MQTT remaining length over 4 bytes");
        int d = pending[i++] & 0xFF;
        len |= (d & 0x7F) << shift;
        if ((d & 0x80) == 0) break;
      }
      if (pendingLen - i < len) {
        if (i + len > pending.length) pending = Arrays.copyOf(pending, i + len);
        return -1;
      }
      return i + len;
    }

    /** The first {@code n} bytes of {@code buf}, whole packets, with unreadable PUBLISH topics rewritten. */
    private static byte[] screen(byte[] buf, int n) {
      java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream(n);
      int at = 0;
      while (at < n) {
        int header = buf[at] & 0xFF;
        int len = 0;
        int i = at + 1;
        for (int shift = 0; ; shift += 7) {
          int d = buf[i++] & 0xFF;
          len |= (d & 0x7F) << shift;
          if ((d & 0x80) == 0) break;
        }
        int end = i + len;
        if ((header >> 4) == 3 && len >= 2) {
          int topicLen = ((buf[i] & 0xFF) << 8) | (buf[i + 1] & 0xFF);
          if (2 + topicLen <= len
              && !readable(new String(buf, i + 2, topicLen, StandardCharsets.UTF_8))) {
            int rest = end - (i + 2 + topicLen); // packet id (QoS 1, 2) and payload
            o.write(header);
            writeLength(o, 2 + UNREADABLE_BYTES.length + rest);
            o.write(UNREADABLE_BYTES.length >> 8);
            o.write(UNREADABLE_BYTES.length);
            o.writeBytes(UNREADABLE_BYTES);
            o.write(buf, i + 2 + topicLen, rest);
            at = end;
            continue;
          }
        }
        o.write(buf, at, end - at);
        at = end;
      }
      return o.toByteArray();
    }

    private static void writeLength(java.io.ByteArrayOutputStream o, int len) {
      do {
        int d = len % 128;
        len /= 128;
        o.write(len > 0 ? d | 0x80 : d);
      } while (len > 0);
    }
  }
}
