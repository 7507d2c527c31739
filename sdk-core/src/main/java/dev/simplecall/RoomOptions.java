package dev.simplecall;

import java.util.Objects;

/**
 * How to join a group call: where and as whom (a {@link SessionOptions}, whose signaling URI, room,
 * peer id, token, media, ICE and timing settings apply to the connection with every participant) and
 * the largest room this app takes part in.
 *
 * <pre>{@code
 * RoomOptions options = RoomOptions.builder()
 *     .session(SessionOptions.builder().signaling(uri).room("standup").peerId("alice").build())
 *     .maxParticipants(6)
 *     .build();
 * }</pre>
 */
public final class RoomOptions {
  /** The default and largest {@link #maxParticipants()}: a mesh sends every stream to every other member. */
  public static final int MESH_LIMIT = 6;

  private final SessionOptions session;
  private final int maxParticipants;

  private RoomOptions(Builder b) {
    this.session = Objects.requireNonNull(b.session, "session options are required");
    this.maxParticipants = b.maxParticipants;
  }

  /**
   * A builder; {@link Builder#session} is required.
   *
   * @return a new builder with {@link #maxParticipants()} {@value #MESH_LIMIT}
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The settings every connection of the room uses; its {@link SessionOptions#answerMode()} is not used
   * (members of a room connect to each other without asking).
   *
   * @return the session options
   */
  public SessionOptions session() {
    return session;
  }

  /**
   * The largest number of members, this app included. Joining a room that already has this many ends
   * the room session at once ({@link EndReason#SIGNALING_FAILED}, with a message naming both numbers);
   * the signaling server's own room size applies as well.
   *
   * @return 2 to {@value #MESH_LIMIT}
   */
  public int maxParticipants() {
    return maxParticipants;
  }

  @Override
  public String toString() {
    return "RoomOptions[" + session.room() + "/" + session.peerId() + ", max " + maxParticipants + "]";
  }

  /** Builds {@link RoomOptions}. Not thread-safe. */
  public static final class Builder {
    private SessionOptions session;
    private int maxParticipants = MESH_LIMIT;

    private Builder() {}

    /**
     * Where to signal, the room and the peer id, and the settings of every connection.
     *
     * @param session the session options
     * @return this builder
     * @throws NullPointerException when {@code session} is {@code null}
     */
    public Builder session(SessionOptions session) {
      this.session = Objects.requireNonNull(session, "session == null");
      return this;
    }

    /**
     * The largest room this app joins, itself included (default {@value RoomOptions#MESH_LIMIT}).
     *
     * @param max 2 to {@value RoomOptions#MESH_LIMIT}
     * @return this builder
     * @throws IllegalArgumentException when {@code max} is outside 2..{@value RoomOptions#MESH_LIMIT}
     */
    public Builder maxParticipants(int max) {
      if (max < 2 || max > MESH_LIMIT) {
        throw new IllegalArgumentException("maxParticipants must be 2.." + MESH_LIMIT + ": " + max);
      }
      this.maxParticipants = max;
      return this;
    }

    /**
     * Makes the options.
     *
     * @return new options
     * @throws NullPointerException when no session options were given
     */
    public RoomOptions build() {
      return new RoomOptions(this);
    }
  }
}
