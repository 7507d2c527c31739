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
  private final Speaker speaker;

  private MediaOptions(Builder b) {
    this.video = b.video;
    this.audio = b.audio;
    this.speaker = b.speaker;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Test pattern 640x480@30 and a 440 Hz tone. */
  public static MediaOptions defaults() {
    return DEFAULTS;
  }

  public Builder newBuilder() {
    return new Builder().video(video).audio(audio).speaker(speaker);
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

  @Override
  public String toString() {
    return "MediaOptions[" + video + ", " + audio + ", " + speaker + "]";
  }

  public static final class Builder {
    private VideoSource video = VideoSource.testPattern(640, 480, 30);
    private AudioSource audio = AudioSource.tone(440);
    private Speaker speaker = Speaker.none();

    private Builder() {}

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
