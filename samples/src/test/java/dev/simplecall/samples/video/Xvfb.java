package dev.simplecall.samples.video;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A private Xvfb display for one test; {@code -displayfd} picks a free display number. */
public final class Xvfb implements AutoCloseable {
  private final Process process;
  public final String display;
  /** The -fbdir directory (screen N is DIR/Xvfb_screenN, an XWD image), or null. */
  public final java.nio.file.Path fbdir;

  private Xvfb(Process process, String display, java.nio.file.Path fbdir) {
    this.process = process;
    this.display = display;
    this.fbdir = fbdir;
  }

  /** Starts Xvfb with one screen of {@code width}x{@code height}x24, or fails naming the package. */
  static Xvfb start(int width, int height) throws Exception {
    return start(width + "x" + height + "x24");
  }

  /** Like {@link #start(String...)}, keeping each screen's framebuffer in a new directory (for screenshots). */
  public static Xvfb withFramebuffers(String... screens) throws Exception {
    return start(Files.createTempDirectory("simplecall-xvfb"), screens);
  }

  static Xvfb start(String... screens) throws Exception {
    return start(null, screens);
  }

  /** Starts Xvfb with one separate X screen per {@code WxHxD} (":N.0", ":N.1", ...; no Xinerama). */
  private static Xvfb start(java.nio.file.Path fbdir, String... screens) throws Exception {
    requireTool("Xvfb", "xvfb");
    java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("Xvfb", "-displayfd", "1"));
    for (int i = 0; i < screens.length; i++) cmd.addAll(java.util.List.of("-screen", String.valueOf(i), screens[i]));
    cmd.addAll(java.util.List.of("-nolisten", "tcp", "-nocursor"));
    if (fbdir != null) cmd.addAll(java.util.List.of("-fbdir", fbdir.toString()));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
      try {
        return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
      } catch (IOException e) {
        return null;
      }
    });
    String n = line.get(30, TimeUnit.SECONDS);
    if (n == null) p.destroyForcibly();
    assertNotNull(n, "Xvfb exited without reporting a display");
    return new Xvfb(p, ":" + n.trim(), fbdir);
  }

  static void requireTool(String tool, String debianPackage) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      if (Files.isExecutable(Path.of(dir, tool))) return;
    }
    fail(tool + " is missing: install the Debian package " + debianPackage + " (apt-get install " + debianPackage + ")");
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    if (fbdir != null) {
      try (var files = Files.list(fbdir)) {
        files.forEach(f -> f.toFile().delete());
      }
      Files.deleteIfExists(fbdir);
    }
  }
}
