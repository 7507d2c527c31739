package dev.simplecall.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.simplecall.samples.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code --version} says the version Maven built, not a string kept in the code. */
@Tag("fast")
class VersionOptionTest {
  @Test
  void versionPrintsThePomVersion() {
    String expected = System.getProperty("simplecall.expectedVersion");
    assertNotNull(expected, "surefire passes the POM's version as simplecall.expectedVersion");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int code = Main.run(new String[] {"--version"}, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));

    assertEquals(0, code, err.toString());
    assertEquals("simplecall " + expected, out.toString().strip());
  }
}
