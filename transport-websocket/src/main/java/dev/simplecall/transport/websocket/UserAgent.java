package dev.simplecall.transport.websocket;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The {@code User-Agent} of every request this transport makes: {@code simplecall/VERSION}, where
 * VERSION is the one this module was built as. It comes from {@code version.properties}, which Maven
 * fills in from the POM, so no version string lives in the code.
 */
final class UserAgent {
  static final String VALUE = "simplecall/" + version();

  private UserAgent() {}

  private static String version() {
    try (InputStream in = UserAgent.class.getResourceAsStream("version.properties")) {
      if (in == null) throw new IllegalStateException("version.properties is missing from the transport-websocket jar");
      Properties p = new Properties();
      p.load(in);
      String v = p.getProperty("version");
      if (v == null || v.isEmpty() || v.startsWith("${")) {
        throw new IllegalStateException("version.properties of transport-websocket was not filled in by the build: " + v);
      }
      return v;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
