package dev.simplecall.internal.audio;

import dev.simplecall.AudioDevice;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Lists the sound server's sources and sinks with their system names and descriptions, through
 * {@code pactl}. webrtc-java 0.14.0's own lists give descriptions only (and a null descriptor).
 */
public final class PulseDevices {
  private PulseDevices() {}

  /** Capture devices (sources, monitors included), then playout devices (sinks). */
  public static List<AudioDevice> list() throws IOException {
    if (!Pactl.installed()) {
      throw new IOException("listing audio devices needs pactl: install Debian package " + Pactl.PACKAGE);
    }
    String defaultSource = Pactl.info("Default Source");
    String defaultSink = Pactl.info("Default Sink");
    List<AudioDevice> out = new ArrayList<>();
    add(out, AudioDevice.Type.CAPTURE, Pactl.listJson("sources"), defaultSource);
    add(out, AudioDevice.Type.PLAYOUT, Pactl.listJson("sinks"), defaultSink);
    return out;
  }

  private static void add(List<AudioDevice> out, AudioDevice.Type type, List<Map<String, Object>> items, String def) {
    for (Map<String, Object> m : items) {
      String name = Pactl.str(m, "name");
      if (name == null) continue;
      String description = Pactl.str(m, "description");
      out.add(new AudioDevice(type, name, description == null ? name : description, name.equals(def)));
    }
  }

  /**
   * The device of {@code type} whose name or description is {@code nameOrDescription} (name wins),
   * or the default when it is {@code null}.
   *
   * @throws IllegalArgumentException naming the device and listing those there are
   */
  public static AudioDevice find(List<AudioDevice> all, AudioDevice.Type type, String nameOrDescription) {
    List<AudioDevice> ofType = all.stream().filter(d -> d.type() == type).toList();
    if (nameOrDescription == null) {
      for (AudioDevice d : ofType) if (d.isDefault()) return d;
      if (!ofType.isEmpty()) return ofType.get(0);
      throw new IllegalArgumentException("no " + label(type) + " at all on the sound server");
    }
    for (AudioDevice d : ofType) if (d.name().equals(nameOrDescription)) return d;
    for (AudioDevice d : ofType) if (d.description().equals(nameOrDescription)) return d;
    String there = ofType.isEmpty() ? "none" : ofType.stream()
        .map(d -> d.name() + " \"" + d.description() + "\"" + (d.isDefault() ? " (default)" : ""))
        .collect(Collectors.joining(", "));
    throw new IllegalArgumentException("no " + label(type) + " named \"" + nameOrDescription + "\"; there are: " + there);
  }

  private static String label(AudioDevice.Type type) {
    return type == AudioDevice.Type.CAPTURE ? "microphone" : "speaker";
  }
}
