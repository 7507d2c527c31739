package dev.simplecall.samples;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code dev.simplecall.samples.Main} in a child JVM with the test classpath: what a user gets from
 * {@code ./simplecall}, with its real exit code and stdout. Output lines are collected by daemon
 * reader threads; {@link #awaitLine} waits for one with a bound.
 */
public final class ChildJvm implements AutoCloseable {
  private final Process process;
  private final List<String> out = new CopyOnWriteArrayList<>();
  private final List<String> err = new CopyOnWriteArrayList<>();
  private final BlockingQueue<String> outQueue = new LinkedBlockingQueue<>();
  private final List<Thread> readers = new ArrayList<>();

  private ChildJvm(Process process, String name) {
    this.process = process;
    pump(process.getInputStream(), out, outQueue, name + "-out");
    pump(process.getErrorStream(), err, null, name + "-err");
  }

  public static ChildJvm start(String name, Map<String, String> env, String... args) throws IOException {
    return startMain(name, "dev.simplecall.samples.Main", env, args);
  }

  /** Like {@link #start}, with another main class from the test class path. */
  public static ChildJvm startMain(String name, String mainClass, Map<String, String> env, String... args)
      throws IOException {
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx256m");
    cmd.add("-cp");
    cmd.add(cp.replace(File.pathSeparatorChar == ':' ? ";" : ":", File.pathSeparator));
    cmd.add(mainClass);
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().keySet().removeIf(k -> k.startsWith("SIMPLECALL_"));
    pb.environment().putAll(env);
    return new ChildJvm(pb.start(), name);
  }

  private void pump(InputStream in, List<String> lines, BlockingQueue<String> queue, String name) {
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          lines.add(line);
          if (queue != null) queue.add(line);
        }
      } catch (IOException ignored) {
        // process gone
      }
    }, name);
    t.setDaemon(true);
    t.start();
    readers.add(t);
  }

  /**
   * Waits for a stdout line containing {@code text}, printed before or during the wait; returns it,
   * or null after {@code seconds}.
   */
  public String awaitLine(String text, long seconds) throws InterruptedException {
    for (String line : out) {
      if (line.contains(text)) return line;
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) return null;
      String line = outQueue.poll(left, TimeUnit.NANOSECONDS);
      if (line == null) return null;
      if (line.contains(text)) return line;
    }
  }

  /**
   * Like {@link #awaitLine(String, long)}, for a line after the first {@code skip} lines (take
   * {@code stdout().size()} before the action whose answer is awaited).
   */
  public String awaitLine(String text, int skip, long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    for (int i = skip; ; ) {
      for (; i < out.size(); i++) {
        if (out.get(i).contains(text)) return out.get(i);
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) return null;
      outQueue.poll(left, TimeUnit.NANOSECONDS); // wakes on the next line, which is in out by then
    }
  }

  /** Writes {@code line} and a newline to the child's stdin. */
  public void send(String line) throws IOException {
    OutputStream in = process.getOutputStream();
    in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
  }

  /** Waits for exit; returns the exit code, or -1 (after killing it) when it did not exit in time. */
  public int awaitExit(long seconds) throws InterruptedException {
    if (process.waitFor(seconds, TimeUnit.SECONDS)) {
      for (Thread t : readers) t.join(5000); // the rest of the output
      return process.exitValue();
    }
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    return -1;
  }

  public List<String> stdout() {
    return out;
  }

  public List<String> stderr() {
    return err;
  }

  public String describe() {
    return "stdout:\n  " + String.join("\n  ", out) + "\nstderr:\n  " + String.join("\n  ", err);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
