package dev.simplecall.samples.audio;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.samples.ChildJvm;
import dev.simplecall.samples.ToneWav;
import dev.simplecall.samples.gui.XvfbScreen;
import dev.simplecall.samples.video.Xvfb;
import dev.simplecall.server.SignalingServer;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Switching devices from the window's pickers during a call, on a real PulseAudio daemon with virtual
 * devices and a private Xvfb display: two {@code simplecall gui} windows in a call, alice's driven
 * through {@code --commands} (the picks a click or her file chooser makes, typed on her stdin).
 *
 * <p>Video: alice starts on the test pattern; a file that is not Y4M is refused with a message and
 * bob's window keeps showing the moving pattern; then a Y4M file of one solid colour, written here,
 * takes over in place, bob's remote video area (a screenshot of Xvfb's framebuffer) turns that
 * colour, and the file is listed in alice's video picker. Audio: a 500 Hz tone plays into alice's
 * virtual microphone and a 1200 Hz tone into bob's (bob's window sends his, alice's has no speaker);
 * bob's speaker plays 500 Hz until alice picks {@code bob_microphone}, then 1200 Hz only.
 */
class GuiDeviceSwitchTest {
  private static final Pattern AREA = Pattern.compile("remote video area (-?\\d+),(-?\\d+) (\\d+)x(\\d+)");
  /** The file's colour: orange, none of the test pattern's bars. */
  private static final int FILE_RGB = 0xe08020;
  /** Where alice's window starts: right of bob's (its device row makes it about 1100 pixels wide). */
  private static final int ALICE_X = 1300;

  @TempDir
  Path tmp;

  @Test
  void picksDuringACallSwitchAlicesVideoToAFileAndHerMicrophone() throws Exception {
    Path toneA = tmp.resolve("500hz.wav");
    Path toneB = tmp.resolve("1200hz.wav");
    ToneWav.write(toneA, 500, 120);
    ToneWav.write(toneB, 1200, 120);
    Path solid = tmp.resolve("solid.y4m");
    writeSolidY4m(solid, FILE_RGB, 160, 120, 10, 10);
    Path notVideo = tmp.resolve("notes.y4m");
    Files.writeString(notVideo, "not a video\n");
    try (PulseLab lab = PulseLab.start(tmp.resolve("pulse"), "alice", "bob");
        Xvfb x = Xvfb.withFramebuffers("2600x720x24")) {
      XvfbScreen screen = new XvfbScreen(x.fbdir);
      Process talkA = null;
      Process talkB = null;
      try (SignalingServer server = SignalingServer.builder().bind("127.0.0.1").port(0).build().start()) {
        Map<String, String> env = new HashMap<>(lab.env());
        env.put("DISPLAY", x.display);
        String ws = "ws://127.0.0.1:" + server.port() + "/v1/ws";
        talkA = lab.spawn("paplay", "-d", "alice_in", toneA.toString());
        talkB = lab.spawn("paplay", "-d", "bob_in", toneB.toString());
        try (ChildJvm bob = ChildJvm.start("gui-bob", env, "gui", "--signaling", ws, "--room", "switch", "--id", "bob",
            "--window-at", "0,0", "--video", "160x120@10", "--audio", "mic:bob_mic", "--speaker=bob_spk",
            "--exit-after", "200s")) {
          assertNotNull(bob.awaitLine("in room switch", 60), "bob's window did not join\n" + bob.describe());
          try (ChildJvm alice = ChildJvm.start("gui-alice", env, "gui", "--signaling", ws, "--room", "switch", "--id",
              "alice", "--call", "bob", "--window-at", ALICE_X + ",0", "--video", "160x120@10", "--audio", "mic:alice_mic",
              "--audio-processing", "off", "--commands", "--exit-after", "200s")) {
            Rectangle area = area(bob.awaitLine("remote video area", 60), bob);
            assertTrue(area.x + area.width <= ALICE_X, "alice's window covers bob's remote video area " + area);
            Rectangle centre = centre(area);
            assertNotNull(bob.awaitLine("first remote video frame", 60), bob.describe() + "\n" + alice.describe());
            BufferedImage pattern = awaitShot(screen, 20, shot -> colours(shot, centre) >= 8);
            assertNotNull(pattern, "bob's window does not show alice's test pattern\n" + bob.describe());

            int mark = alice.stdout().size();
            alice.send("video-file " + notVideo);
            String refused = alice.awaitLine("video file not used", mark, 30);
            assertNotNull(refused, "alice's window did not refuse a file that is not Y4M\n" + alice.describe());
            assertTrue(refused.contains("not a Y4M file") && refused.contains(notVideo.toString()), refused);
            BufferedImage before = screen.capture();
            assertNotNull(awaitShot(screen, 20, shot -> colours(shot, centre) >= 8 && changed(before, shot, centre) > 0.05),
                "after the refused file bob's window does not show the moving pattern\n" + alice.describe());

            mark = alice.stdout().size();
            long t0 = System.nanoTime();
            alice.send("video-file " + solid);
            String switched = alice.awaitLine("video: VideoSource[file " + solid, mark, 30);
            assertNotNull(switched, "alice's window did not take the file\n" + alice.describe());
            BufferedImage fromFile = awaitShot(screen, 30, shot -> near(shot, centre, FILE_RGB) >= 0.9);
            long videoMs = (System.nanoTime() - t0) / 1_000_000;
            Path shotFile = Path.of("target", "screenshots", "gui-device-switch.png").toAbsolutePath();
            Files.createDirectories(shotFile.getParent());
            javax.imageio.ImageIO.write(fromFile != null ? fromFile : screen.capture(), "png", shotFile.toFile());
            assertNotNull(fromFile, "bob's remote video area did not turn the file's colour within 30 s (shot: " + shotFile
                + ")\n" + alice.describe() + "\n" + bob.describe());
            mark = alice.stdout().size();
            alice.send("devices");
            String listed = alice.awaitLine("devices: ", mark, 30);
            assertNotNull(listed, alice.describe());
            assertTrue(listed.contains("none, file solid.y4m, File"), "the picked file is not listed: " + listed);

            try (Recording ear = Recording.start(lab, "bob_spk.monitor")) {
              short[] first = awaitSound(ear, 30, s -> tone(s, 500, 1200));
              assertNotNull(first, "bob's speaker does not play alice_mic's 500 Hz tone: " + sound(ear.recent(300))
                  + "\n" + alice.describe());
              mark = alice.stdout().size();
              long t1 = System.nanoTime();
              alice.send("pick mic bob_microphone");
              assertNotNull(alice.awaitLine("microphone: bob_mic", mark, 30),
                  "the microphone did not switch\n" + alice.describe());
              short[] second = awaitSound(ear, 30, s -> tone(s, 1200, 500));
              long micMs = (System.nanoTime() - t1) / 1_000_000;
              assertNotNull(second, "bob's speaker does not play bob_mic's 1200 Hz tone only after the pick: "
                  + sound(ear.recent(300)) + "\n" + alice.describe());
              System.out.printf(Locale.ROOT, "[gui-device-switch] file on bob's screen %d ms after the pick (%.2f of the area"
                  + " within 48 of #%06x); bob_mic heard %d ms after the pick: before %s, after %s%n", videoMs,
                  near(fromFile, centre, FILE_RGB), FILE_RGB, micMs, sound(first), sound(second));
            }
          }
        }
      } finally {
        if (talkA != null) talkA.destroyForcibly();
        if (talkB != null) talkB.destroyForcibly();
      }
    }
  }

  /** Shots until one passes {@code ok}; null after {@code seconds}. */
  private static BufferedImage awaitShot(XvfbScreen screen, long seconds, Predicate<BufferedImage> ok) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      BufferedImage shot = screen.capture();
      if (ok.test(shot)) return shot;
      Thread.sleep(200); // polling the screen; leaves the two windows the CPU
    }
    return null;
  }

  /** The last 300 ms of the recording once they pass {@code ok}; null after {@code seconds}. */
  private static short[] awaitSound(Recording ear, long seconds, Predicate<short[]> ok) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      short[] last = ear.recent(300);
      if (last.length == Recording.RATE * 300 / 1000 && ok.test(last)) return last;
      Thread.sleep(50); // polling what the speaker plays
    }
    return null;
  }

  /** A loud tone of {@code hz} (most of the power) without {@code absent}. */
  private static boolean tone(short[] s, double hz, double absent) {
    return DeviceSwitchProbe.rms(s) > 1000 && DeviceSwitchProbe.share(s, Recording.RATE, hz) > 0.8
        && DeviceSwitchProbe.share(s, Recording.RATE, absent) < 0.05;
  }

  private static String sound(short[] s) {
    return String.format(Locale.ROOT, "rms=%.0f hz500=%.3f hz1200=%.3f", DeviceSwitchProbe.rms(s),
        DeviceSwitchProbe.share(s, Recording.RATE, 500), DeviceSwitchProbe.share(s, Recording.RATE, 1200));
  }

  /** The middle of a remote area: away from the stats overlay (top left) and the preview (bottom right). */
  private static Rectangle centre(Rectangle r) {
    return new Rectangle(r.x + r.width * 3 / 10, r.y + r.height * 3 / 10, r.width * 4 / 10, r.height * 3 / 10);
  }

  private static int colours(BufferedImage img, Rectangle r) {
    Set<Integer> seen = new HashSet<>();
    for (int y = r.y; y < r.y + r.height; y += 2) {
      for (int x = r.x; x < r.x + r.width; x += 2) seen.add(img.getRGB(x, y) & 0xf0f0f0);
    }
    return seen.size();
  }

  private static double changed(BufferedImage a, BufferedImage b, Rectangle r) {
    long differ = 0;
    long all = 0;
    for (int y = r.y; y < r.y + r.height; y += 2) {
      for (int x = r.x; x < r.x + r.width; x += 2) {
        all++;
        if ((a.getRGB(x, y) & 0xffffff) != (b.getRGB(x, y) & 0xffffff)) differ++;
      }
    }
    return all == 0 ? 0 : differ / (double) all;
  }

  /** Share of the area's pixels within 48 of {@code rgb} on every channel. */
  private static double near(BufferedImage img, Rectangle r, int rgb) {
    long close = 0;
    long all = 0;
    for (int y = r.y; y < r.y + r.height; y += 2) {
      for (int x = r.x; x < r.x + r.width; x += 2) {
        all++;
        int p = img.getRGB(x, y);
        int d = 0;
        for (int shift = 0; shift <= 16; shift += 8) d = Math.max(d, Math.abs(((p >> shift) & 0xff) - ((rgb >> shift) & 0xff)));
        if (d <= 48) close++;
      }
    }
    return all == 0 ? 0 : close / (double) all;
  }

  private static Rectangle area(String line, ChildJvm who) {
    assertNotNull(line, "no remote video area reported\n" + who.describe());
    Matcher m = AREA.matcher(line);
    assertTrue(m.find(), line);
    return new Rectangle(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
        Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)));
  }

  /** {@code frames} frames of one colour (BT.601 limited range, as the SDK converts back). */
  private static void writeSolidY4m(Path file, int rgb, int w, int h, int fps, int frames) throws Exception {
    int r = (rgb >> 16) & 0xff;
    int g = (rgb >> 8) & 0xff;
    int b = rgb & 0xff;
    byte[] frame = new byte[w * h * 3 / 2];
    java.util.Arrays.fill(frame, 0, w * h, (byte) (((66 * r + 129 * g + 25 * b + 128) >> 8) + 16));
    java.util.Arrays.fill(frame, w * h, w * h + w * h / 4, (byte) (((-38 * r - 74 * g + 112 * b + 128) >> 8) + 128));
    java.util.Arrays.fill(frame, w * h + w * h / 4, frame.length, (byte) (((112 * r - 94 * g - 18 * b + 128) >> 8) + 128));
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(("YUV4MPEG2 W" + w + " H" + h + " F" + fps + ":1 Ip A1:1 C420jpeg\n").getBytes(StandardCharsets.US_ASCII));
      for (int i = 0; i < frames; i++) {
        out.write("FRAME\n".getBytes(StandardCharsets.US_ASCII));
        out.write(frame);
      }
    }
  }
}
