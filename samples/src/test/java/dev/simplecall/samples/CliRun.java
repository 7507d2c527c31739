package dev.simplecall.samples;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

/** {@code simplecall peer ...} run in this JVM, as tests do to play members and peers without a process each. */
public final class CliRun {
  private CliRun() {}

  /**
   * Runs {@code simplecall peer ARGS}.
   *
   * @return its last line of output (the RESULT line); when it exited non-zero, followed by the exit
   *     code, its whole output and the end of its stderr, for an assertion message
   */
  public static String peer(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] all = new String[args.length + 1];
    all[0] = "peer";
    System.arraycopy(args, 0, all, 1, args.length);
    int code = Main.run(all, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
    List<String> lines = out.toString().lines().toList();
    String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    if (code == 0) return last;
    String e = err.toString();
    return last + " (exit " + code + ")\nstdout:\n" + out + "\nstderr:\n" + (e.length() > 3000 ? e.substring(e.length() - 3000) : e);
  }
}
