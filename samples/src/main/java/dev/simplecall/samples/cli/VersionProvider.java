package dev.simplecall.samples.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code simplecall --version}: the version this build was made as, from {@code version.properties},
 * which Maven fills in from the POM (so no version string lives in the code).
 *
 * <pre>{@code
 * $ simplecall --version
 * simplecall 0.1.0-SNAPSHOT
 * }</pre>
 */
public final class VersionProvider implements IVersionProvider {
  /** The build's version, e.g. {@code 0.1.0-SNAPSHOT}; fails when the resource was not filled in. */
  public static String version() throws IOException {
    try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
      if (in == null) throw new IOException("version.properties is missing from the samples jar");
      Properties p = new Properties();
      p.load(in);
      String v = p.getProperty("version");
      if (v == null || v.isEmpty() || v.startsWith("${")) {
        throw new IOException("version.properties was not filled in by the build: " + v);
      }
      return v;
    }
  }

  @Override
  public String[] getVersion() throws IOException {
    return new String[] {"simplecall " + version()};
  }
}
