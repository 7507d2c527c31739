package dev.simplecall.samples.gui;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.simplecall.samples.ChildJvm;
import dev.simplecall.server.SignalingServer;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Two {@code simplecall gui} windows (child JVMs) on a private Xvfb display in a real call through a
 * real server. Screenshots (read from Xvfb's framebuffer file, no X client tool needed) prove each
 * remote video area shows the moving test
 * pattern (many colours, changing between shots) and not a blank panel; the shot becomes
 * target/screenshots/gui.png (docs/images/gui.png with -Dsimplecall.screenshots=update).
 */
class GuiCallScreenshotTest {
  private static final Pattern AREA = Pattern.compile("remote video area (-?\\d+),(-?\\d+) (\\d+)x(\\d+)");

  @Test
  void twoWindowsShowEachOthersMovingTestPattern() throws Exception {
    requireTool("Xvfb", "xvfb");
    Path fbdir = Files.createTempDirectory("simplecall-xvfb");
    Process xvfb = new ProcessBuilder("Xvfb", "-displayfd", "1", "-screen", "0", "1400x720x24", "-nolisten", "tcp", "-nocursor",
        "-fbdir", fbdir.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    XvfbScreen screen = new XvfbScreen(fbdir);
    try (SignalingServer server = SignalingServer.builder().bind("127.0.0.1").port(0).build().start()) {
      String display = ":" + readDisplayNumber(xvfb);
      String ws = "ws://127.0.0.1:" + server.port() + "/v1/ws";
      Map<String, String> env = Map.of("DISPLAY", display);
      String[] common = {"--signaling", ws, "--room", "gui", "--video", "320x240@15", "--audio", "tone", "--exit-after", "120s"};
      try (ChildJvm bob = ChildJvm.start("gui-bob", env, concat(new String[] {"gui", "--id", "bob", "--window-at", "0,0"}, common))) {
        assertNotNull(bob.awaitLine("in room gui", 60), "bob's window did not join\n" + bob.describe());
        try (ChildJvm alice = ChildJvm.start("gui-alice", env,
            concat(new String[] {"gui", "--id", "alice", "--call", "bob", "--window-at", "690,0"}, common))) {
          Rectangle aliceArea = area(alice.awaitLine("remote video area", 60), alice);
          Rectangle bobArea = area(bob.awaitLine("remote video area", 60), bob);
          assertNotNull(alice.awaitLine("first remote video frame", 60), alice.describe());
          assertNotNull(bob.awaitLine("first remote video frame", 60), bob.describe());

          // shots until both areas show video with many colours (frames keep arriving)
          AtomicReference<BufferedImage> withVideo = new AtomicReference<>();
          await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            BufferedImage shot = screen.capture();
            assertTrue(colours(shot, centre(aliceArea)) >= 8, "alice's remote area is nearly uniform");
            assertTrue(colours(shot, centre(bobArea)) >= 8, "bob's remote area is nearly uniform");
            withVideo.set(shot);
          });
          BufferedImage first = withVideo.get();
          // the README shot should show the stats overlay too
          assertNotNull(alice.awaitLine("live stats", 20), alice.describe());
          assertNotNull(bob.awaitLine("live stats", 20), bob.describe());
          BufferedImage later = await("the remote video areas change (frozen video does not)")
              .atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).until(screen::capture,
                  shot -> changed(first, shot, centre(aliceArea)) > 0.05 && changed(first, shot, centre(bobArea)) > 0.05);

          // Always kept under target/screenshots; the README's copy is refreshed only on request
          // (-Dsimplecall.screenshots=update), so a normal test run leaves the work tree clean.
          Path out = Path.of("target", "screenshots", "gui.png").toAbsolutePath();
          Files.createDirectories(out.getParent());
          Rectangle both = new Rectangle(0, 0, Math.min(later.getWidth(), aliceArea.x + aliceArea.width + 10),
              Math.min(later.getHeight(), Math.max(aliceArea.y + aliceArea.height, bobArea.y + bobArea.height) + 40));
          ImageIO.write(later.getSubimage(both.x, both.y, both.width, both.height), "png", out.toFile());
          if ("update".equals(System.getProperty("simplecall.screenshots"))) {
            Files.copy(out, Path.of("..", "docs", "images", "gui.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
          }

          alice.close(); // SIGTERM: the window closes gracefully and hangs up
          assertNotNull(bob.awaitLine("alice hung up", 30), "bob was not told that alice hung up\n" + bob.describe());
        }
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

  /** The middle of a remote area: away from the stats overlay (top left) and the preview (bottom right). */
  private static Rectangle centre(Rectangle r) {
    return new Rectangle(r.x + r.width * 3 / 10, r.y + r.height * 3 / 10, r.width * 4 / 10, r.height * 3 / 10);
  }

  static int colours(BufferedImage img, Rectangle r) {
    Set<Integer> seen = new HashSet<>();
    for (int y = r.y; y < r.y + r.height; y += 2) {
      for (int x = r.x; x < r.x + r.width; x += 2) seen.add(img.getRGB(x, y) & 0xf0f0f0);
    }
    return seen.size();
  }

  static double changed(BufferedImage a, BufferedImage b, Rectangle r) {
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

  private static Rectangle area(String line, ChildJvm who) {
    assertNotNull(line, "no remote video area reported\n" + who.describe());
    Matcher m = AREA.matcher(line);
    assertTrue(m.find(), line);
    return new Rectangle(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
        Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)));
  }

  static int readDisplayNumber(Process xvfb) throws Exception {
    CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
      try {
        return new BufferedReader(new InputStreamReader(xvfb.getInputStream(), StandardCharsets.UTF_8)).readLine();
      } catch (IOException e) {
        return null;
      }
    });
    String n = line.get(30, TimeUnit.SECONDS);
    assertNotNull(n, "Xvfb exited without reporting a display");
    return Integer.parseInt(n.trim());
  }

  static void requireTool(String tool, String debianPackage) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      if (Files.isExecutable(Path.of(dir, tool))) return;
    }
    fail(tool + " is missing: install the Debian package " + debianPackage + " (apt-get install " + debianPackage + ")");
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = new String[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
