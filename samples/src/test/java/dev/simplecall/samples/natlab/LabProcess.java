package dev.simplecall.samples.natlab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A long-running process started inside a lab namespace (coturn, the signaling server, a peer).
 *
 * <p>Its merged stdout/stderr is collected line by line by a daemon thread; tests wait for a line
 * or for the exit with a bound. {@link #close()} kills it (TERM, then KILL) and is idempotent.
 * {@code
 * try (LabProcess p = lab.spawn(lab.publicNs(), "coturn", cmd)) {
 *   p.awaitLine(l -> l.contains("Total General servers"), Duration.ofSeconds(10));
 * }
 * }
 */
final class LabProcess implements AutoCloseable {
  private final String label;
  private final Process process;
  private final Thread reader;
  /** Guarded by itself; appended by the reader thread, read by test threads. */
  private final List<String> lines = new ArrayList<>();
  /** {@link System#nanoTime} when each line was read; guarded by {@link #lines}. */
  private final List<Long> readAt = new ArrayList<>();

  /** A line of output and when it was read ({@link System#nanoTime}). */
  record TimedLine(long nanos, String text) {}

  LabProcess(String label, List<String> command) {
    this.label = Objects.requireNonNull(label, "label == null");
    try {
      this.process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + label + ": " + String.join(" ", command), e);
    }
    reader = new Thread(this::readLines, "natlab-out-" + label);
    reader.setDaemon(true);
    reader.start();
  }

  private void readLines() {
    try (BufferedReader r = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        long now = System.nanoTime();
        synchronized (lines) {
          lines.add(line);
          readAt.add(now);
          lines.notifyAll();
        }
      }
    } catch (IOException ignored) {
      // process killed: keep what was read
    } finally {
      synchronized (lines) {
        lines.notifyAll();
      }
    }
  }

  String label() {
    return label;
  }

  long pid() {
    return process.pid();
  }

  /** Waits until a line matches; returns it, or null when the bound passes or the output ends. */
  String awaitLine(Predicate<String> match, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    int seen = 0;
    synchronized (lines) {
      while (true) {
        for (; seen < lines.size(); seen++) {
          if (match.test(lines.get(seen))) {
            return lines.get(seen);
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0 || (!reader.isAlive() && seen == lines.size())) {
          return null;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(lines, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return null;
        }
      }
    }
  }

  /** Waits for the exit and the end of its output; returns the exit code or null on timeout. */
  Integer awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        return null;
      }
      reader.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
    return process.exitValue();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  List<String> lines() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  List<TimedLine> timedLines() {
    synchronized (lines) {
      List<TimedLine> out = new ArrayList<>(lines.size());
      for (int i = 0; i < lines.size(); i++) out.add(new TimedLine(readAt.get(i), lines.get(i)));
      return out;
    }
  }

  String output() {
    return String.join("\n", lines());
  }

  /** The last {@code n} lines, for failure messages. */
  String tail(int n) {
    List<String> all = lines();
    return String.join("\n", all.subList(Math.max(0, all.size() - n), all.size()));
  }

  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
