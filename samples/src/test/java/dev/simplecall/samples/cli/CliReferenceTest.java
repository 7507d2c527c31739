package dev.simplecall.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.simplecall.samples.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * docs/CLI.md holds the {@code --help} of every command exactly as the program prints it, so the
 * reference cannot go stale: this test renders it from the commands and compares. After changing a
 * command, rewrite the file with {@code mvn -pl samples -am verify -Dtest=CliReferenceTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dsimplecall.writeCliReference=true}.
 */
@Tag("fast")
class CliReferenceTest {
  private static final Path DOC = Path.of("..", "docs", "CLI.md");

  static String render() {
    StringBuilder md = new StringBuilder();
    md.append("# The `simplecall` command\n\n")
        .append("`./simplecall` at the repository root builds what is missing and runs this command line.\n")
        .append("Every option can also come from the environment (`SIMPLECALL_<OPTION>`, e.g. `SIMPLECALL_ROOM`;\n")
        .append("`SIMPLECALL_<COMMAND>_<OPTION>` for one command only) or from a properties file (`--config FILE`);\n")
        .append("the command line wins, then the environment, then the file.\n\n")
        .append("This file is generated from the commands themselves (`CliReferenceTest` fails when it differs).\n");
    List<String> commands = new ArrayList<>();
    commands.add("");
    commands.addAll(new CommandLine(new Main()).getSubcommands().keySet());
    for (String c : commands) {
      String title = c.isEmpty() ? "simplecall" : "simplecall " + c;
      md.append("\n## ").append(title).append("\n\n```\n$ ./").append(title).append(" --help\n")
          .append(help(c)).append("```\n");
    }
    return md.toString();
  }

  /**
   * The test class path of a reactor {@code mvn test} holds sdk-core's test classes directory, whose
   * service file registers test-only transports ({@code disco:}); the shipped CLI never sees them, so
   * the rendering hides every service registration that comes from a test classes directory.
   */
  private static final class ShippedServicesOnly extends ClassLoader {
    ShippedServicesOnly(ClassLoader parent) {
      super(parent);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
      List<URL> kept = new ArrayList<>();
      for (URL u : Collections.list(super.getResources(name))) {
        if (!name.startsWith("META-INF/services/") || !u.toString().contains("/target/test-classes/")) kept.add(u);
      }
      return Collections.enumeration(kept);
    }
  }

  private static String help(String command) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] args = command.isEmpty() ? new String[] {"--help"} : new String[] {command, "--help"};
    Thread t = Thread.currentThread();
    ClassLoader old = t.getContextClassLoader();
    t.setContextClassLoader(new ShippedServicesOnly(old));
    int code;
    try {
      code = Main.run(args, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
    } finally {
      t.setContextClassLoader(old);
    }
    assertEquals(0, code, command + " --help: " + err);
    String text = out.toString().replace("\r\n", "\n");
    return text.endsWith("\n") ? text : text + "\n";
  }

  @Test
  void docsCliMdIsTheHelpOfEveryCommand() throws IOException {
    String expected = render();
    if (Boolean.getBoolean("simplecall.writeCliReference")) Files.writeString(DOC, expected, StandardCharsets.UTF_8);
    String actual = Files.exists(DOC) ? Files.readString(DOC, StandardCharsets.UTF_8) : "";
    assertEquals(expected, actual, "docs/CLI.md is stale; rewrite it with -Dsimplecall.writeCliReference=true (see this test's Javadoc)");
  }
}
