package dev.simplecall.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.samples.Main;
import java.io.File;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A third-party transport in a jar of its own (as {@code SIMPLECALL_CLASSPATH=JAR ./simplecall} adds
 * it): the CLI lists its scheme in {@code --help} and hands it a {@code --signaling} URI of that scheme.
 */
class TransportPluginTest {
  @TempDir Path dir;

  private Path pluginJar() throws Exception {
    Path src = dir.resolve("src/com/example/EchoTestTransportFactory.java");
    Files.createDirectories(src.getParent());
    Files.writeString(src, """
        package com.example;
        public final class EchoTestTransportFactory implements dev.simplecall.spi.SignalingTransportFactory {
          public EchoTestTransportFactory() {}
          @Override public java.util.Set<String> schemes() { return java.util.Set.of("echo-test"); }
          @Override public dev.simplecall.spi.SignalingTransport create(java.net.URI endpoint,
              dev.simplecall.spi.TransportOptions options, dev.simplecall.spi.SignalingTransport.Listener listener) {
            throw new IllegalArgumentException("the echo-test plugin was asked for " + endpoint);
          }
        }
        """);
    Path classes = dir.resolve("classes");
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    StringWriter log = new StringWriter();
    boolean ok = javac.getTask(log, null, null, List.of("-cp", cp, "-d", classes.toString()), null,
        javac.getStandardFileManager(null, null, null).getJavaFileObjects(src)).call();
    assertTrue(ok, log.toString());
    Path jar = dir.resolve("echo-test-transport.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new JarEntry("com/example/EchoTestTransportFactory.class"));
      out.write(Files.readAllBytes(classes.resolve("com/example/EchoTestTransportFactory.class")));
      out.putNextEntry(new JarEntry("META-INF/services/dev.simplecall.spi.SignalingTransportFactory"));
      out.write("com.example.EchoTestTransportFactory\n".getBytes(StandardCharsets.UTF_8));
    }
    return jar;
  }

  private static String[] run(ClassLoader loader, String... args) {
    Thread t = Thread.currentThread();
    ClassLoader old = t.getContextClassLoader();
    t.setContextClassLoader(loader);
    try {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code = Main.run(args, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
      return new String[] {String.valueOf(code), out.toString(), err.toString()};
    } finally {
      t.setContextClassLoader(old);
    }
  }

  @Test
  void aTransportJarOnTheClassPathIsListedAndUsed() throws Exception {
    String[] without = run(Thread.currentThread().getContextClassLoader(), "peer", "--help");
    assertFalse(without[1].contains("echo-test"), without[1]);
    assertTrue(without[1].replaceAll("\\s+", " ").contains("Schemes found: http, https, memory, mqtt, mqtts, ws, wss"), without[1]);

    try (URLClassLoader plugin = new URLClassLoader(new URL[] {pluginJar().toUri().toURL()},
        Thread.currentThread().getContextClassLoader())) {
      String[] help = run(plugin, "peer", "--help");
      assertEquals("0", help[0]);
      assertTrue(help[1].replaceAll("\\s+", " ").contains("echo-test, http"), help[1]);

      String[] call = run(plugin, "peer", "--signaling", "echo-test://device-7", "--room", "r1", "--id", "alice",
          "--join-timeout", "2s");
      assertEquals(String.valueOf(ExitCodes.SIGNALING), call[0], call[1] + call[2]);
      assertTrue((call[1] + call[2]).contains("the echo-test plugin was asked for echo-test://device-7"), call[1] + call[2]);
    }
  }
}
