package dev.simplecall.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

/**
 * Frame-level attacks on {@code /v1/ws}, each on a fresh connection, each with its documented answer:
 * RFC 6455 violations close with 1002, text that is not UTF-8 with 1007, a message over 1 MiB (after
 * inflating, for permessage-deflate, which the server negotiates) or a binary one over 1 KiB with 1009;
 * a small binary frame gets {@code error bad-json} and an envelope before {@code join} gets
 * {@code error not-joined}, the connection staying open.
 */
final class FrameAttacks {
  private static final byte[][] BAD_UTF8 = {
    {(byte) 0xc0, (byte) 0x80}, // overlong NUL
    {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, // a UTF-16 surrogate, encoded
    {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // beyond U+10FFFF
    {(byte) 0xff}, {(byte) 0xfe}, {(byte) 0x80}, // never valid / a lone continuation byte
    {(byte) 0xe2, (byte) 0x82}, // truncated at the end of the message
  };
  /** 20 MB of spaces, deflated once: about 20 KB on the wire. */
  private static final byte[] BOMB = HostileFrames.deflate(" ".repeat(20_000_000).getBytes(StandardCharsets.US_ASCII));

  private final int port;
  private final Random random;

  FrameAttacks(int port, Random random) {
    this.port = port;
    this.random = random;
  }

  /** Runs one attack, asserts its answer and returns the answer's label ("close 1002", "bad-json", ...). */
  String next(String where) throws Exception {
    int pick = random.nextInt(14);
    boolean deflate = pick == 13;
    try (HostileFrames f = new HostileFrames(port, deflate ? "permessage-deflate; client_max_window_bits" : null)) {
      byte[] json = "{\"v\":1,\"type\":\"leave\",\"id\":\"x\"}".getBytes(StandardCharsets.UTF_8);
      int expected = 1002;
      switch (pick) {
        case 0 -> {
          byte[] bad = BAD_UTF8[random.nextInt(BAD_UTF8.length)];
          byte[] text = Arrays.copyOf(json, json.length + bad.length);
          System.arraycopy(bad, 0, text, json.length, bad.length);
          f.frame(HostileFrames.FIN | HostileFrames.TEXT, text, true);
          expected = 1007;
        }
        case 1 -> f.frame(HostileFrames.FIN, json, true); // continuation without a message
        case 2 -> { // a new text frame inside a fragmented message
          f.frame(HostileFrames.TEXT, Arrays.copyOf(json, 5), true);
          f.frame(HostileFrames.FIN | HostileFrames.TEXT, json, true);
        }
        case 3 -> f.frame(HostileFrames.PING, new byte[] {1}, true); // fragmented control frame
        case 4 -> f.frame(HostileFrames.FIN | HostileFrames.PING, new byte[126 + random.nextInt(200)], true);
        case 5 -> f.frame(HostileFrames.FIN | HostileFrames.TEXT, json, false); // unmasked
        case 6 -> f.frame(HostileFrames.FIN | (3 + random.nextInt(5) + (random.nextBoolean() ? 8 : 0)), json, true);
        case 7 -> f.frame(HostileFrames.FIN | (0x10 << random.nextInt(3)) | HostileFrames.TEXT, json, true); // RSV bit
        case 8 -> f.frame(HostileFrames.FIN | HostileFrames.CLOSE, closePayload(pick(999, 1004, 1005, 1006, 1015, 5000)), true);
        case 9 -> {
          f.frame(HostileFrames.FIN | HostileFrames.TEXT, new byte[1024 * 1024 + 1 + random.nextInt(64 * 1024)], true);
          expected = 1009;
        }
        case 10 -> {
          f.frame(HostileFrames.FIN | HostileFrames.BINARY, new byte[1025 + random.nextInt(4096)], true);
          expected = 1009;
        }
        case 11 -> {
          f.frame(HostileFrames.FIN | HostileFrames.BINARY, new byte[random.nextInt(1025)], true);
          return expectError(f, "bad-json", where + "small binary frame");
        }
        case 12 -> {
          f.sendText("{\"v\":1,\"type\":\"offer\",\"id\":\"u\",\"room\":\"call\",\"to\":\"alice\",\"sdp\":\"v=0\"}");
          return expectError(f, "not-joined", where + "offer before join");
        }
        default -> {
          assertNotNull(f.extensions, where + "permessage-deflate offered but not negotiated");
          assertTrue(f.extensions.startsWith("permessage-deflate"), where + f.extensions);
          f.frame(HostileFrames.FIN | HostileFrames.RSV1 | HostileFrames.TEXT, BOMB, true);
          expected = 1009;
        }
      }
      int code = f.awaitClose();
      assertEquals(expected, code, where + "frame attack " + pick);
      return (deflate ? "deflate-bomb close " : "close ") + code;
    }
  }

  private static String expectError(HostileFrames f, String code, String where) throws Exception {
    Envelope e = EnvelopeCodec.decode(f.readText());
    assertTrue(e instanceof Envelope.Error, where + ": " + EnvelopeCodec.encode(e));
    assertEquals(code, ((Envelope.Error) e).code(), where + ": " + EnvelopeCodec.encode(e));
    return code;
  }

  private static byte[] closePayload(int code) {
    return new byte[] {(byte) (code >>> 8), (byte) code};
  }

  private int pick(int... choices) {
    return choices[random.nextInt(choices.length)];
  }
}
