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

  public static Builder builder() {
    return new Builder();
  }

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

  public String room() {
    return room;
  }

  public String peerId() {
    return peerId;
  }

  /** Auth token for the join, or {@code null}. */
  public String token() {
    return token;
  }

  /** How long one connection attempt may take. */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** First reconnect delay; doubled per failed attempt, with jitter, up to {@link #maxBackoff()}. */
  public Duration initialBackoff() {
    return initialBackoff;
  }

  public Duration maxBackoff() {
    return maxBackoff;
  }

  /** The transport fails for good when it has not been connected for this long. */
  public Duration giveUpAfter() {
    return giveUpAfter;
  }

  /**
   * The outbox bound: how many messages {@link SignalingTransport#send} may hold that are not yet
   * handed to the network (queued while disconnected, or waiting for the wire). A send beyond it is
   * refused ({@code false}) and nothing queued is lost. Default 1000.
   */
  public int maxQueuedMessages() {
    return maxQueuedMessages;
  }

  /**
   * The delay before reconnect attempt {@code attempt} (0-based): exponential with "full jitter"
   * between half and all of the capped value, so many clients dropped at once do not return at once.
   */
  public Duration backoff(int attempt, java.util.Random random) {
    long base = initialBackoff.toMillis() << Math.min(attempt, 20);
    long capped = Math.min(base, maxBackoff.toMillis());
    return Duration.ofMillis(capped / 2 + (long) (random.nextDouble() * (capped / 2.0 + 1)));
  }

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

    public Builder connectTimeout(Duration d) {
      this.connectTimeout = requirePositive(d, "connectTimeout");
      return this;
    }

    public Builder initialBackoff(Duration d) {
      this.initialBackoff = requirePositive(d, "initialBackoff");
      return this;
    }

    public Builder maxBackoff(Duration d) {
      this.maxBackoff = requirePositive(d, "maxBackoff");
      return this;
    }

    public Builder giveUpAfter(Duration d) {
      this.giveUpAfter = requirePositive(d, "giveUpAfter");
      return this;
    }

    /** See {@link TransportOptions#maxQueuedMessages()}; at least 1. */
    public Builder maxQueuedMessages(int max) {
      if (max < 1) throw new IllegalArgumentException("maxQueuedMessages must be at least 1: " + max);
      this.maxQueuedMessages = max;
      return this;
    }

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
