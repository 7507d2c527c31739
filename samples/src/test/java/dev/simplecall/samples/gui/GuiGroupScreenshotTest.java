package dev.simplecall.samples.gui;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.samples.ChildJvm;
import dev.simplecall.samples.CliRun;
import dev.simplecall.server.SignalingServer;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * {@code simplecall gui --group} (a child JVM on a private Xvfb display) in a room with three
 * {@code simplecall peer --group} members: the window lays out a 2x2 grid (its preview and three
 * members), every tile shows moving video, an active speaker is framed, and each member counts the
 * window ok. The shot becomes target/screenshots/gui-group.png (docs/images/gui-group.png with
 * -Dsimplecall.screenshots=update).
 */
class GuiGroupScreenshotTest {
  private static final Pattern GRID = Pattern.compile("grid of 4 tiles at (-?\\d+),(-?\\d+) (\\d+)x(\\d+)");

  @Test
  void theWindowShowsAFourMemberGridWithTheActiveSpeaker() throws Exception {
    GuiCallScreenshotTest.requireTool("Xvfb", "xvfb");
    Path fbdir = Files.createTempDirectory("simplecall-xvfb");
    Process xvfb = new ProcessBuilder("Xvfb", "-displayfd", "1", "-screen", "0", "1000x700x24", "-nolisten", "tcp", "-nocursor",
        "-fbdir", fbdir.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    XvfbScreen screen = new XvfbScreen(fbdir);
    try (SignalingServer server = SignalingServer.builder().bind("127.0.0.1").port(0).build().start()) {
      String display = ":" + GuiCallScreenshotTest.readDisplayNumber(xvfb);
      String ws = "ws://127.0.0.1:" + server.port() + "/v1/ws";
      try (ChildJvm alice = ChildJvm.start("gui-alice", Map.of("DISPLAY", display), "gui", "--group", "--id", "alice",
          "--signaling", ws, "--room", "grid", "--video", "320x240@15", "--audio", "tone", "--window-at", "0,0",
          "--exit-after", "120s")) {
        assertNotNull(alice.awaitLine("in room grid", 60), "the window did not join\n" + alice.describe());
        List<CompletableFuture<String>> members = new ArrayList<>();
        String[] ids = {"bob", "carol", "dave"};
        for (int i = 0; i < ids.length; i++) {
          String id = ids[i];
          String audio = "tone";
          members.add(CompletableFuture.supplyAsync(() -> CliRun.peer("--group", "--peers", "4", "--signaling", ws,
              "--room", "grid", "--id", id, "--duration", "10s", "--video", "320x240@15", "--audio", audio, "--wait", "60s")));
        }
        Rectangle grid = grid(alice.awaitLine("grid of 4 tiles", 60), alice);
        List<Rectangle> tiles = quadrants(grid);
        BufferedImage shot = await("all four tiles show video").atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(100)).until(screen::capture, s -> {
              for (Rectangle t : tiles) if (GuiCallScreenshotTest.colours(s, middle(t)) < 8) return false;
              return true;
            });
        BufferedImage later = await("the tiles' video moves").atMost(Duration.ofSeconds(15))
            .pollInterval(Duration.ofMillis(100)).until(screen::capture, s -> {
              for (Rectangle t : tiles) if (GuiCallScreenshotTest.changed(shot, s, middle(t)) < 0.05) return false;
              return true;
            });
        assertNotNull(alice.awaitLine("speaking: ", 30), "no active speaker was shown\n" + alice.describe());
        BufferedImage framed = await("a tile framed as the active speaker").atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(100)).until(screen::capture, s -> greenFrame(s, tiles));
        Path out = Path.of("target", "screenshots", "gui-group.png").toAbsolutePath();
        Files.createDirectories(out.getParent());
        Rectangle window = new Rectangle(0, 0, Math.min(framed.getWidth(), grid.x + grid.width + 10),
            Math.min(framed.getHeight(), grid.y + grid.height + 40));
        ImageIO.write(framed.getSubimage(window.x, window.y, window.width, window.height), "png", out.toFile());
        if ("update".equals(System.getProperty("simplecall.screenshots"))) {
          Files.copy(out, Path.of("..", "docs", "images", "gui-group.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        assertTrue(later != null);
        for (int i = 0; i < ids.length; i++) {
          String result = members.get(i).get(90, TimeUnit.SECONDS);
          assertTrue(result.startsWith("RESULT peer=" + ids[i] + " transport=websocket group=true ok=true peers_ok=3/3 "),
              result + "\nwindow:\n" + alice.describe());
        }
        alice.close(); // SIGTERM: the window leaves the room gracefully
      }
    } finally {
      xvfb.destroy();
      xvfb.waitFor(10, TimeUnit.SECONDS);
      try (var files = Files.list(fbdir)) {
        files.forEach(f -> f.toFile().delete());
      }
      Files.deleteIfExists(fbdir);
    }
  }

  private static Rectangle grid(String line, ChildJvm who) {
    assertNotNull(line, "no grid reported\n" + who.describe());
    Matcher m = GRID.matcher(line);
    assertTrue(m.find(), line);
    return new Rectangle(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
        Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)));
  }

  /** The 2x2 grid's tiles (6 px gaps). */
  private static List<Rectangle> quadrants(Rectangle g) {
    int w = (g.width - 6) / 2;
    int h = (g.height - 6) / 2;
    return List.of(new Rectangle(g.x, g.y, w, h), new Rectangle(g.x + w + 6, g.y, w, h),
        new Rectangle(g.x, g.y + h + 6, w, h), new Rectangle(g.x + w + 6, g.y + h + 6, w, h));
  }

  /** The middle of a tile, away from its name label. */
  private static Rectangle middle(Rectangle t) {
    return new Rectangle(t.x + t.width * 3 / 10, t.y + t.height * 2 / 10, t.width * 4 / 10, t.height * 4 / 10);
  }

  /** Whether some tile's top edge (inside its 6 px border) is the speaker frame's green. */
  private static boolean greenFrame(BufferedImage s, List<Rectangle> tiles) {
    for (Rectangle t : tiles) {
      int green = 0;
      for (int x = t.x + 10; x < t.x + t.width - 10; x += 4) {
        int rgb = s.getRGB(x, t.y + 3) & 0xffffff;
        if (rgb == 0x2e9b4f) green++;
      }
      if (green > (t.width - 20) / 8) return true;
    }
    return false;
  }

}
