package dev.simplecall.samples.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.samples.ChildJvm;
import dev.simplecall.server.SignalingServer;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code simplecall peer} processes through a real server: alice sends {@code --video
 * file:colours.y4m} (six known colours, looping) and the tone; bob, sending nothing, keeps the call
 * with {@code --record DIR}. The recorded video.y4m shows the file's colours in order, looping;
 * audio.wav is PCM of the call's length at 440 Hz; both peers exit 0.
 */
class RecordedFileCallTest {
  private static final int[] PALETTE = ScreenPainter.PALETTE;
  private static final int W = 160;
  private static final int H = 120;

  @TempDir Path dir;

  @Test
  void fileSentByOnePeerIsRecordedByTheOtherInOrder() throws Exception {
    Path clip = dir.resolve("colours.y4m");
    writeY4m(clip, 15, 3); // 18 frames: 1.2 s a loop
    Path rec = dir.resolve("rec");
    try (SignalingServer server = SignalingServer.builder().bind("127.0.0.1").port(0).build().start()) {
      String ws = "ws://127.0.0.1:" + server.port() + "/v1/ws";
      try (ChildJvm bob = ChildJvm.start("rec-bob", Map.of(), "peer", "--signaling", ws, "--room", "rec", "--id", "bob",
          "--video", "none", "--audio", "none", "--record", rec.toString(), "--duration", "4s")) {
        assertNotNull(bob.awaitLine("waiting for a call", 60), bob.describe());
        try (ChildJvm alice = ChildJvm.start("rec-alice", Map.of(), "peer", "--signaling", ws, "--room", "rec", "--id",
            "alice", "--call", "bob", "--video", "file:" + clip, "--audio", "tone", "--duration", "4s")) {
          assertEquals(0, alice.awaitExit(90), "alice\n" + alice.describe());
          assertEquals(0, bob.awaitExit(60), "bob\n" + bob.describe());
          assertNotNull(bob.awaitLine("recorded " + rec.resolve("video.y4m"), 1), bob.describe());
        }
      }
    }
    checkVideo(rec.resolve("video.y4m"));
    checkAudio(rec.resolve("audio.wav"));
  }

  private static void checkVideo(Path y4m) throws Exception {
    List<Integer> steps = new ArrayList<>();
    int frames = 0;
    int unmatched = 0;
    try (InputStream in = Files.newInputStream(y4m)) {
      String header = line(in);
      assertTrue(header.startsWith("YUV4MPEG2 W" + W + " H" + H + " F30:1"), header);
      int cw = W / 2;
      byte[] f = new byte[W * H * 3 / 2];
      for (String l = line(in); l != null; l = line(in)) {
        assertEquals("FRAME", l);
        new DataInputStream(in).readFully(f);
        frames++;
        int y = f[(H / 2) * W + W / 2] & 0xff;
        int u = f[W * H + (H / 4) * cw + W / 4] & 0xff;
        int v = f[W * H + cw * (H / 2) + (H / 4) * cw + W / 4] & 0xff;
        int c = ScreenPainter.nearest(rgb(y, u, v), 48);
        if (c < 0) {
          unmatched++;
          continue;
        }
        if (steps.isEmpty() || steps.get(steps.size() - 1) != c) steps.add(c);
      }
    }
    System.out.printf("recorded video: %d frames (%.1f s at 30 fps), colour steps %s%n", frames, frames / 30.0, steps);
    assertTrue(frames >= 90 && frames <= 300, frames + " frames for a call of about 4 s");
    assertTrue(unmatched * 5 <= frames, unmatched + " of " + frames + " frames show none of the file's colours");
    assertTrue(steps.size() >= 8, "the file's colours did not loop: " + steps);
    for (int i = 1; i < steps.size(); i++) {
      assertEquals((steps.get(i - 1) + 1) % PALETTE.length, (int) steps.get(i), "colour order " + steps);
    }
  }

  private static void checkAudio(Path wavFile) throws Exception {
    byte[] wav = Files.readAllBytes(wavFile);
    ByteBuffer w = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals("RIFF", new String(wav, 0, 4, StandardCharsets.US_ASCII));
    assertEquals("WAVE", new String(wav, 8, 4, StandardCharsets.US_ASCII));
    assertEquals(1, w.getShort(20), "PCM");
    assertEquals(16, w.getShort(34), "bits");
    assertEquals(wav.length - 44, w.getInt(40), "data size");
    int channels = w.getShort(22);
    int rate = w.getInt(24);
    double seconds = (wav.length - 44) / (2.0 * channels * rate);
    int first = -1, last = -1, crossings = 0;
    short prev = 0;
    for (int i = rate / 2; i < (wav.length - 44) / (2 * channels); i++) {
      short s = w.getShort(44 + i * 2 * channels);
      if (prev < 0 && s >= 0) {
        if (first < 0) first = i;
        last = i;
        crossings++;
      }
      prev = s;
    }
    double hz = crossings < 2 ? 0 : (crossings - 1) * (double) rate / (last - first);
    System.out.printf("recorded audio: %.2f s, %d Hz x%d, %.1f Hz%n", seconds, rate, channels, hz);
    assertTrue(seconds >= 3.5 && seconds <= 12, "WAV of " + seconds + " s for a call of about 4 s");
    assertEquals(440, hz, 5, "pitch of alice's tone in bob's recording");
  }

  /** BT.601 limited range, as the SDK converts. */
  private static int rgb(int y, int u, int v) {
    int c = 298 * Math.max(y - 16, 0);
    int d = u - 128;
    int e = v - 128;
    int r = clamp((c + 409 * e + 128) >> 8);
    int g = clamp((c - 100 * d - 208 * e + 128) >> 8);
    int b = clamp((c + 516 * d + 128) >> 8);
    return (r << 16) | (g << 8) | b;
  }

  private static int clamp(int x) {
    return Math.max(0, Math.min(255, x));
  }

  /** Solid frames of each palette colour, {@code repeat} frames each. */
  private static void writeY4m(Path file, int fps, int repeat) throws Exception {
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(("YUV4MPEG2 W" + W + " H" + H + " F" + fps + ":1 Ip A1:1 C420jpeg\n").getBytes(StandardCharsets.US_ASCII));
      for (int p : PALETTE) {
        int r = (p >> 16) & 0xff, g = (p >> 8) & 0xff, b = p & 0xff;
        byte y = (byte) (((66 * r + 129 * g + 25 * b + 128) >> 8) + 16);
        byte u = (byte) (((-38 * r - 74 * g + 112 * b + 128) >> 8) + 128);
        byte v = (byte) (((112 * r - 94 * g - 18 * b + 128) >> 8) + 128);
        byte[] frame = new byte[W * H * 3 / 2];
        java.util.Arrays.fill(frame, 0, W * H, y);
        java.util.Arrays.fill(frame, W * H, W * H + W * H / 4, u);
        java.util.Arrays.fill(frame, W * H + W * H / 4, frame.length, v);
        for (int i = 0; i < repeat; i++) {
          out.write("FRAME\n".getBytes(StandardCharsets.US_ASCII));
          out.write(frame);
        }
      }
    }
  }

  private static String line(InputStream in) throws Exception {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) return b.size() == 0 ? null : b.toString(StandardCharsets.US_ASCII);
      b.write(c);
    }
    return b.toString(StandardCharsets.US_ASCII);
  }
}
