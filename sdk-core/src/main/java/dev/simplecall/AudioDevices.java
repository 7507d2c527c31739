package dev.simplecall;

import dev.simplecall.internal.audio.PulseDevices;
import dev.simplecall.internal.audio.SoundServer;
import java.io.IOException;
import java.util.List;

/**
 * The sound server's microphones and speakers. Safe on any machine: nothing native is loaded, and
 * without a sound server {@link #list()} throws with the reason instead of aborting the JVM.
 *
 * <pre>{@code
 * if (AudioDevices.unavailableReason() == null) {
 *   AudioDevice mic = AudioDevices.find(AudioDevice.Type.CAPTURE, "USB Headset");
 * }
 * }</pre>
 */
public final class AudioDevices {
  private AudioDevices() {}

  /**
   * {@code null} when a sound server (PulseAudio, or PipeWire's PulseAudio service) answers; else why
   * not, e.g. "no sound server: PulseAudio not running (nothing answers at /run/user/1000/pulse/native)".
   *
   * @return {@code null} when microphones and speakers can be used, else the reason they cannot
   */
  public static String unavailableReason() {
    return SoundServer.unavailableReason();
  }

  /**
   * Capture devices, then playout devices, as the sound server names them, the defaults marked.
   *
   * @return the sources (monitors of outputs included), then the sinks, each with its system name and
   *     description; a new list on every call
   * @throws IOException no sound server, or {@code pactl} (Debian {@code pulseaudio-utils}) missing
   */
  public static List<AudioDevice> list() throws IOException {
    String reason = SoundServer.unavailableReason();
    if (reason != null) throw new IOException(reason);
    return PulseDevices.list();
  }

  /**
   * The device of {@code type} whose system name or description is {@code nameOrDescription}, or the
   * default for {@code null}.
   *
   * @param type {@link AudioDevice.Type#CAPTURE} for a microphone, {@link AudioDevice.Type#PLAYOUT} for a
   *     speaker
   * @param nameOrDescription a system name or description, compared exactly (a system name wins over
   *     another device's equal description); {@code null}: the default, else the first of that type
   * @return the device
   * @throws IllegalArgumentException no such device; the message lists the devices there are
   * @throws IOException as {@link #list()}
   */
  public static AudioDevice find(AudioDevice.Type type, String nameOrDescription) throws IOException {
    return PulseDevices.find(list(), type, nameOrDescription);
  }
}
