package dev.simplecall;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a session sends. Defaults: a 640x480@30 test pattern and a 440 Hz tone, so a call works on a
 * machine with no camera or sound card.
 *
 * <pre>{@code
 * MediaOptions media = MediaOptions.builder()
 *     .video(VideoSource.camera())
 *     .audio(AudioSource.none())
 *     .build();
 * }</pre>
 */
public final class MediaOptions {
  private static final MediaOptions DEFAULTS = builder().build();
  private static final List<String> KNOWN_CODECS = List.of("VP8", "VP9", "H264", "AV1");

  private final VideoSource video;
  private final AudioSource audio;
  private final Speaker speaker;
  private final List<String> videoCodecs;
  private final int maxVideoBitrate;
  private final int minVideoBitrate;
  private final int randomLossVideoFloor;

  private MediaOptions(Builder b) {
    this.video = b.video;
    this.audio = b.audio;
    this.speaker = b.speaker;
    this.videoCodecs = b.videoCodecs;
    this.maxVideoBitrate = b.maxVideoBitrate;
    this.minVideoBitrate = b.minVideoBitrate;
    this.randomLossVideoFloor = b.randomLossVideoFloor;
  }

  /**
   * A builder with the defaults: a 640x480@30 test pattern, a 440 Hz tone, no speaker, libwebrtc's codec
   * order and no bitrate limit.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Test pattern 640x480@30 and a 440 Hz tone.
   *
   * @return the options {@link #builder()} builds unchanged; the same instance on every call
   */
  public static MediaOptions defaults() {
    return DEFAULTS;
  }

  /**
   * A builder with these options' values.
   *
   * @return a new builder; changing it leaves these options as they are
   */
  public Builder newBuilder() {
    return new Builder().video(video).audio(audio).speaker(speaker).videoCodecs(videoCodecs.toArray(String[]::new))
        .maxVideoBitrate(maxVideoBitrate).minVideoBitrate(minVideoBitrate).randomLossVideoFloor(randomLossVideoFloor);
  }

  /**
   * Where the outgoing video comes from.
   *
   * @return the video source; {@link VideoSource#none()} when no video is sent
   */
  public VideoSource video() {
    return video;
  }

  /**
   * Where the outgoing audio comes from.
   *
   * @return the audio source; {@link AudioSource#none()} when no audio is sent
   */
  public AudioSource audio() {
    return audio;
  }

  /**
   * Where remote audio is played; {@link Speaker#none()} by default.
   *
   * @return the speaker
   */
  public Speaker speaker() {
    return speaker;
  }

  /**
   * Video codecs to prefer, most wanted first; empty: libwebrtc's order (VP8 first).
   *
   * @return upper-case names ({@code VP8}, {@code VP9}, {@code H264}, {@code AV1}), unmodifiable
   */
  public List<String> videoCodecs() {
    return videoCodecs;
  }

  /**
   * Most bits per second the video may use; 0: no limit beyond bandwidth estimation.
   *
   * @return bits per second, 0 or more
   */
  public int maxVideoBitrate() {
    return maxVideoBitrate;
  }

  /**
   * Fewest bits per second the video encoder is given, whatever bandwidth estimation says; 0: none.
   *
   * @return bits per second, 0 or more
   */
  public int minVideoBitrate() {
    return minVideoBitrate;
  }

  /**
   * The video's floor while the path loses packets at random; 0: never.
   *
   * @return bits per second, 0 or more (default {@value Builder#DEFAULT_RANDOM_LOSS_FLOOR})
   */
  public int randomLossVideoFloor() {
    return randomLossVideoFloor;
  }

  @Override
  public String toString() {
    return "MediaOptions[" + video + ", " + audio + ", " + speaker
        + (videoCodecs.isEmpty() ? "" : ", codecs " + videoCodecs)
        + (maxVideoBitrate == 0 ? "" : ", max " + maxVideoBitrate + " bit/s")
        + (minVideoBitrate == 0 ? "" : ", min " + minVideoBitrate + " bit/s")
        + (randomLossVideoFloor == Builder.DEFAULT_RANDOM_LOSS_FLOOR ? ""
            : ", random-loss floor " + randomLossVideoFloor + " bit/s") + "]";
  }

  /** Builds {@link MediaOptions}; starts from the defaults (see {@link MediaOptions#builder()}). */
  public static final class Builder {
    private VideoSource video = VideoSource.testPattern(640, 480, 30);
    private AudioSource audio = AudioSource.tone(440);
    private Speaker speaker = Speaker.none();
    private List<String> videoCodecs = List.of();
    private int maxVideoBitrate;
    private int minVideoBitrate;
    private int randomLossVideoFloor = DEFAULT_RANDOM_LOSS_FLOOR;

    /** The default of {@link #randomLossVideoFloor(int)}: 300 kbit/s. */
    public static final int DEFAULT_RANDOM_LOSS_FLOOR = 300_000;

    private Builder() {}

    /**
     * Video codecs to prefer, most wanted first, e.g. {@code videoCodecs("VP9", "VP8")}, set as the
     * browser's {@code setCodecPreferences} sets them (codecs not named stay available after them). With a
     * preference on one side only, the caller's or the callee's, the call uses its first codec the other
     * side also has; give both sides the same list when both state one. Names are {@code VP8},
     * {@code VP9}, {@code H264} and {@code AV1}, in any case; a call whose engine has none of them ends
     * {@code FAILED} saying which codecs it has.
     *
     * @param names codec names, most wanted first; none: libwebrtc's order. Replaces an earlier list
     * @return this builder
     * @throws NullPointerException when a name is {@code null}
     * @throws IllegalArgumentException naming an unknown codec and the known ones
     */
    public Builder videoCodecs(String... names) {
      List<String> list = new ArrayList<>();
      for (String n : names) {
        String upper = Objects.requireNonNull(n, "codec name == null").toUpperCase(Locale.ROOT);
        if (!KNOWN_CODECS.contains(upper)) {
          throw new IllegalArgumentException("unknown video codec \"" + n + "\"; known: " + KNOWN_CODECS);
        }
        list.add(upper);
      }
      this.videoCodecs = List.copyOf(list);
      return this;
    }

    /**
     * At most this many bits per second for the sent video (0, the default: no limit). Set as the
     * {@code maxBitrate} of every encoding of the video sender; bandwidth estimation may send less.
     *
     * @param bitsPerSecond the ceiling in bits per second, such as {@code 1_500_000}; 0: no limit
     * @return this builder
     * @throws IllegalArgumentException when {@code bitsPerSecond} is negative
     */
    public Builder maxVideoBitrate(int bitsPerSecond) {
      if (bitsPerSecond < 0) throw new IllegalArgumentException("maxVideoBitrate < 0: " + bitsPerSecond);
      this.maxVideoBitrate = bitsPerSecond;
      return this;
    }

    /**
     * At least this many bits per second for the video encoder (0, the default: libwebrtc's own
     * floor), set as the {@code minBitrate} of every encoding of the video sender, and again once the
     * call connects (a callee's sender has no encoding before that). libwebrtc's loss-based bandwidth
     * estimation takes random loss for congestion: under 20 % loss each way it cut a 640x480@30 sender
     * to about 100 kbit/s in some calls, and the far end then decoded 7-14 fps; with a floor of
     * 300 kbit/s both directions kept about 27 fps in every call (BENCHMARKS.md, "Calls over impaired
     * networks"). The floor is sent even when the path carries less: on a 150 kbit/s link the same floor
     * took the video to 0.4-1.9 fps, against 6-8 fps without it. Set it only where the links are known
     * to be faster; {@link #randomLossVideoFloor} sets a floor only while the loss looks random. A floor
     * above {@link #maxVideoBitrate} is lowered to it.
     *
     * @param bitsPerSecond the floor in bits per second, such as {@code 300_000}; 0: none
     * @return this builder
     * @throws IllegalArgumentException when {@code bitsPerSecond} is negative
     */
    public Builder minVideoBitrate(int bitsPerSecond) {
      if (bitsPerSecond < 0) throw new IllegalArgumentException("minVideoBitrate < 0: " + bitsPerSecond);
      this.minVideoBitrate = bitsPerSecond;
      return this;
    }

    /**
     * The video's floor while the path loses packets at random (default {@value #DEFAULT_RANDOM_LOSS_FLOOR}
     * bit/s; 0: never). libwebrtc's bandwidth estimation takes every lost packet for congestion, so on
     * a link that loses packets at random (radio, a bad cable) it starves the video for nothing. Every
     * second the sender reads what the far end reports: while it reports 5 % loss or more, the
     * round-trip time stays near the lowest seen on the call and under 250 ms (no queue, so no
     * congestion), and the encoder's target is under the floor, the floor is set as the encoder's
     * {@code minBitrate}. It is lifted when the round-trip time grows or when the loss grows with the
     * floor in place (both mean congestion; the floor is then not tried for 30 s, doubling up to 4 min),
     * or when the loss has ended. Each change is a progress step ({@code video floor 300 kbit/s: ...}).
     * A floor above {@link #maxVideoBitrate} (or a room's limit) is lowered to it; {@link #minVideoBitrate}
     * applies whatever the path does.
     *
     * @param bitsPerSecond the floor in bits per second; 0: never
     * @return this builder
     * @throws IllegalArgumentException when {@code bitsPerSecond} is negative
     */
    public Builder randomLossVideoFloor(int bitsPerSecond) {
      if (bitsPerSecond < 0) throw new IllegalArgumentException("randomLossVideoFloor < 0: " + bitsPerSecond);
      this.randomLossVideoFloor = bitsPerSecond;
      return this;
    }

    /**
     * Where the outgoing video comes from (default: a 640x480@30 test pattern).
     *
     * @param video the source; {@link VideoSource#none()} for no video
     * @return this builder
     * @throws NullPointerException when {@code video} is {@code null}
     */
    public Builder video(VideoSource video) {
      this.video = Objects.requireNonNull(video, "video == null");
      return this;
    }

    /**
     * Where the outgoing audio comes from (default: a 440 Hz tone). With a {@link #speaker} that plays,
     * only a microphone or none will build.
     *
     * @param audio the source; {@link AudioSource#none()} for no audio
     * @return this builder
     * @throws NullPointerException when {@code audio} is {@code null}
     */
    public Builder audio(AudioSource audio) {
      this.audio = Objects.requireNonNull(audio, "audio == null");
      return this;
    }

    /**
     * Plays the remote audio on a speaker of the sound server. A speaker works with
     * {@link AudioSource#microphone()} or {@link AudioSource#none()}: both use the sound server's
     * audio device module, which cannot also send a tone or app PCM.
     *
     * @param speaker where to play; {@link Speaker#none()} (the default) plays nothing
     * @return this builder
     * @throws NullPointerException when {@code speaker} is {@code null}
     */
    public Builder speaker(Speaker speaker) {
      this.speaker = Objects.requireNonNull(speaker, "speaker == null");
      return this;
    }

    /**
     * Makes the options; the builder can go on being used.
     *
     * @return new immutable options
     * @throws IllegalArgumentException for a speaker with a tone, file or app PCM source
     */
    public MediaOptions build() {
      if (speaker.plays() && (audio.kind() == AudioSource.Kind.TONE || audio.kind() == AudioSource.Kind.APP_PCM
          || audio.kind() == AudioSource.Kind.FILE)) {
        throw new IllegalArgumentException("a speaker needs audio microphone or none, not " + audio
            + ": the sound server's audio module captures the microphone itself");
      }
      return new MediaOptions(this);
    }
  }
}
