package dev.simplecall;

import dev.simplecall.protocol.Names;
import dev.simplecall.protocol.Uris;
import dev.simplecall.spi.TransportOptions;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One session's settings: where to signal, which room and peer id, and call timing.
 *
 * <pre>{@code
 * SessionOptions options = SessionOptions.builder()
 *     .signaling(URI.create("ws://localhost:8080/v1/ws"))
 *     .room("r1").peerId("alice")
 *     .noAnswerTimeout(Duration.ofSeconds(20))
 *     .build();
 * }</pre>
 */
public final class SessionOptions {
  private final URI signaling;
  private final String room;
  private final String peerId;
  private final String token;
  private final MediaOptions media;
  private final AnswerMode answerMode;
  private final Duration noAnswerTimeout;
  private final Duration iceRestartAfter;
  private final Duration iceFailureTimeout;
  private final List<IceServer> iceServers;
  private final IceTransportPolicy iceTransportPolicy;

  private SessionOptions(Builder b) {
    this.signaling = b.signaling;
    this.room = b.room;
    this.peerId = b.peerId;
    this.token = b.token;
    this.media = b.media;
    this.answerMode = b.answerMode;
    this.noAnswerTimeout = b.noAnswerTimeout;
    this.iceRestartAfter = b.iceRestartAfter;
    this.iceFailureTimeout = b.iceFailureTimeout;
    this.iceServers = b.iceServers;
    this.iceTransportPolicy = b.iceTransportPolicy;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder newBuilder() {
    Builder b = new Builder();
    b.signaling = signaling;
    b.room = room;
    b.peerId = peerId;
    b.token = token;
    b.media = media;
    b.answerMode = answerMode;
    b.noAnswerTimeout = noAnswerTimeout;
    b.iceRestartAfter = iceRestartAfter;
    b.iceFailureTimeout = iceFailureTimeout;
    b.iceServers = iceServers;
    b.iceTransportPolicy = iceTransportPolicy;
    return b;
  }

  public URI signaling() {
    return signaling;
  }

  public String room() {
    return room;
  }

  public String peerId() {
    return peerId;
  }

  /** Auth token, or {@code null}. */
  public String token() {
    return token;
  }

  /** Media for this session, or {@code null} to use the client's default. */
  public MediaOptions media() {
    return media;
  }

  public AnswerMode answerMode() {
    return answerMode;
  }

  public Duration noAnswerTimeout() {
    return noAnswerTimeout;
  }

  public Duration iceRestartAfter() {
    return iceRestartAfter;
  }

  public Duration iceFailureTimeout() {
    return iceFailureTimeout;
  }

  /** ICE servers added to the client's (and the signaling server's), or {@code null}. */
  public List<IceServer> iceServers() {
    return iceServers;
  }

  /** Policy override, or {@code null} to use the client's. */
  public IceTransportPolicy iceTransportPolicy() {
    return iceTransportPolicy;
  }

  public static final class Builder {
    private URI signaling;
    private String room;
    private String peerId;
    private String token;
    private MediaOptions media;
    private AnswerMode answerMode = AnswerMode.AUTO;
    private Duration noAnswerTimeout = Duration.ofSeconds(30);
    private Duration iceRestartAfter = Duration.ofSeconds(3);
    private Duration iceFailureTimeout = Duration.ofSeconds(20);
    private List<IceServer> iceServers;
    private IceTransportPolicy iceTransportPolicy;

    private Builder() {}

    public Builder signaling(URI signaling) {
      Objects.requireNonNull(signaling, "signaling == null");
      if (signaling.getScheme() == null) throw new IllegalArgumentException("signaling URI has no scheme: " + Uris.redact(signaling));
      this.signaling = signaling;
      return this;
    }

    public Builder room(String room) {
      this.room = Names.require(room, "room");
      return this;
    }

    public Builder peerId(String peerId) {
      this.peerId = Names.require(peerId, "peerId");
      return this;
    }

    public Builder token(String token) {
      this.token = token;
      return this;
    }

    public Builder media(MediaOptions media) {
      this.media = Objects.requireNonNull(media, "media == null");
      return this;
    }

    public Builder answerMode(AnswerMode answerMode) {
      this.answerMode = Objects.requireNonNull(answerMode, "answerMode == null");
      return this;
    }

    public Builder noAnswerTimeout(Duration d) {
      this.noAnswerTimeout = positive(d, "noAnswerTimeout");
      return this;
    }

    public Builder iceRestartAfter(Duration d) {
      this.iceRestartAfter = positive(d, "iceRestartAfter");
      return this;
    }

    public Builder iceFailureTimeout(Duration d) {
      this.iceFailureTimeout = positive(d, "iceFailureTimeout");
      return this;
    }

    public Builder iceServers(List<IceServer> iceServers) {
      Objects.requireNonNull(iceServers, "iceServers == null");
      this.iceServers = List.copyOf(iceServers);
      return this;
    }

    public Builder iceTransportPolicy(IceTransportPolicy policy) {
      this.iceTransportPolicy = Objects.requireNonNull(policy, "iceTransportPolicy == null");
      return this;
    }

    public SessionOptions build() {
      if (signaling == null) throw new IllegalStateException("signaling == null");
      if (room == null) throw new IllegalStateException("room == null");
      if (peerId == null) throw new IllegalStateException("peerId == null");
      return new SessionOptions(this);
    }

    private static Duration positive(Duration d, String what) {
      Objects.requireNonNull(d, what + " == null");
      if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(what + " must be positive: " + d);
      return d;
    }
  }
}
