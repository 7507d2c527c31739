package dev.simplecall.samples.natlab;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Finds the system tools the lab drives, failing with the Debian package to install. */
final class Tools {
  private Tools() {}

  /** Throws naming {@code debianPackage} unless {@code tool} is on PATH (or in /usr/sbin, /sbin). */
  static void require(String tool, String debianPackage) {
    List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
    dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
    for (String dir : dirs) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
        return;
      }
    }
    throw new IllegalStateException("the NAT lab needs `" + tool + "`: install the Debian package "
        + debianPackage + " (sudo apt-get install -y " + debianPackage + "); ./scripts/test does this when run as root");
  }
}
