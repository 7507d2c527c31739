package dev.simplecall;

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

  private final VideoSource video;
  private final AudioSource audio;

  private MediaOptions(Builder b) {
    this.video = b.video;
    this.audio = b.audio;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Test pattern 640x480@30 and a 440 Hz tone. */
  public static MediaOptions defaults() {
    return DEFAULTS;
  }

  public Builder newBuilder() {
    return new Builder().video(video).audio(audio);
  }

  public VideoSource video() {
    return video;
  }

  public AudioSource audio() {
    return audio;
  }

  @Override
  public String toString() {
    return "MediaOptions[" + video + ", " + audio + "]";
  }

  public static final class Builder {
    private VideoSource video = VideoSource.testPattern(640, 480, 30);
    private AudioSource audio = AudioSource.tone(440);

    private Builder() {}

    public Builder video(VideoSource video) {
      this.video = Objects.requireNonNull(video, "video == null");
      return this;
    }

    public Builder audio(AudioSource audio) {
      this.audio = Objects.requireNonNull(audio, "audio == null");
      return this;
    }

    public MediaOptions build() {
      return new MediaOptions(this);
    }
  }
}
