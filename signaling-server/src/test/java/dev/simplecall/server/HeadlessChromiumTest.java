package dev.simplecall.server;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without a working Chromium the browser tests fail, with a message naming the Debian packages. */
class HeadlessChromiumTest {
  @Test
  void missingChromiumFailsNamingThePackages() {
    AssertionError e = assertThrows(AssertionError.class,
        () -> HeadlessChromium.launch("x", Path.of("/nonexistent/chromium"), HeadlessChromium.CHROMEDRIVER));
    assertTrue(e.getMessage().contains("chromium chromium-driver"), e.getMessage());
    assertTrue(e.getMessage().contains("/nonexistent/chromium"), e.getMessage());
  }

  @Test
  void chromiumThatCannotStartFailsNamingThePackages(@TempDir Path dir) throws IOException {
    Path broken = dir.resolve("chromium");
    Files.writeString(broken, "#!/bin/sh\nexit 1\n");
    Files.setPosixFilePermissions(broken, PosixFilePermissions.fromString("rwx------"));
    AssertionError e = assertThrows(AssertionError.class,
        () -> HeadlessChromium.launch("x", broken, HeadlessChromium.CHROMEDRIVER));
    assertTrue(e.getMessage().startsWith("could not start headless Chromium"), e.getMessage());
    assertTrue(e.getMessage().contains("chromium chromium-driver"), e.getMessage());
  }
}
