package dev.simplecall.samples;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The README's "Maven coordinates" are what examples/consumer builds with (examples/consumer/run
 * builds it against a deployment and makes a call), and they name the version this build makes.
 */
@Tag("fast")
class MavenCoordinatesDocTest {
  private static final Path README = Path.of("..", "README.md");
  private static final Path CONSUMER_POM = Path.of("..", "examples", "consumer", "pom.xml");

  @Test
  void readmeCoordinatesAreTheConsumersDependencies() throws IOException {
    String block = readmeXmlBlock();
    String pom = Files.readString(CONSUMER_POM, StandardCharsets.UTF_8);

    assertTrue(unindented(pom).contains(unindented(block)),
        "the README's Maven coordinates block must appear, line for line, in " + CONSUMER_POM + ":\n" + block);
  }

  @Test
  void readmeCoordinatesNameTheBuildsVersion() throws IOException {
    String version = System.getProperty("simplecall.expectedVersion");
    assertNotNull(version, "surefire passes the POM's version as simplecall.expectedVersion");
    String readme = Files.readString(README, StandardCharsets.UTF_8);

    assertTrue(readmeXmlBlock().contains("<version>" + version + "</version>"), "the BOM version in the README is " + version);
    assertTrue(readme.contains("Group `dev.simplecall`, version `" + version + "`"), "the README's coordinates line names " + version);
  }

  /** The first {@code ```xml} block after the "### Maven coordinates" heading. */
  private static String readmeXmlBlock() throws IOException {
    String readme = Files.readString(README, StandardCharsets.UTF_8);
    int section = readme.indexOf("\n### Maven coordinates\n");
    assertTrue(section >= 0, "README.md has a \"### Maven coordinates\" section");
    int start = readme.indexOf("```xml\n", section);
    assertTrue(start >= 0, "the Maven coordinates section has an xml block");
    start += "```xml\n".length();
    return readme.substring(start, readme.indexOf("```", start));
  }

  /** Each line without its indentation, blank lines dropped: the README and the POM indent differently. */
  private static String unindented(String text) {
    return text.lines().map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.joining("\n"));
  }
}
