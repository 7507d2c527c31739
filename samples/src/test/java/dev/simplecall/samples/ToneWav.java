package dev.simplecall.samples;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test input: a 16-bit mono 48 kHz WAV of a sine at half scale. */
public final class ToneWav {
  private ToneWav() {}

  public static void write(Path path, double hz, int seconds) throws IOException {
    int rate = 48_000;
    int n = rate * seconds;
    ByteBuffer b = ByteBuffer.allocate(44 + 2 * n).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + 2 * n).put("WAVE".getBytes(StandardCharsets.US_ASCII))
        .put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16)
        .putShort((short) 1).putShort((short) 1).putInt(rate).putInt(rate * 2).putShort((short) 2).putShort((short) 16)
        .put("data".getBytes(StandardCharsets.US_ASCII)).putInt(2 * n);
    for (int i = 0; i < n; i++) b.putShort((short) (16000 * Math.sin(2 * Math.PI * hz * i / rate)));
    Files.write(path, b.array());
  }
}
