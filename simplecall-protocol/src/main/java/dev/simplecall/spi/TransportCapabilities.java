package dev.simplecall.spi;

/**
 * What a transport promises beyond the {@link SignalingTransport} contract. The SDK reads it (through
 * {@link SignalingTransportFactory#capabilities()}), and the contract suite checks every promise a
 * transport makes. A transport that says nothing promises nothing: {@link #NONE}.
 *
 * <p>Whether {@code from} is authenticated is not a capability of the transport: it depends on how the
 * service is run (a server with an auth secret, a broker whose ACL ties topics to users). Every
 * transport stamps {@code from} with the sender's own id and never takes it from the payload; the
 * contract suite checks that.
 *
 * <pre>{@code
 * public TransportCapabilities capabilities() {
 *   return TransportCapabilities.builder().deliversToReconnectingPeer(true).build();
 * }
 * }</pre>
 */
public final class TransportCapabilities {
  /** No promise beyond the contract. */
  public static final TransportCapabilities NONE = builder().build();

  private final boolean deliversToReconnectingPeer;

  private TransportCapabilities(Builder b) {
    this.deliversToReconnectingPeer = b.deliversToReconnectingPeer;
  }

  /**
   * A builder that promises nothing until told.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A message sent to a peer whose link is down for a few seconds reaches it once it is back (the
   * service keeps it: a long-poll session, a persistent MQTT session). Without this promise such a
   * message may be lost or answered with {@code no-such-peer}, and the SDK restarts ICE again when
   * the remote peer reappears in the room during a reconnect, since its restart offer may be gone.
   *
   * @return whether the transport promises this
   */
  public boolean deliversToReconnectingPeer() {
    return deliversToReconnectingPeer;
  }

  @Override
  public String toString() {
    return "TransportCapabilities[deliversToReconnectingPeer=" + deliversToReconnectingPeer + "]";
  }

  /** Makes {@link TransportCapabilities}; every promise is off unless set. Not thread-safe. */
  public static final class Builder {
    private boolean deliversToReconnectingPeer;

    private Builder() {}

    /**
     * See {@link TransportCapabilities#deliversToReconnectingPeer()}.
     *
     * @param promised whether the transport makes the promise (default {@code false})
     * @return this builder
     */
    public Builder deliversToReconnectingPeer(boolean promised) {
      this.deliversToReconnectingPeer = promised;
      return this;
    }

    /**
     * The capabilities set so far; the builder can go on being used.
     *
     * @return a new, immutable {@link TransportCapabilities}
     */
    public TransportCapabilities build() {
      return new TransportCapabilities(this);
    }
  }
}
