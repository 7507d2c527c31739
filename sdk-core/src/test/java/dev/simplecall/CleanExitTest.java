package dev.simplecall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** After {@code CallClient.close()} the JVM exits by itself: no native or SDK thread keeps it alive. */
class CleanExitTest {
  @Test
  void jvmExitsAfterClientClose() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path out = Files.createTempFile("simplecall-exit", ".log");
    Process p = new ProcessBuilder(java, "-Xmx256m", "-Djava.awt.headless=true",
        "-cp", System.getProperty("java.class.path"), ExitCheckMain.class.getName())
        .redirectErrorStream(true).redirectOutput(out.toFile()).start();
    boolean exited = p.waitFor(60, TimeUnit.SECONDS);
    String log = Files.readString(out, StandardCharsets.UTF_8);
    if (!exited) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    Files.deleteIfExists(out);
    assertTrue(exited, "the JVM did not exit within 60 s after CallClient.close(); output:\n" + tail(log));
    assertEquals(0, p.exitValue(), "exit code; output:\n" + tail(log));
    assertTrue(log.contains("CALL OK Ended[reason=CLIENT_CLOSED"), "the call did not complete:\n" + tail(log));
  }

  private static String tail(String s) {
    List<String> lines = s.lines().toList();
    return String.join(File.separator.equals("/") ? "\n" : "\r\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }
}
