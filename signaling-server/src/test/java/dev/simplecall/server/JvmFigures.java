package dev.simplecall.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Memory figures of this JVM (server and test clients together), for the corpora's summary lines. */
public final class JvmFigures {
  private JvmFigures() {}

  /** Used heap, bytes. */
  public static long heapUsed() {
    Runtime r = Runtime.getRuntime();
    return r.totalMemory() - r.freeMemory();
  }

  /** VmRSS of this JVM, which runs the server, in KiB. */
  public static long rssKib() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
    throw new IOException("no VmRSS in /proc/self/status");
  }
}
