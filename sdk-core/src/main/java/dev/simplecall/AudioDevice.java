package dev.simplecall;

import static java.util.Objects.requireNonNull;

import java.util.Objects;

/**
 * A microphone or speaker of the system's sound server, as {@link AudioDevices#list()} reports it.
 *
 * <pre>{@code
 * for (AudioDevice d : AudioDevices.list()) {
 *   System.out.println(d.type() + " " + d.name() + (d.isDefault() ? " (default)" : ""));
 * }
 * }</pre>
 */
public final class AudioDevice {
  /** Which way sound goes. */
  public enum Type {
    /** Sound comes in: a microphone (a PulseAudio source, monitors of outputs included). */
    CAPTURE,
    /** Sound goes out: a speaker (a PulseAudio sink). */
    PLAYOUT
  }

  private final Type type;
  private final String name;
  private final String description;
  private final boolean isDefault;

  /**
   * {@code name} is the system name (for PulseAudio the source or sink name).
   *
   * @param type whether it captures or plays
   * @param name the system name, such as {@code alsa_input.pci-0000_00_1f.3.analog-stereo}
   * @param description the human description, such as {@code Built-in Audio Analog Stereo}
   * @param isDefault whether the sound server uses this device when none is named
   * @throws NullPointerException when {@code type}, {@code name} or {@code description} is {@code null}
   */
  public AudioDevice(Type type, String name, String description, boolean isDefault) {
    this.type = requireNonNull(type, "type == null");
    this.name = requireNonNull(name, "name == null");
    this.description = requireNonNull(description, "description == null");
    this.isDefault = isDefault;
  }

  /**
   * Whether this is a microphone or a speaker.
   *
   * @return {@link Type#CAPTURE} for a microphone, {@link Type#PLAYOUT} for a speaker
   */
  public Type type() {
    return type;
  }

  /**
   * The system name, for example {@code alsa_input.pci-0000_00_1f.3.analog-stereo}.
   *
   * @return the name the sound server knows the device by; never {@code null}
   */
  public String name() {
    return name;
  }

  /**
   * The human description, for example {@code Built-in Audio Analog Stereo}.
   *
   * @return the description; the system name when the sound server gives none
   */
  public String description() {
    return description;
  }

  /**
   * Whether the sound server uses this device when none is named.
   *
   * @return {@code true} for the default microphone or the default speaker
   */
  public boolean isDefault() {
    return isDefault;
  }

  /**
   * Whether {@code nameOrDescription} is this device's system name or its description.
   *
   * @param nameOrDescription a system name or description, compared exactly (case counts)
   * @return {@code true} when it equals {@link #name()} or {@link #description()}; {@code false} for
   *     {@code null}
   */
  public boolean matches(String nameOrDescription) {
    return name.equals(nameOrDescription) || description.equals(nameOrDescription);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AudioDevice d && d.type == type && d.name.equals(name)
        && d.description.equals(description) && d.isDefault == isDefault;
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, name, description, isDefault);
  }

  @Override
  public String toString() {
    return (type == Type.CAPTURE ? "microphone " : "speaker ") + name + " \"" + description + "\""
        + (isDefault ? " (default)" : "");
  }
}
