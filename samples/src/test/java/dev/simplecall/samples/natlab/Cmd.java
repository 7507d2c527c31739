package dev.simplecall.samples.natlab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs short system commands (ip, iptables, sysctl, ss) to completion with a bound.
 *
 * <p>stdout and stderr are merged so that a failure message carries everything the tool said.
 * {@code
 * Cmd.Result r = Cmd.run(Duration.ofSeconds(5), "ip", "netns", "list");
 * }
 */
final class Cmd {
  private Cmd() {}

  record Result(List<String> command, int exitCode, String output) {
    boolean ok() {
      return exitCode == 0;
    }

    /** Throws with the command and its output unless it exited 0. */
    Result check() {
      if (exitCode != 0) {
        throw new IllegalStateException("command failed (exit " + exitCode + "): "
            + String.join(" ", command) + "\n" + output.strip());
      }
      return this;
    }
  }

  static Result run(Duration timeout, String... command) {
    return run(timeout, Arrays.asList(command));
  }

  static Result run(Duration timeout, List<String> command) {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
    }
    // Drain on a helper thread so a chatty command cannot block on a full pipe.
    StringBuilder out = new StringBuilder();
    Thread drain = new Thread(() -> {
      try {
        out.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException ignored) {
        // the process was killed; what was read so far is kept
      }
    }, "natlab-cmd-drain");
    drain.setDaemon(true);
    drain.start();
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
        drain.join(1000);
        return new Result(List.copyOf(command), 124, out + "\n[killed after " + timeout + "]");
      }
      drain.join(5000);
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + String.join(" ", command), e);
    }
    return new Result(List.copyOf(command), p.exitValue(), out.toString());
  }

  /** Runs {@code command} inside network namespace {@code ns}. */
  static Result inNs(String ns, Duration timeout, String... command) {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    full.addAll(Arrays.asList(command));
    return run(timeout, full);
  }

  static Result ok(String... command) {
    return run(Duration.ofSeconds(20), command).check();
  }

  static Result okInNs(String ns, String... command) {
    return inNs(ns, Duration.ofSeconds(20), command).check();
  }
}
