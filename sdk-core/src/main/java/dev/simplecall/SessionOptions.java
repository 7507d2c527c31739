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

  /**
   * A builder: {@code signaling}, {@code room} and {@code peerId} must be set; the rest defaults to
   * {@link AnswerMode#AUTO}, a 30 s no-answer timeout, ICE restart after 3 s, ICE failure after 20 s,
   * and the client's media, ICE servers and policy.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder with these options' values, for example to make another peer's options.
   *
   * @return a new builder; changing it leaves these options as they are
   */
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

  /**
   * Where to signal; its scheme selects the transport ({@link CallClient#transportFactoryFor}).
   *
   * @return the signaling URI, such as {@code ws://localhost:8080/v1/ws}
   */
  public URI signaling() {
    return signaling;
  }

  /**
   * The room to join; calls are placed and answered within it.
   *
   * @return the room name, 1-64 characters of {@code [A-Za-z0-9._-]}
   */
  public String room() {
    return room;
  }

  /**
   * This session's id in the room: what other peers call and see in {@code from}.
   *
   * @return the peer id, 1-64 characters of {@code [A-Za-z0-9._-]}
   */
  public String peerId() {
    return peerId;
  }

  /**
   * Auth token, or {@code null}.
   *
   * @return the token the transport presents when it joins (in the join, or as its connection's
   *     credential), also sent as a Bearer token when fresh TURN credentials are fetched; {@code null}
   *     for none
   */
  public String token() {
    return token;
  }

  /**
   * Media for this session, or {@code null} to use the client's default.
   *
   * @return the media options, or {@code null}
   */
  public MediaOptions media() {
    return media;
  }

  /**
   * How incoming calls are answered.
   *
   * @return {@link AnswerMode#AUTO} (the default) or {@link AnswerMode#ASK}
   */
  public AnswerMode answerMode() {
    return answerMode;
  }

  /**
   * How long an outgoing call may go unanswered and unconnected before it ends {@link EndReason#NO_ANSWER}.
   *
   * @return a positive duration; 30 s by default
   */
  public Duration noAnswerTimeout() {
    return noAnswerTimeout;
  }

  /**
   * How long a connected call that lost its connection waits before it restarts ICE (at once when ICE
   * failed).
   *
   * @return a positive duration; 3 s by default
   */
  public Duration iceRestartAfter() {
    return iceRestartAfter;
  }

  /**
   * How long ICE has to find a path once offer and answer are exchanged, and a lost connection to come
   * back; then the call ends {@link EndReason#ICE_FAILED} (or {@link EndReason#REMOTE_GONE} when the
   * remote peer left or stopped answering).
   *
   * @return a positive duration; 20 s by default
   */
  public Duration iceFailureTimeout() {
    return iceFailureTimeout;
  }

  /**
   * ICE servers added to the client's (and the signaling server's), or {@code null}.
   *
   * @return an unmodifiable list used after the client's and the signaling server's, or {@code null}
   */
  public List<IceServer> iceServers() {
    return iceServers;
  }

  /**
   * Policy override, or {@code null} to use the client's.
   *
   * @return the policy, or {@code null}
   */
  public IceTransportPolicy iceTransportPolicy() {
    return iceTransportPolicy;
  }

  /** Builds {@link SessionOptions}; see {@link SessionOptions#builder()} for what must be set. */
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

    /**
     * Where to signal (required).
     *
     * @param signaling a URI with a scheme a transport handles: {@code ws}/{@code wss}
     *     (transport-websocket), {@code http}/{@code https} (transport-http-poll), {@code mqtt}/{@code mqtts}
     *     (transport-mqtt), {@code memory} ({@link InMemorySignaling}), or another installed transport's
     * @return this builder
     * @throws NullPointerException when {@code signaling} is {@code null}
     * @throws IllegalArgumentException when the URI has no scheme
     */
    public Builder signaling(URI signaling) {
      Objects.requireNonNull(signaling, "signaling == null");
      if (signaling.getScheme() == null) throw new IllegalArgumentException("signaling URI has no scheme: " + Uris.redact(signaling));
      this.signaling = signaling;
      return this;
    }

    /**
     * The room to join (required).
     *
     * @param room the room name, 1-64 characters of {@code [A-Za-z0-9._-]}
     * @return this builder
     * @throws NullPointerException when {@code room} is {@code null}
     * @throws IllegalArgumentException when {@code room} is not such a name
     */
    public Builder room(String room) {
      this.room = Names.require(room, "room");
      return this;
    }

    /**
     * This session's id in the room (required).
     *
     * @param peerId the id, 1-64 characters of {@code [A-Za-z0-9._-]}, unique in the room
     * @return this builder
     * @throws NullPointerException when {@code peerId} is {@code null}
     * @throws IllegalArgumentException when {@code peerId} is not such a name
     */
    public Builder peerId(String peerId) {
      this.peerId = Names.require(peerId, "peerId");
      return this;
    }

    /**
     * The auth token for the signaling server.
     *
     * @param token what the transport presents when it joins, also sent as a Bearer token when fresh
     *     TURN credentials are fetched; {@code null} for none
     * @return this builder
     */
    public Builder token(String token) {
      this.token = token;
      return this;
    }

    /**
     * What this session sends, instead of the client's {@link CallClient#media()}.
     *
     * @param media the media options
     * @return this builder
     * @throws NullPointerException when {@code media} is {@code null}
     */
    public Builder media(MediaOptions media) {
      this.media = Objects.requireNonNull(media, "media == null");
      return this;
    }

    /**
     * How incoming calls are answered (default {@link AnswerMode#AUTO}).
     *
     * @param answerMode {@link AnswerMode#ASK} to let {@link CallSession.Listener#onIncomingCall} decide
     * @return this builder
     * @throws NullPointerException when {@code answerMode} is {@code null}
     */
    public Builder answerMode(AnswerMode answerMode) {
      this.answerMode = Objects.requireNonNull(answerMode, "answerMode == null");
      return this;
    }

    /**
     * How long an outgoing call may go unanswered and unconnected (default 30 s).
     *
     * @param d a positive duration
     * @return this builder
     * @throws NullPointerException when {@code d} is {@code null}
     * @throws IllegalArgumentException when {@code d} is zero or negative
     */
    public Builder noAnswerTimeout(Duration d) {
      this.noAnswerTimeout = positive(d, "noAnswerTimeout");
      return this;
    }

    /**
     * How long a lost connection waits before ICE restarts (default 3 s).
     *
     * @param d a positive duration; best shorter than the ICE failure timeout
     * @return this builder
     * @throws NullPointerException when {@code d} is {@code null}
     * @throws IllegalArgumentException when {@code d} is zero or negative
     */
    public Builder iceRestartAfter(Duration d) {
      this.iceRestartAfter = positive(d, "iceRestartAfter");
      return this;
    }

    /**
     * How long ICE has to find a path, or to bring a lost connection back (default 20 s).
     *
     * @param d a positive duration
     * @return this builder
     * @throws NullPointerException when {@code d} is {@code null}
     * @throws IllegalArgumentException when {@code d} is zero or negative
     */
    public Builder iceFailureTimeout(Duration d) {
      this.iceFailureTimeout = positive(d, "iceFailureTimeout");
      return this;
    }

    /**
     * ICE servers this session uses besides the client's and those the signaling server hands out.
     *
     * @param iceServers the servers, copied; may be empty
     * @return this builder
     * @throws NullPointerException when {@code iceServers} or one of them is {@code null}
     */
    public Builder iceServers(List<IceServer> iceServers) {
      Objects.requireNonNull(iceServers, "iceServers == null");
      this.iceServers = List.copyOf(iceServers);
      return this;
    }

    /**
     * Which candidates this session's calls may use, instead of the client's policy.
     *
     * @param policy {@link IceTransportPolicy#RELAY} to use TURN relays only
     * @return this builder
     * @throws NullPointerException when {@code policy} is {@code null}
     */
    public Builder iceTransportPolicy(IceTransportPolicy policy) {
      this.iceTransportPolicy = Objects.requireNonNull(policy, "iceTransportPolicy == null");
      return this;
    }

    /**
     * Makes the options; the builder can go on being used.
     *
     * @return new immutable options
     * @throws IllegalStateException when {@code signaling}, {@code room} or {@code peerId} was not set
     */
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
