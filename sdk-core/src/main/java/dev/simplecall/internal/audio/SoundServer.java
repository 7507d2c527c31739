package dev.simplecall.internal.audio;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds out whether a PulseAudio server (or PipeWire's PulseAudio service) answers, without loading
 * native audio code. This must run before webrtc-java's platform {@code AudioDeviceModule} is made:
 * in 0.14.0 its constructor aborts the whole JVM ({@code adm_helpers.cc Check failed: 0 ==
 * adm->Init()}) when no sound server exists, so an exception is not an option.
 *
 * <p>Two checks: something accepts a connection on the server's socket (as libpulse finds it:
 * {@code PULSE_SERVER}, then {@code $XDG_RUNTIME_DIR/pulse/native}, then the system socket), and,
 * when {@code pactl} is installed, {@code pactl info} succeeds (the same library, auth cookie
 * included, as the audio module will use).
 */
public final class SoundServer {
  private SoundServer() {}

  /** {@code null} when a sound server answers, else why not, starting "no sound server: ". */
  public static String unavailableReason() {
    String server = System.getenv("PULSE_SERVER");
    List<String> tried = new ArrayList<>();
    boolean answered = false;
    if (server != null && !server.isBlank()) {
      answered = tryServerString(server.trim(), tried);
    } else {
      for (Path p : candidateSockets()) {
        tried.add(p.toString());
        if (Files.exists(p) && connects(p)) {
          answered = true;
          break;
        }
      }
    }
    if (!answered) {
      return "no sound server: PulseAudio not running (nothing answers at " + String.join(", ", tried) + ")";
    }
    if (Pactl.installed()) {
      try {
        Pactl.run("info");
      } catch (IOException e) {
        return "no sound server: PulseAudio socket answers but 'pactl info' fails: " + e.getMessage();
      }
    }
    return null;
  }

  private static List<Path> candidateSockets() {
    List<Path> paths = new ArrayList<>();
    String runtime = System.getenv("XDG_RUNTIME_DIR");
    if (runtime != null && !runtime.isBlank()) paths.add(Path.of(runtime, "pulse", "native"));
    String pulseRuntime = System.getenv("PULSE_RUNTIME_PATH");
    if (pulseRuntime != null && !pulseRuntime.isBlank()) paths.add(0, Path.of(pulseRuntime, "native"));
    paths.add(Path.of("/run/pulse/native"));
    paths.add(Path.of("/var/run/pulse/native"));
    return paths;
  }

  /** PULSE_SERVER may list several servers: {@code unix:/path}, {@code /path}, {@code tcp:host:port}, {@code host}. */
  private static boolean tryServerString(String server, List<String> tried) {
    for (String s : server.split("\\s+")) {
      tried.add(s);
      if (s.startsWith("{")) s = s.substring(s.indexOf('}') + 1);
      if (s.startsWith("unix:")) s = s.substring(5);
      if (s.startsWith("/")) {
        if (connects(Path.of(s))) return true;
        continue;
      }
      String hostPort = s.startsWith("tcp:") ? s.substring(4) : s.startsWith("tcp6:") ? s.substring(5) : s;
      int colon = hostPort.lastIndexOf(':');
      String host = colon > 0 && !hostPort.endsWith("]") ? hostPort.substring(0, colon) : hostPort;
      int port = 4713;
      try {
        if (colon > 0 && !hostPort.endsWith("]")) port = Integer.parseInt(hostPort.substring(colon + 1));
      } catch (NumberFormatException e) {
        continue;
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(host.replace("[", "").replace("]", ""), port), 1000);
        return true;
      } catch (IOException e) {
        // next
      }
    }
    return false;
  }

  private static boolean connects(Path socket) {
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(socket));
      return true;
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }
}
