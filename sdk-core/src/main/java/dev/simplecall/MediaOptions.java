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

  private MediaOptions(Builder b) {
    this.video = b.video;
    this.audio = b.audio;
    this.speaker = b.speaker;
    this.videoCodecs = b.videoCodecs;
    this.maxVideoBitrate = b.maxVideoBitrate;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Test pattern 640x480@30 and a 440 Hz tone. */
  public static MediaOptions defaults() {
    return DEFAULTS;
  }

  public Builder newBuilder() {
    return new Builder().video(video).audio(audio).speaker(speaker).videoCodecs(videoCodecs.toArray(String[]::new))
        .maxVideoBitrate(maxVideoBitrate);
  }

  public VideoSource video() {
    return video;
  }

  public AudioSource audio() {
    return audio;
  }

  /** Where remote audio is played; {@link Speaker#none()} by default. */
  public Speaker speaker() {
    return speaker;
  }

  /** Video codecs to prefer, most wanted first; empty: libwebrtc's order (VP8 first). */
  public List<String> videoCodecs() {
    return videoCodecs;
  }

  /** Most bits per second the video may use; 0: no limit beyond bandwidth estimation. */
  public int maxVideoBitrate() {
    return maxVideoBitrate;
  }

  @Override
  public String toString() {
    return "MediaOptions[" + video + ", " + audio + ", " + speaker
        + (videoCodecs.isEmpty() ? "" : ", codecs " + videoCodecs)
        + (maxVideoBitrate == 0 ? "" : ", max " + maxVideoBitrate + " bit/s") + "]";
  }

  public static final class Builder {
    private VideoSource video = VideoSource.testPattern(640, 480, 30);
    private AudioSource audio = AudioSource.tone(440);
    private Speaker speaker = Speaker.none();
    private List<String> videoCodecs = List.of();
    private int maxVideoBitrate;

    private Builder() {}

    /**
     * Video codecs to prefer, most wanted first, e.g. {@code videoCodecs("VP9", "VP8")}, set as the
     * browser's {@code setCodecPreferences} sets them (codecs not named stay available after them). With a
     * preference on one side only, the caller's or the callee's, the call uses its first codec the other
     * side also has; give both sides the same list when both state one. Names are {@code VP8},
     * {@code VP9}, {@code H264} and {@code AV1}, in any case; a call whose engine has none of them ends
     * {@code FAILED} saying which codecs it has.
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

    /** At most this many bits per second for the sent video (0, the default: no limit). */
    public Builder maxVideoBitrate(int bitsPerSecond) {
      if (bitsPerSecond < 0) throw new IllegalArgumentException("maxVideoBitrate < 0: " + bitsPerSecond);
      this.maxVideoBitrate = bitsPerSecond;
      return this;
    }

    public Builder video(VideoSource video) {
      this.video = Objects.requireNonNull(video, "video == null");
      return this;
    }

    public Builder audio(AudioSource audio) {
      this.audio = Objects.requireNonNull(audio, "audio == null");
      return this;
    }

    /**
     * Plays the remote audio on a speaker of the sound server. A speaker works with
     * {@link AudioSource#microphone()} or {@link AudioSource#none()}: both use the sound server's
     * audio device module, which cannot also send a tone or app PCM.
     */
    public Builder speaker(Speaker speaker) {
      this.speaker = Objects.requireNonNull(speaker, "speaker == null");
      return this;
    }

    /** @throws IllegalArgumentException for a speaker with a tone, file or app PCM source */
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
