package dev.simplecall.spi;

import dev.simplecall.protocol.Names;
import java.time.Duration;
import java.util.Objects;

/**
 * What a transport needs to join: room, own peer id, optional token, and reconnect timing.
 *
 * <pre>{@code
 * TransportOptions options = TransportOptions.builder().room("r1").peerId("alice").build();
 * }</pre>
 */
public final class TransportOptions {
  private final String room;
  private final String peerId;
  private final String token;
  private final Duration connectTimeout;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Duration giveUpAfter;
  private final int maxQueuedMessages;

  private TransportOptions(Builder b) {
    this.room = b.room;
    this.peerId = b.peerId;
    this.token = b.token;
    this.connectTimeout = b.connectTimeout;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.giveUpAfter = b.giveUpAfter;
    this.maxQueuedMessages = b.maxQueuedMessages;
  }

  /**
   * A builder with the default timing; {@link Builder#room room} and {@link Builder#peerId peerId} must
   * be set.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding every value of these options, to change some of them.
   *
   * @return a new builder; these options stay as they are
   */
  public Builder newBuilder() {
    Builder b = new Builder();
    b.room = room;
    b.peerId = peerId;
    b.token = token;
    b.connectTimeout = connectTimeout;
    b.initialBackoff = initialBackoff;
    b.maxBackoff = maxBackoff;
    b.giveUpAfter = giveUpAfter;
    b.maxQueuedMessages = maxQueuedMessages;
    return b;
  }

  /**
   * The room to join.
   *
   * @return the room id, a {@link Names valid name}
   */
  public String room() {
    return room;
  }

  /**
   * This peer's own id in the room.
   *
   * @return the peer id, a {@link Names valid name}
   */
  public String peerId() {
    return peerId;
  }

  /**
   * Auth token for the join, or {@code null}.
   *
   * @return the token as given, or {@code null} when none was set
   */
  public String token() {
    return token;
  }

  /**
   * How long one connection attempt may take.
   *
   * @return a positive duration; 10 s by default
   */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /**
   * First reconnect delay; doubled per failed attempt, with jitter, up to {@link #maxBackoff()}.
   *
   * @return a positive duration, at most {@link #maxBackoff()}; 250 ms by default
   */
  public Duration initialBackoff() {
    return initialBackoff;
  }

  /**
   * The cap on the reconnect delay before jitter ({@link #backoff}).
   *
   * @return a positive duration, at least {@link #initialBackoff()}; 10 s by default
   */
  public Duration maxBackoff() {
    return maxBackoff;
  }

  /**
   * The transport fails for good when it has not been connected for this long.
   *
   * @return a positive duration, counted from creation or from the last time the link dropped; 5 min by
   *     default
   */
  public Duration giveUpAfter() {
    return giveUpAfter;
  }

  /**
   * The outbox bound: how many messages {@link SignalingTransport#send} may hold that are not yet
   * handed to the network (queued while disconnected, or waiting for the wire). A send beyond it is
   * refused ({@code false}) and nothing queued is lost. Default 1000.
   *
   * @return the bound, at least 1
   */
  public int maxQueuedMessages() {
    return maxQueuedMessages;
  }

  /**
   * The delay before reconnect attempt {@code attempt} (0-based): exponential with "full jitter"
   * between half and all of the capped value, so many clients dropped at once do not return at once.
   * The capped value is {@link #initialBackoff()} times 2<sup>attempt</sup> (the exponent stops at 20),
   * at most {@link #maxBackoff()}, in whole milliseconds.
   *
   * @param attempt how many attempts failed since the link was last up, from 0; not negative
   * @param random the source of the jitter
   * @return the delay, from half the capped value to the capped value (plus at most 1 ms)
   */
  public Duration backoff(int attempt, java.util.Random random) {
    long base = initialBackoff.toMillis() << Math.min(attempt, 20);
    long capped = Math.min(base, maxBackoff.toMillis());
    return Duration.ofMillis(capped / 2 + (long) (random.nextDouble() * (capped / 2.0 + 1)));
  }

  /** Makes {@link TransportOptions}; {@link #room} and {@link #peerId} are required. Not thread-safe. */
  public static final class Builder {
    private String room;
    private String peerId;
    private String token;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration initialBackoff = Duration.ofMillis(250);
    private Duration maxBackoff = Duration.ofSeconds(10);
    private Duration giveUpAfter = Duration.ofMinutes(5);
    private int maxQueuedMessages = 1000;

    private Builder() {}

    /**
     * The room to join. Required.
     *
     * @param room the room id: 1-64 characters of {@code [A-Za-z0-9._-]}
     * @return this builder
     * @throws NullPointerException when {@code room} is {@code null}
     * @throws IllegalArgumentException when {@code room} is not a {@link Names valid name}
     */
    public Builder room(String room) {
      this.room = Names.require(room, "room");
      return this;
    }

    /**
     * This peer's own id. Required.
     *
     * @param peerId the peer id: 1-64 characters of {@code [A-Za-z0-9._-]}
     * @return this builder
     * @throws NullPointerException when {@code peerId} is {@code null}
     * @throws IllegalArgumentException when {@code peerId} is not a {@link Names valid name}
     */
    public Builder peerId(String peerId) {
      this.peerId = Names.require(peerId, "peerId");
      return this;
    }

    /**
     * The join token, for a service that requires one.
     *
     * @param token the token, or {@code null} (the default) for none
     * @return this builder
     */
    public Builder token(String token) {
      this.token = token;
      return this;
    }

    /**
     * See {@link TransportOptions#connectTimeout()}.
     *
     * @param d how long one connection attempt may take; positive (default 10 s)
     * @return this builder
     * @throws NullPointerException when {@code d} is {@code null}
     * @throws IllegalArgumentException when {@code d} is zero or negative
     */
    public Builder connectTimeout(Duration d) {
      this.connectTimeout = requirePositive(d, "connectTimeout");
      return this;
    }

    /**
     * See {@link TransportOptions#initialBackoff()}.
     *
     * @param d the first reconnect delay; positive (default 250 ms), at most the max backoff when built
     * @return this builder
     * @throws NullPointerException when {@code d} is {@code null}
     * @throws IllegalArgumentException when {@code d} is zero or negative
     */
    public Builder initialBackoff(Duration d) {
      this.initialBackoff = requirePositive(d, "initialBackoff");
      return this;
    }

    /**
     * See {@link TransportOptions#maxBackoff()}.
     *
     * @param d the cap on the reconnect delay; positive (default 10 s), at least the initial backoff when
     *     built
     * @return this builder
     * @throws NullPointerException when {@code d} is {@code null}
     * @throws IllegalArgumentException when {@code d} is zero or negative
     */
    public Builder maxBackoff(Duration d) {
      this.maxBackoff = requirePositive(d, "maxBackoff");
      return this;
    }

    /**
     * See {@link TransportOptions#giveUpAfter()}.
     *
     * @param d how long the transport may stay unconnected before it fails; positive (default 5 min)
     * @return this builder
     * @throws NullPointerException when {@code d} is {@code null}
     * @throws IllegalArgumentException when {@code d} is zero or negative
     */
    public Builder giveUpAfter(Duration d) {
      this.giveUpAfter = requirePositive(d, "giveUpAfter");
      return this;
    }

    /**
     * See {@link TransportOptions#maxQueuedMessages()}; at least 1.
     *
     * @param max how many messages may wait unsent (default 1000)
     * @return this builder
     * @throws IllegalArgumentException when {@code max} is less than 1
     */
    public Builder maxQueuedMessages(int max) {
      if (max < 1) throw new IllegalArgumentException("maxQueuedMessages must be at least 1: " + max);
      this.maxQueuedMessages = max;
      return this;
    }

    /**
     * The options set so far; the builder can go on being used.
     *
     * @return new, immutable options
     * @throws IllegalStateException when the room or peer id is not set, or the max backoff is less
     *     than the initial backoff
     */
    public TransportOptions build() {
      if (room == null) throw new IllegalStateException("room == null");
      if (peerId == null) throw new IllegalStateException("peerId == null");
      if (maxBackoff.compareTo(initialBackoff) < 0) {
        throw new IllegalStateException("maxBackoff < initialBackoff: " + maxBackoff + " < " + initialBackoff);
      }
      return new TransportOptions(this);
    }
  }

  private static Duration requirePositive(Duration d, String what) {
    Objects.requireNonNull(d, what + " == null");
    if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(what + " must be positive: " + d);
    return d;
  }
}
