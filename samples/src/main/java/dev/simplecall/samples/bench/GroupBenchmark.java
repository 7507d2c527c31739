package dev.simplecall.samples.bench;

import dev.simplecall.AudioSource;
import dev.simplecall.CallClient;
import dev.simplecall.CallState;
import dev.simplecall.CallStats;
import dev.simplecall.MediaOptions;
import dev.simplecall.Participant;
import dev.simplecall.RoomOptions;
import dev.simplecall.RoomSession;
import dev.simplecall.SessionOptions;
import dev.simplecall.VideoSource;
import dev.simplecall.server.SignalingServer;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * What a group call costs each member as the room grows: N members (each its own client and engine)
 * in one JVM, in one room of an embedded signaling server over WebSocket, each sending a 320x240@15 test
 * pattern and a tone. Once every member is connected to every other (and 3 s more), the process's CPU
 * time over the window is divided by N; each member's sent and received bitrates are the sums over its
 * connections at the window's end. One line per size:
 *
 * <pre>GROUP members=4 cpu_per_member=18.2% up_kbps=610 down_kbps=605 fps_min=14.9 recv_width=160</pre>
 *
 * <p>{@link #runProcesses} measures the same with each member a {@code simplecall peer --group} process of
 * its own: each process's CPU time over the window (from {@code /proc} through {@link ProcessHandle}),
 * the bitrates from its RESULT line.
 */
public final class GroupBenchmark {
  private GroupBenchmark() {}

  public static String run(int size, Duration window) throws Exception {
    if (size < 2 || size > RoomOptions.MESH_LIMIT) throw new IllegalArgumentException("2.." + RoomOptions.MESH_LIMIT + ": " + size);
    MediaOptions media = MediaOptions.builder().video(VideoSource.testPattern(320, 240, 15))
        .audio(AudioSource.tone(440)).build();
    List<CallClient> clients = new ArrayList<>();
    List<RoomSession> rooms = new ArrayList<>();
    try (SignalingServer server = SignalingServer.builder().bind("127.0.0.1").port(0).build().start()) {
      URI ws = URI.create("ws://127.0.0.1:" + server.port() + "/v1/ws");
      String room = "bench" + size;
      for (int i = 0; i < size; i++) {
        CallClient c = CallClient.builder().media(media).build();
        clients.add(c);
        SessionOptions s = SessionOptions.builder().signaling(ws).room(room).peerId("m" + i).build();
        rooms.add(c.joinRoom(RoomOptions.builder().session(s).build(), new RoomSession.Listener() {}));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!allConnected(rooms, size - 1)) {
        if (System.nanoTime() > deadline) return "GROUP members=" + size + " not all connected within 60 s";
        Thread.sleep(100);
      }
      Thread.sleep(3000);
      long cpu0 = cpuNanos();
      long t0 = System.nanoTime();
      Thread.sleep(window.toMillis());
      long cpu1 = cpuNanos();
      long t1 = System.nanoTime();
      double up = 0;
      double down = 0;
      double fpsMin = Double.MAX_VALUE;
      int width = 0;
      for (RoomSession r : rooms) {
        for (Participant p : r.participants()) {
          CallStats st = p.stats().get(5, TimeUnit.SECONDS);
          up += st.bitrateOutBps();
          down += st.bitrateInBps();
          fpsMin = Math.min(fpsMin, st.fps());
          width = Math.max(width, st.width());
        }
      }
      double cpuPerMember = 100.0 * (cpu1 - cpu0) / (t1 - t0) / size;
      return String.format(Locale.ROOT, "GROUP members=%d cpu_per_member=%.1f%% up_kbps=%.0f down_kbps=%.0f fps_min=%.1f"
          + " recv_width=%d", size, cpuPerMember, up / size / 1000, down / size / 1000, fpsMin, width);
    } finally {
      for (RoomSession r : rooms) r.leave();
      for (CallClient c : clients) c.close();
    }
  }

  /** N {@code simplecall peer --group} processes (this JVM's class path) in one room of an embedded server. */
  public static String runProcesses(int size, Duration window) throws Exception {
    if (size < 2 || size > RoomOptions.MESH_LIMIT) throw new IllegalArgumentException("2.." + RoomOptions.MESH_LIMIT + ": " + size);
    List<Process> members = new ArrayList<>();
    List<List<String>> outputs = new ArrayList<>();
    try (SignalingServer server = SignalingServer.builder().bind("127.0.0.1").port(0).build().start()) {
      String ws = "ws://127.0.0.1:" + server.port() + "/v1/ws";
      long streamSeconds = window.toSeconds() + 8; // 3 s settling, the window, and room for the slowest to connect
      for (int i = 0; i < size; i++) {
        List<String> cmd = List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
            System.getProperty("java.class.path"), "dev.simplecall.samples.Main", "peer", "--group", "--peers",
            String.valueOf(size), "--signaling", ws, "--room", "procs" + size, "--id", "m" + i, "--duration",
            streamSeconds + "s", "--video", "320x240@15", "--wait", "60s");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        members.add(p);
        List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
        outputs.add(lines);
        Thread reader = new Thread(() -> {
          try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()))) {
            for (String l = in.readLine(); l != null; l = in.readLine()) lines.add(l);
          } catch (java.io.IOException e) {
            // the process ended
          }
        }, "bench-member-" + i);
        reader.setDaemon(true);
        reader.start();
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (!allSaid(outputs, "connected to all ")) {
        if (System.nanoTime() > deadline) return "GROUP processes=" + size + " not all connected within 90 s";
        Thread.sleep(100);
      }
      Thread.sleep(3000);
      long[] cpu0 = new long[size];
      for (int i = 0; i < size; i++) cpu0[i] = cpuNanos(members.get(i));
      long t0 = System.nanoTime();
      Thread.sleep(window.toMillis());
      long t1 = System.nanoTime();
      double cpu = 0;
      for (int i = 0; i < size; i++) cpu += cpuNanos(members.get(i)) - cpu0[i];
      double up = 0;
      double down = 0;
      for (int i = 0; i < size; i++) {
        if (!members.get(i).waitFor(streamSeconds + 60, TimeUnit.SECONDS)) return "GROUP processes=" + size + " m" + i + " did not end";
        String result = last(outputs.get(i));
        if (!result.contains(" ok=true ")) return "GROUP processes=" + size + " m" + i + ": " + result;
        up += number(result, "up_kbps");
        down += number(result, "down_kbps");
      }
      return String.format(Locale.ROOT, "GROUP processes=%d cpu_per_member=%.1f%% up_kbps=%.0f down_kbps=%.0f", size,
          100.0 * cpu / (t1 - t0) / size, up / size, down / size);
    } finally {
      for (Process p : members) p.destroyForcibly();
    }
  }

  private static boolean allSaid(List<List<String>> outputs, String prefix) {
    for (List<String> lines : outputs) {
      synchronized (lines) {
        if (lines.stream().noneMatch(l -> l.startsWith(prefix))) return false;
      }
    }
    return true;
  }

  private static String last(List<String> lines) {
    synchronized (lines) {
      return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }
  }

  private static double number(String result, String key) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile(" " + key + "=(-?[\\d.]+)").matcher(result);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  /** A child process's CPU time so far. */
  private static long cpuNanos(Process p) {
    return p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
  }

  private static boolean allConnected(List<RoomSession> rooms, int others) {
    for (RoomSession r : rooms) {
      int n = 0;
      for (Participant p : r.participants()) if (p.state() == CallState.CONNECTED) n++;
      if (n < others) return false;
    }
    return true;
  }

  /** CPU time of this whole process (every thread, native ones included). */
  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }
}
