package dev.simplecall.internal.audio;

import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.Moshi;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs PulseAudio's {@code pactl} (Debian package {@code pulseaudio-utils}; PipeWire desktops
 * ship it too). Used where webrtc-java 0.14.0 falls short: it reports devices by description only,
 * and its device selection does not work on PulseAudio (see {@link PulseRouter}).
 */
public final class Pactl {
  static final String PACKAGE = "pulseaudio-utils";
  private static final long TIMEOUT_SECONDS = 5;
  private static final JsonAdapter<Object> JSON = new Moshi.Builder().build().adapter(Object.class);

  private Pactl() {}

  /** Whether {@code pactl} is on the PATH. */
  public static boolean installed() {
    String path = System.getenv("PATH");
    if (path == null) return false;
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && new File(dir, "pactl").canExecute()) return true;
    }
    return false;
  }

  /** Runs {@code pactl ARGS}, returns stdout; IOException with stderr when it fails or hangs. */
  static String run(String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add("pactl");
    cmd.addAll(List.of(args));
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
    } catch (IOException e) {
      throw new IOException("cannot run pactl (Debian package " + PACKAGE + "): " + e.getMessage(), e);
    }
    try {
      p.getOutputStream().close();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      Thread errReader = new Thread(() -> copy(p.getErrorStream(), err), "pactl-stderr");
      errReader.setDaemon(true);
      errReader.start();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      copy(p.getInputStream(), out);
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("pactl " + String.join(" ", args) + " did not finish in " + TIMEOUT_SECONDS + " s");
      }
      errReader.join(1000);
      if (p.exitValue() != 0) {
        throw new IOException("pactl " + String.join(" ", args) + " exited " + p.exitValue() + ": "
            + err.toString(StandardCharsets.UTF_8).trim());
      }
      return out.toString(StandardCharsets.UTF_8);
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running pactl", e);
    }
  }

  /** {@code pactl -f json list WHAT} as a list of JSON objects. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> listJson(String what) throws IOException {
    String text = run("-f", "json", "list", what);
    Object parsed = JSON.fromJson(text.isBlank() ? "[]" : text);
    if (!(parsed instanceof List<?> list)) throw new IOException("pactl list " + what + ": not a JSON array");
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object o : list) if (o instanceof Map<?, ?> m) out.add((Map<String, Object>) m);
    return out;
  }

  /** A value from {@code pactl info}, e.g. "Default Source"; {@code null} when absent or unset. */
  static String info(String key) throws IOException {
    for (String line : run("info").split("\n")) {
      if (line.startsWith(key + ": ")) {
        String v = line.substring(key.length() + 2).trim();
        return v.isEmpty() || v.equals("(null)") ? null : v;
      }
    }
    return null;
  }

  static String str(Map<String, Object> m, String key) {
    Object v = m.get(key);
    return v == null ? null : v instanceof Double d && d == Math.rint(d) ? Long.toString(d.longValue()) : v.toString();
  }

  @SuppressWarnings("unchecked")
  static String property(Map<String, Object> m, String key) {
    Object props = m.get("properties");
    if (!(props instanceof Map<?, ?> p)) return null;
    Object v = ((Map<String, Object>) p).get(key);
    return v == null ? null : v.toString();
  }

  private static void copy(InputStream in, ByteArrayOutputStream out) {
    try (in) {
      in.transferTo(out);
    } catch (IOException e) {
      // the process ended or was killed; what was read is kept
    }
  }
}
