package dev.simplecall.samples.gui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.samples.ChildJvm;
import dev.simplecall.samples.video.ScreenPainter;
import dev.simplecall.samples.video.Xvfb;
import dev.simplecall.server.SignalingServer;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The shared screen arriving in the other window: on a private Xvfb with two X screens, a
 * {@link ScreenPainter} repaints screen 1 every 400 ms and {@code simplecall peer --video screen:1}
 * shares it; bob's {@code simplecall gui} window on screen 0 shows it. Screenshots of screen 0
 * (Xvfb's framebuffer file) must show the painter's two colours in bob's remote video area, left
 * and right, changing in the painter's order. The last shot is kept as
 * target/screenshots/gui-screen-share.png (docs/images/ with -Dsimplecall.screenshots=update).
 */
class GuiScreenShareScreenshotTest {
  private static final Pattern AREA = Pattern.compile("remote video area (-?\\d+),(-?\\d+) (\\d+)x(\\d+)");

  @Test
  void sharedScreenShowsInTheOtherWindow() throws Exception {
    try (Xvfb x = Xvfb.withFramebuffers("700x600x24", "320x240x24");
        ChildJvm painter = ChildJvm.startMain("painter", ScreenPainter.class.getName(), Map.of("DISPLAY", x.display + ".1"),
            "400");
        SignalingServer server = SignalingServer.builder().bind("127.0.0.1").port(0).build().start()) {
      assertNotNull(painter.awaitLine("painting 320x240", 60), painter.describe());
      XvfbScreen screen = new XvfbScreen(x.fbdir);
      String ws = "ws://127.0.0.1:" + server.port() + "/v1/ws";
      try (ChildJvm bob = ChildJvm.start("gui-bob", Map.of("DISPLAY", x.display + ".0"), "gui", "--id", "bob",
          "--window-at", "0,0", "--signaling", ws, "--room", "share", "--video", "none", "--audio", "none",
          "--exit-after", "60s")) {
        assertNotNull(bob.awaitLine("in room share", 60), bob.describe());
        try (ChildJvm alice = ChildJvm.start("screen-alice", Map.of("DISPLAY", x.display + ".1"), "peer", "--signaling", ws,
            "--room", "share", "--id", "alice", "--call", "bob", "--video", "screen:1@10", "--audio", "none",
            "--duration", "20s")) {
          Rectangle area = area(bob.awaitLine("remote video area", 60), bob);
          assertNotNull(bob.awaitLine("first remote video frame", 60), bob.describe() + alice.describe());
          // left and right quarters of the picture, at mid height: away from the overlay and the preview
          int ly = area.y + area.height / 2;
          int lx = area.x + area.width / 4;
          int rx = area.x + area.width * 3 / 4;
          List<Integer> steps = new ArrayList<>();
          BufferedImage shot = null;
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
          while (steps.size() < 5 && System.nanoTime() < deadline) {
            shot = screen.capture();
            int left = ScreenPainter.nearest(shot.getRGB(lx, ly), 48);
            int right = ScreenPainter.nearest(shot.getRGB(rx, ly), 48);
            if (left < 0 || right != (left + 3) % ScreenPainter.PALETTE.length) continue; // mid-repaint or not yet
            if (steps.isEmpty() || steps.get(steps.size() - 1) != left) steps.add(left);
          }
          assertNotNull(shot);
          Path out = Path.of("target", "screenshots", "gui-screen-share.png").toAbsolutePath();
          Files.createDirectories(out.getParent());
          ImageIO.write(shot, "png", out.toFile());
          if ("update".equals(System.getProperty("simplecall.screenshots"))) {
            Files.copy(out, Path.of("..", "docs", "images", "gui-screen-share.png"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
          }
          assertTrue(steps.size() >= 5, "bob's window did not show the shared screen changing: steps " + steps
              + " (shot: " + out + ")\n" + bob.describe() + "\n" + alice.describe());
          for (int i = 1; i < steps.size(); i++) {
            assertEquals((steps.get(i - 1) + 1) % ScreenPainter.PALETTE.length, (int) steps.get(i),
                "painted steps out of order in bob's window: " + steps);
          }
        }
      }
    }
  }

  private static Rectangle area(String line, ChildJvm who) {
    assertNotNull(line, "no remote video area reported\n" + who.describe());
    Matcher m = AREA.matcher(line);
    assertTrue(m.find(), line);
    return new Rectangle(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
        Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)));
  }
}
