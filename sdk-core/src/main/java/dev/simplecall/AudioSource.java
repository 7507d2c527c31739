package dev.simplecall;

import static java.util.Objects.requireNonNull;

import dev.simplecall.internal.audio.WavFile;
import java.nio.file.Path;


/**
 * Where a session's outgoing audio comes from.
 *
 * <pre>{@code
 * MediaOptions.builder().audio(AudioSource.tone(440)).build();
 * MediaOptions.builder().audio(AudioSource.microphone()).build();          // the default microphone
 * MediaOptions.builder().audio(AudioSource.microphone("alice_mic")).build(); // by name or description
 * MediaOptions.builder().audio(AudioSource.microphoneBuilder()
 *     .device("USB Headset").echoCancellation(false).build()).build();
 * MediaOptions.builder().audio(AudioSource.appPcm(48000, 1)).build(); // session.appAudio()
 * MediaOptions.builder().audio(AudioSource.file(Path.of("hello.wav"), true)).build(); // looping
 * }</pre>
 *
 * <p>A microphone captures for real through the system's sound server (PulseAudio, or PipeWire's
 * PulseAudio service). When there is none, or the named device does not exist, the call fails
 * ({@link EndReason#FAILED}) with a {@link CallException} that says why; it never sends a tone
 * instead. Check beforehand with {@link AudioDevices#unavailableReason()}.
 */
public final class AudioSource {
  /** The kinds of source. */
  public enum Kind {
    /** No outgoing audio: {@link #none()}. */
    NONE,
    /** A sine tone made by the SDK: {@link #tone}. */
    TONE,
    /** A microphone of the sound server: {@link #microphone()}, {@link #microphoneBuilder()}. */
    MICROPHONE,
    /** PCM the app pushes through {@link CallSession#appAudio()}: {@link #appPcm}. */
    APP_PCM,
    /** A WAV file: {@link #file}. */
    FILE
  }

  private static final AudioSource NONE = new AudioSource(Kind.NONE, 0, 0, 0, null, false, false, false);



  private final Kind kind;
  private final double toneHz;
  private final int sampleRate;
  private final int channels;
  private final String device;
  private final boolean echoCancellation;
  private final boolean noiseSuppression;
  private final boolean autoGainControl;
  private final Path file;
  private final boolean loop;

  private AudioSource(Kind kind, double toneHz, int sampleRate, int channels, String device,
      boolean echoCancellation, boolean noiseSuppression, boolean autoGainControl) {
    this(kind, toneHz, sampleRate, channels, device, echoCancellation, noiseSuppression, autoGainControl, null, false);
  }

  private AudioSource(Kind kind, double toneHz, int sampleRate, int channels, String device,
      boolean echoCancellation, boolean noiseSuppression, boolean autoGainControl, Path file, boolean loop) {
    this.kind = kind;
    this.toneHz = toneHz;
    this.sampleRate = sampleRate;
    this.channels = channels;
    this.device = device;
    this.echoCancellation = echoCancellation;
    this.noiseSuppression = noiseSuppression;
    this.autoGainControl = autoGainControl;
    this.file = file;
    this.loop = loop;
  }

  /**
   * A sine tone at {@code hz}, sent in real time.
   *
   * @param hz frequency in hertz, 20 to 20000
   * @return a {@link Kind#TONE} source
   * @throws IllegalArgumentException when {@code hz} is outside 20..20000 (or NaN)
   */
  public static AudioSource tone(double hz) {
    if (!(hz >= 20 && hz <= 20_000)) throw new IllegalArgumentException("hz must be in 20..20000: " + hz);
    return new AudioSource(Kind.TONE, hz, 48_000, 1, null, false, false, false);
  }

  /**
   * The sound server's default microphone, with echo cancellation, noise suppression and gain
   * control on. Never falls back to a tone: see the class comment.
   *
   * @return a {@link Kind#MICROPHONE} source with no device named
   */
  public static AudioSource microphone() {
    return microphoneBuilder().build();
  }

  /**
   * The microphone whose system name or description is {@code nameOrDescription}, with echo
   * cancellation, noise suppression and gain control on.
   *
   * @param nameOrDescription the device's system name or description, as {@link AudioDevices#list()} gives
   *     them (a system name wins over another device's equal description); {@code null}: the default
   * @return a {@link Kind#MICROPHONE} source
   * @throws IllegalArgumentException when {@code nameOrDescription} is blank
   */
  public static AudioSource microphone(String nameOrDescription) {
    return microphoneBuilder().device(nameOrDescription).build();
  }

  /**
   * A microphone with a chosen device and audio processing.
   *
   * @return a new builder: the default device, every kind of processing on
   */
  public static MicrophoneBuilder microphoneBuilder() {
    return new MicrophoneBuilder();
  }

  /**
   * PCM the app pushes through {@link CallSession#appAudio()}. It is sent as 48 kHz mono: other rates
   * are resampled, stereo is mixed down.
   *
   * @param sampleRate samples per second per channel the app pushes: 8000, 16000, 32000, 44100 or 48000
   * @param channels 1 (mono) or 2 (interleaved stereo)
   * @return a {@link Kind#APP_PCM} source
   * @throws IllegalArgumentException when {@code sampleRate} or {@code channels} is not one of those
   */
  public static AudioSource appPcm(int sampleRate, int channels) {
    if (sampleRate != 8000 && sampleRate != 16000 && sampleRate != 32000 && sampleRate != 44100 && sampleRate != 48000) {
      throw new IllegalArgumentException("sampleRate must be 8000, 16000, 32000, 44100 or 48000: " + sampleRate);
    }
    if (channels != 1 && channels != 2) throw new IllegalArgumentException("channels must be 1 or 2: " + channels);
    return new AudioSource(Kind.APP_PCM, 0, sampleRate, channels, null, false, false, false);
  }

  /**
   * A WAV file (PCM, mono or stereo, any rate; up to 10 minutes), sent at real time, over and over
   * ({@code loop}) or once and then silence. The file is decoded when the call's audio starts.
   * It is sent as 48 kHz mono: other rates are resampled, stereo is mixed down.
   *
   * @param wav the file to send
   * @param loop {@code true}: start again at the end; {@code false}: play once, then send silence
   * @return a {@link Kind#FILE} source
   * @throws NullPointerException when {@code wav} is {@code null}
   * @throws IllegalArgumentException the file is missing or not a WAV file that can be read
   */
  public static AudioSource file(Path wav, boolean loop) {
    requireNonNull(wav, "wav == null");
    WavFile.check(wav);
    return new AudioSource(Kind.FILE, 0, 48_000, 1, null, false, false, false, wav, loop);
  }

  /**
   * FILE: the WAV file.
   *
   * @return the path given to {@link #file(Path, boolean)}; {@code null} for other kinds
   */
  public Path file() {
    return file;
  }

  /**
   * FILE: whether it plays over and over.
   *
   * @return the {@code loop} given to {@link #file(Path, boolean)}; {@code false} for other kinds
   */
  public boolean loop() {
    return loop;
  }

  /**
   * No outgoing audio.
   *
   * @return the {@link Kind#NONE} source
   */
  public static AudioSource none() {
    return NONE;
  }

  /**
   * What kind of source this is.
   *
   * @return the kind; the other accessors say which kinds they apply to
   */
  public Kind kind() {
    return kind;
  }

  /**
   * The tone frequency (TONE only).
   *
   * @return hertz, 20 to 20000, for TONE; 0 for other kinds
   */
  public double toneHz() {
    return toneHz;
  }

  /**
   * The source's sample rate.
   *
   * @return samples per second per channel: for APP_PCM the rate the app pushes; 48000 for TONE, MICROPHONE
   *     and FILE (a file is resampled to it); 0 for NONE
   */
  public int sampleRate() {
    return sampleRate;
  }

  /**
   * The source's channel count.
   *
   * @return for APP_PCM the channels the app pushes, 1 or 2; 1 for TONE, MICROPHONE and FILE (a stereo file
   *     is mixed down); 0 for NONE
   */
  public int channels() {
    return channels;
  }

  /**
   * MICROPHONE: the device asked for by name or description; {@code null} for the default.
   *
   * @return the device name or description as given, or {@code null} (always for other kinds)
   */
  public String device() {
    return device;
  }

  /**
   * MICROPHONE: whether echo cancellation runs (default on).
   *
   * @return whether it was asked for; {@code false} for other kinds
   */
  public boolean echoCancellation() {
    return echoCancellation;
  }

  /**
   * MICROPHONE: whether noise suppression runs (default on).
   *
   * @return whether it was asked for; {@code false} for other kinds
   */
  public boolean noiseSuppression() {
    return noiseSuppression;
  }

  /**
   * MICROPHONE: whether automatic gain control runs (default on).
   *
   * @return whether it was asked for; {@code false} for other kinds
   */
  public boolean autoGainControl() {
    return autoGainControl;
  }

  /**
   * A builder for a microphone like this one (MICROPHONE only).
   *
   * @return a new builder with this source's device and processing
   * @throws IllegalStateException when this source is not a {@link Kind#MICROPHONE}
   */
  public MicrophoneBuilder newMicrophoneBuilder() {
    if (kind != Kind.MICROPHONE) throw new IllegalStateException("not a microphone: " + this);
    return new MicrophoneBuilder().device(device).echoCancellation(echoCancellation)
        .noiseSuppression(noiseSuppression).autoGainControl(autoGainControl);
  }

  @Override
  public String toString() {
    switch (kind) {
      case TONE: return "AudioSource[tone " + toneHz + " Hz]";
      case APP_PCM: return "AudioSource[appPcm " + sampleRate + " Hz x" + channels + "]";
      case FILE: return "AudioSource[file " + file + (loop ? " looping" : " once") + "]";
      case MICROPHONE:
        return "AudioSource[microphone " + (device == null ? "default" : device)
            + (echoCancellation ? " aec" : "") + (noiseSuppression ? " ns" : "") + (autoGainControl ? " agc" : "") + "]";
      default: return "AudioSource[" + kind + "]";
    }
  }

  /** Builds a {@link Kind#MICROPHONE} source. Processing defaults to on. */
  public static final class MicrophoneBuilder {
    private String device;
    private boolean echoCancellation = true;
    private boolean noiseSuppression = true;
    private boolean autoGainControl = true;

    private MicrophoneBuilder() {}

    /**
     * System name or description of the device; {@code null} for the default.
     *
     * @param nameOrDescription the device's system name or description, as {@link AudioDevices#list()}
     *     gives them; {@code null}: the sound server's default microphone
     * @return this builder
     * @throws IllegalArgumentException when {@code nameOrDescription} is blank
     */
    public MicrophoneBuilder device(String nameOrDescription) {
      if (nameOrDescription != null && nameOrDescription.isBlank()) {
        throw new IllegalArgumentException("device name is blank");
      }
      this.device = nameOrDescription;
      return this;
    }

    /**
     * Whether libwebrtc's echo cancellation runs on the captured audio (default on). With it or noise
     * suppression on, a high-pass filter runs too.
     *
     * @param on {@code true} to cancel the echo of the played remote audio
     * @return this builder
     */
    public MicrophoneBuilder echoCancellation(boolean on) {
      this.echoCancellation = on;
      return this;
    }

    /**
     * Whether libwebrtc's noise suppression runs on the captured audio (default on). With it or echo
     * cancellation on, a high-pass filter runs too.
     *
     * @param on {@code true} to suppress steady background noise
     * @return this builder
     */
    public MicrophoneBuilder noiseSuppression(boolean on) {
      this.noiseSuppression = on;
      return this;
    }

    /**
     * Whether libwebrtc's automatic gain control runs on the captured audio (default on).
     *
     * @param on {@code true} to even out the level of the captured audio
     * @return this builder
     */
    public MicrophoneBuilder autoGainControl(boolean on) {
      this.autoGainControl = on;
      return this;
    }

    /**
     * Makes the source; the builder can go on being used.
     *
     * @return a new {@link Kind#MICROPHONE} source with the device and processing set
     */
    public AudioSource build() {
      return new AudioSource(Kind.MICROPHONE, 0, 48_000, 1, device, echoCancellation, noiseSuppression, autoGainControl);
    }
  }
}
