package dev.simplecall;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An app module that {@code requires dev.simplecall} sees the API and the SPI, and cannot import
 * anything under {@code dev.simplecall.internal}: compiled here with javac on the module path.
 */
class ModuleEncapsulationTest {
  @TempDir Path dir;

  private String modulePath() {
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> keep = new ArrayList<>();
    for (String e : cp.split(File.pathSeparator)) {
      String n = e.replace('\\', '/');
      boolean sdkClasses = n.endsWith("sdk-core/target/classes") || n.endsWith("simplecall-protocol/target/classes");
      boolean dep = n.endsWith(".jar") && (n.contains("/simplecall-protocol") || n.contains("/webrtc-java")
          || n.contains("/moshi") || n.contains("/okio") || n.contains("/kotlin-stdlib") || n.contains("/slf4j-api"));
      if (sdkClasses || dep) keep.add(e);
    }
    return keep.stream().collect(Collectors.joining(File.pathSeparator));
  }

  private String compile(String imports) throws IOException {
    Path src = dir.resolve("src-" + Math.abs(imports.hashCode()));
    Files.createDirectories(src.resolve("app"));
    Files.writeString(src.resolve("module-info.java"), "module app { requires dev.simplecall; }");
    Files.writeString(src.resolve("app/App.java"), "package app;\n" + imports + "\npublic class App {}\n");
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter out = new StringWriter();
    int rc = javac.getTask(out, null, null, List.of("--module-path", modulePath(), "-d", dir.resolve("out").toString(),
        "-proc:none"), null, javac.getStandardFileManager(null, null, null)
        .getJavaFileObjects(src.resolve("module-info.java"), src.resolve("app/App.java"))).call() ? 0 : 1;
    return rc == 0 ? "" : out.toString();
  }

  @Test
  void anAppModuleSeesTheApiAndTheSpiButNotInternal() throws IOException {
    String ok = compile("import dev.simplecall.CallClient;\nimport dev.simplecall.spi.SignalingTransportFactory;\n"
        + "import dev.simplecall.protocol.Envelope;");
    assertTrue(ok.isEmpty(), "the public API must compile:\n" + ok);
    String refused = compile("import dev.simplecall.internal.CallController;");
    assertFalse(refused.isEmpty(), "internal was importable");
    assertTrue(refused.contains("is not visible") || refused.contains("does not export"), refused);
  }
}
