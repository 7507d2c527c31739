package dev.simplecall;

import static java.util.Objects.requireNonNull;

/**
 * Where a session plays the remote audio. By default it is not played: a call SDK must not make
 * noise unless asked. Remote audio still reaches {@link AudioSink}s either way.
 *
 * <pre>{@code
 * MediaOptions.builder().audio(AudioSource.microphone()).speaker(Speaker.systemDefault()).build();
 * MediaOptions.builder().speaker(Speaker.device("alsa_output.usb-headset")).build();
 * }</pre>
 */
public final class Speaker {
  private static final Speaker NONE = new Speaker(false, null);
  private static final Speaker DEFAULT = new Speaker(true, null);

  private final boolean plays;
  private final String device;

  private Speaker(boolean plays, String device) {
    this.plays = plays;
    this.device = device;
  }

  /**
   * Remote audio is not played.
   *
   * @return the speaker that plays nothing; the same instance on every call
   */
  public static Speaker none() {
    return NONE;
  }

  /**
   * The sound server's default output.
   *
   * @return a speaker that plays on the default sink; the same instance on every call
   */
  public static Speaker systemDefault() {
    return DEFAULT;
  }

  /**
   * The output whose system name or description is {@code nameOrDescription}. It is looked up when the
   * session starts; an unknown one ends the session {@code FAILED} with a message listing the outputs
   * there are.
   *
   * @param nameOrDescription the output's system name or description, as {@link AudioDevices#list()}
   *     gives them for {@link AudioDevice.Type#PLAYOUT}
   * @return a speaker for that output
   * @throws NullPointerException when {@code nameOrDescription} is {@code null}
   * @throws IllegalArgumentException when {@code nameOrDescription} is blank
   */
  public static Speaker device(String nameOrDescription) {
    requireNonNull(nameOrDescription, "nameOrDescription == null");
    if (nameOrDescription.isBlank()) throw new IllegalArgumentException("device name is blank");
    return new Speaker(true, nameOrDescription);
  }

  /**
   * Whether remote audio is played at all.
   *
   * @return {@code false} only for {@link #none()}
   */
  public boolean plays() {
    return plays;
  }

  /**
   * The device asked for, or {@code null} for the default (or for none).
   *
   * @return the name or description given to {@link #device(String)}, or {@code null}
   */
  public String device() {
    return device;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Speaker s && s.plays == plays && java.util.Objects.equals(s.device, device);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(plays, device);
  }

  @Override
  public String toString() {
    return !plays ? "Speaker[none]" : device == null ? "Speaker[default]" : "Speaker[" + device + "]";
  }
}
