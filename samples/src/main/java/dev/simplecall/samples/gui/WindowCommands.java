package dev.simplecall.samples.gui;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Consumer;
import javax.swing.SwingUtilities;

/**
 * Picks typed one a line on the window's stdin ({@code simplecall gui --commands}), for tests and
 * scripts that cannot click:
 * <ul>
 *   <li>{@code video-file PATH}: what the video picker's File... entry does with the chooser's answer;
 *   <li>{@code pick video|mic|speaker LABEL}: selects that picker's entry, as a click on it does;
 *   <li>{@code devices}: prints the pickers' entries (the {@code devices: ...} line).
 * </ul>
 * Lines are read on the {@code simplecall-gui-commands} daemon thread and acted on on the EDT, in order.
 */
final class WindowCommands {
  private final DevicePanel devices;
  private final Consumer<String> say;
  private final Consumer<String> print;

  private WindowCommands(DevicePanel devices, Consumer<String> say, Consumer<String> print) {
    this.devices = devices;
    this.say = say;
    this.print = print;
  }

  /** Reads {@code in} until it ends; {@code say} shows and prints a line, {@code print} only prints it. */
  static void start(InputStream in, DevicePanel devices, Consumer<String> say, Consumer<String> print) {
    WindowCommands commands = new WindowCommands(devices, say, print);
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          String l = line.strip();
          if (!l.isEmpty()) SwingUtilities.invokeLater(() -> commands.run(l));
        }
      } catch (IOException e) {
        // stdin closed: no more commands
      }
    }, "simplecall-gui-commands");
    t.setDaemon(true);
    t.start();
  }

  /** One command, on the EDT. */
  private void run(String line) {
    String[] w = line.split(" ", 3);
    if (w[0].equals("video-file") && w.length > 1) {
      devices.useVideoFile(Path.of(line.substring("video-file ".length()).strip()));
    } else if (w[0].equals("pick") && w.length == 3) {
      if (!devices.pick(w[1], w[2])) say.accept("no entry \"" + w[2] + "\" in the " + w[1] + " picker");
    } else if (w[0].equals("devices") && w.length == 1) {
      print.accept(devices.describe());
    } else {
      say.accept("unknown command \"" + line + "\": video-file PATH, pick video|mic|speaker LABEL, devices");
    }
  }
}
