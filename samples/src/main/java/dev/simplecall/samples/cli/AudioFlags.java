package dev.simplecall.samples.cli;

import dev.simplecall.AudioDevice;
import dev.simplecall.AudioDevices;
import dev.simplecall.AudioSource;
import dev.simplecall.Speaker;
import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code --audio tone|mic[:DEVICE]|file:PATH.wav|none} and {@code --speaker[=DEVICE]}, shared by
 * {@code peer} and {@code gui} ({@code demo} keeps its tones: its two peers share one process, and
 * device routing is per process). Devices are checked before the call starts, so a typo
 * or a missing sound server is a usage error that says why (and lists the devices there are),
 * not a failed call.
 */
final class AudioFlags {
  /** The value syntax of --audio, as the help shows it. */
  static final String SYNTAX = "tone|mic[:DEVICE]|file:PATH.wav|none";

  /** What {@code --speaker} with no value stands for (picocli's fallback value). */
  static final String DEFAULT_SPEAKER = "@default";

  private AudioFlags() {}

  /** Parses {@code --audio}; {@code toneHz} is the tone for {@code tone}; a file loops. */
  static AudioSource audio(String text, double toneHz) {
    String t = text.trim();
    if (t.equalsIgnoreCase("tone")) return AudioSource.tone(toneHz);
    if (t.equalsIgnoreCase("none")) return AudioSource.none();
    if (t.equalsIgnoreCase("mic")) return AudioSource.microphone();
    if (t.regionMatches(true, 0, "mic:", 0, 4)) {
      String device = t.substring(4);
      if (device.isBlank()) throw usage("--audio mic:DEVICE needs a device name: \"" + text + "\"");
      return AudioSource.microphone(device);
    }
    if (t.regionMatches(true, 0, "file:", 0, 5)) {
      String path = t.substring(5);
      if (path.isBlank()) throw usage("--audio file:PATH.wav needs a path: \"" + text + "\"");
      try {
        return AudioSource.file(Path.of(path), true);
      } catch (IllegalArgumentException e) { // InvalidPathException too
        throw usage("--audio " + text + ": " + e.getMessage());
      }
    }
    throw usage("--audio expects tone, mic, mic:DEVICE, file:PATH.wav or none: \"" + text + "\"");
  }

  /** Applies {@code --audio-processing on|off} to a microphone; other sources are returned as they are. */
  static AudioSource processing(AudioSource audio, String onOff) {
    boolean on;
    if (onOff == null || onOff.equalsIgnoreCase("on")) on = true;
    else if (onOff.equalsIgnoreCase("off")) on = false;
    else throw usage("--audio-processing expects on or off: \"" + onOff + "\"");
    if (audio.kind() != AudioSource.Kind.MICROPHONE || on) return audio;
    return audio.newMicrophoneBuilder().echoCancellation(false).noiseSuppression(false).autoGainControl(false).build();
  }

  /** Parses {@code --speaker}: absent is none, no value the default, else a device. */
  static Speaker speaker(String value) {
    if (value == null) return Speaker.none();
    if (value.equals(DEFAULT_SPEAKER) || value.isBlank()) return Speaker.systemDefault();
    return Speaker.device(value);
  }

  /**
   * Checks that the sound server and the named devices exist when the flags need them.
   *
   * @throws CliException (usage) saying why not, listing the devices there are for an unknown one
   */
  static void check(AudioSource audio, Speaker speaker) {
    boolean mic = audio.kind() == AudioSource.Kind.MICROPHONE;
    if (!mic && !speaker.plays()) return;
    if (speaker.plays() && audio.kind() != AudioSource.Kind.MICROPHONE && audio.kind() != AudioSource.Kind.NONE) {
      throw usage("--speaker needs --audio mic[:DEVICE] or none (the sound server's audio module sends the "
          + "microphone, not a tone or a file)");
    }
    String reason = AudioDevices.unavailableReason();
    if (reason != null) throw usage((mic ? "--audio mic" : "--speaker") + ": " + reason);
    try {
      if (mic) AudioDevices.find(AudioDevice.Type.CAPTURE, audio.device());
      if (speaker.plays()) AudioDevices.find(AudioDevice.Type.PLAYOUT, speaker.device());
    } catch (IllegalArgumentException | IOException e) {
      throw usage((mic ? "--audio" : "--speaker") + ": " + e.getMessage());
    }
  }

  private static CliException usage(String message) {
    return new CliException(ExitCodes.USAGE, message);
  }
}
