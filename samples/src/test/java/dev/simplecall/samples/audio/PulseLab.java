package dev.simplecall.samples.audio;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A private PulseAudio daemon for tests: its own runtime directory and socket under a temp dir
 * (never a user's session), anonymous auth, and virtual devices made of null sinks. Per person
 * {@code P}: a speaker {@code P_spk} (record it from {@code P_spk.monitor}) and a microphone
 * {@code P_mic}, a remap source over the monitor of a null sink {@code P_in} (play into it with
 * {@code paplay -d P_in}).
 */
final class PulseLab implements AutoCloseable {
  /** Executable, Debian package. */
  private static final String[][] TOOLS = {
      {"pulseaudio", "pulseaudio"}, {"pactl", "pulseaudio-utils"}, {"paplay", "pulseaudio-utils"},
      {"parec", "pulseaudio-utils"}, {"espeak-ng", "espeak-ng"}};

  final Path dir;
  private final Process daemon;
  private final Path log;

  private PulseLab(Path dir, Process daemon, Path log) {
    this.dir = dir;
    this.daemon = daemon;
    this.log = log;
  }

  /** Fails with the Debian package's name when a tool is missing (never a skip). */
  static void requireTools() {
    List<String> missing = new ArrayList<>();
    for (String[] t : TOOLS) if (!onPath(t[0])) missing.add(t[0] + " (Debian package " + t[1] + ")");
    if (!missing.isEmpty()) {
      throw new AssertionError("missing " + String.join(", ", missing)
          + ": apt-get install pulseaudio pulseaudio-utils espeak-ng (scripts/deps.sh TEST_PACKAGES)");
    }
  }

  static PulseLab start(Path dir, String... people) throws Exception {
    requireTools();
    Files.createDirectories(dir.resolve("pulse"));
    dir.toFile().setReadable(true, true);
    Path log = dir.resolve("pulseaudio.log");
    ProcessBuilder pb = new ProcessBuilder("pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1",
        "--use-pid-file=no", "--disallow-exit", "--log-target=stderr",
        "--load=module-native-protocol-unix auth-anonymous=1 socket=" + dir.resolve("pulse/native"));
    pb.environment().putAll(baseEnv(dir));
    pb.environment().remove("PULSE_SERVER");
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    Process p = pb.start();
    PulseLab lab = new PulseLab(dir, p, log);
    try {
      try {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
          if (!p.isAlive()) throw new AssertionError("pulseaudio exited " + p.exitValue() + ":\n" + lab.daemonLog());
          return Files.exists(dir.resolve("pulse/native")) && lab.tryRun("pactl", "info") != null;
        });
      } catch (ConditionTimeoutException e) {
        throw new AssertionError("pulseaudio did not answer in 20 s:\n" + lab.daemonLog(), e);
      }
      for (String who : people) {
        lab.run("pactl", "load-module", "module-null-sink", "sink_name=" + who + "_spk",
            "sink_properties=device.description=" + who + "_speaker");
        lab.run("pactl", "load-module", "module-null-sink", "sink_name=" + who + "_in",
            "sink_properties=device.description=" + who + "_in");
        lab.run("pactl", "load-module", "module-remap-source", "master=" + who + "_in.monitor",
            "source_name=" + who + "_mic", "source_properties=device.description=" + who + "_microphone");
      }
      return lab;
    } catch (Throwable t) {
      lab.close();
      throw t;
    }
  }

  /** Environment for every client of this daemon: no path into a user session. */
  Map<String, String> env() {
    Map<String, String> env = baseEnv(dir);
    env.put("PULSE_SERVER", "unix:" + dir.resolve("pulse/native"));
    return env;
  }

  private static Map<String, String> baseEnv(Path dir) {
    Map<String, String> env = new java.util.HashMap<>();
    env.put("HOME", dir.toString());
    env.put("XDG_RUNTIME_DIR", dir.toString());
    env.put("XDG_CONFIG_HOME", dir.resolve("config").toString());
    env.put("PULSE_RUNTIME_PATH", dir.resolve("pulse").toString());
    return env;
  }

  /** Runs a client command against this daemon; throws with its output when it fails. */
  String run(String... cmd) throws IOException, InterruptedException {
    String out = tryRun(cmd);
    if (out == null) throw new AssertionError(String.join(" ", cmd) + " failed:\n" + lastFailure);
    return out;
  }

  private String lastFailure = "";

  private String tryRun(String... cmd) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(env());
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      lastFailure = "timeout";
      return null;
    }
    String text = new String(out, StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      lastFailure = "exit " + p.exitValue() + ": " + text;
      return null;
    }
    return text;
  }

  /** Starts a client process against this daemon (paplay, parec). */
  Process spawn(String... cmd) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().putAll(env());
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    return pb.start();
  }

  String daemonLog() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static boolean onPath(String exe) {
    for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
      if (new File(d, exe).canExecute()) return true;
    }
    return false;
  }

  @Override
  public void close() throws InterruptedException {
    daemon.destroy();
    if (!daemon.waitFor(10, TimeUnit.SECONDS)) daemon.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }
}
