package dev.simplecall.server.mqtt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.SocketTimeoutException;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The bytes the bridge's Paho client reads: unreadable PUBLISH topics rewritten, everything else as it came. */
@Tag("fast")
class PahoTopicsTest {
  private static final List<String> UNREADABLE = List.of("", "a\u0000b", "a\u0001b", "a\nb", "a\u007fb", "a\u0085b",
      "a\ufdd0b", "a\uff21b", "a\ufffdb", "a\ufeffb", "a\uffffb", "a\ud83d\ude00b", "a\ud800b", "a\udc00b");
  private static final List<String> READABLE = List.of("simplecall/v1/r1/to/bob/from/alice", "caf\u00e9", "a\u20acb",
      "a\u202eb", "a b", "a\u00a0b", "a\ue000b", "a\ufdcfb", "x".repeat(60_000));

  @Test
  void readableIsWhatPahosOwnCheckAccepts() throws Exception {
    Method paho = Class.forName("org.eclipse.paho.client.mqttv3.internal.wire.MqttWireMessage")
        .getDeclaredMethod("validateUTF8String", String.class);
    paho.setAccessible(true);
    for (String t : READABLE) {
      assertTrue(PahoTopics.readable(t), t);
      paho.invoke(null, t); // Paho reads it too
    }
    for (String t : UNREADABLE) {
      assertFalse(PahoTopics.readable(t), t);
      if (t.isEmpty() || t.equals("a\ud800b")) continue; // Paho lets these two through; harmless either way
      try {
        paho.invoke(null, t);
        throw new AssertionError("Paho reads " + t + ": it need not be rewritten");
      } catch (InvocationTargetException e) {
        assertTrue(e.getCause() instanceof IllegalArgumentException, e.getCause().toString());
      }
    }
  }

  @Test
  void anUnreadablePublishIsRewrittenAndTheRestPassesUnchangedThroughTimeouts() throws Exception {
    byte[] bad = RawPackets.publish(RawPackets.utf8("simplecall/v1/r1/to/\ud83d\ude00/from/x"), 1, 7, RawPackets.utf8("{\"x\":1}"), true);
    byte[] good = RawPackets.publish(RawPackets.utf8("simplecall/v1/r1/presence/bob"), 0, 0, RawPackets.utf8("{}"), false);
    byte[] big = RawPackets.publish(RawPackets.utf8("a\u0001"), 2, 9, new byte[300], false); // two-byte remaining length
    byte[] pingresp = {(byte) 0xD0, 0};
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    for (byte[] p : List.of(bad, pingresp, good, big)) wire.writeBytes(p);

    ByteArrayOutputStream want = new ByteArrayOutputStream();
    want.writeBytes(RawPackets.publish(RawPackets.utf8(PahoTopics.UNREADABLE), 1, 7, RawPackets.utf8("{\"x\":1}"), true));
    want.writeBytes(pingresp);
    want.writeBytes(good);
    want.writeBytes(RawPackets.publish(RawPackets.utf8(PahoTopics.UNREADABLE), 2, 9, new byte[300], false));

    // the socket gives one byte at a time and times out after every third, as Paho's 1 s timeout would
    InputStream trickle = new InputStream() {
      private final byte[] bytes = wire.toByteArray();
      private int at;
      private int calls;

      @Override
      public int read() {
        throw new UnsupportedOperationException();
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (++calls % 3 == 0) throw new SocketTimeoutException("Read timed out");
        if (at == bytes.length) return -1;
        b[off] = bytes[at++];
        return 1;
      }
    };
    PahoTopics.Screen screen = new PahoTopics.Screen(trickle);
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    byte[] buf = new byte[5];
    int timeouts = 0;
    while (true) {
      int n;
      try {
        n = got.size() % 2 == 0 ? screen.read(buf, 0, buf.length) : single(screen, buf);
      } catch (SocketTimeoutException e) {
        timeouts++;
        continue;
      }
      if (n < 0) break;
      got.write(buf, 0, n);
    }
    assertArrayEquals(want.toByteArray(), got.toByteArray());
    assertTrue(timeouts > 0);
    assertEquals(0, screen.available());
  }

  private static int single(InputStream in, byte[] buf) throws IOException {
    int b = in.read();
    if (b < 0) return -1;
    buf[0] = (byte) b;
    return 1;
  }
}
