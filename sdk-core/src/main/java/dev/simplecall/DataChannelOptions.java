package dev.simplecall;

/**
 * Delivery options of a data channel.
 *
 * <pre>{@code
 * session.openDataChannel("chat", DataChannelOptions.ordered());
 * session.openDataChannel("telemetry", DataChannelOptions.unordered(0)); // no retransmits
 * }</pre>
 */
public final class DataChannelOptions {
  private static final DataChannelOptions ORDERED = new DataChannelOptions(true, -1);

  private final boolean ordered;
  private final int maxRetransmits;

  private DataChannelOptions(boolean ordered, int maxRetransmits) {
    this.ordered = ordered;
    this.maxRetransmits = maxRetransmits;
  }

  /**
   * Reliable and ordered (the default, like TCP).
   *
   * @return options with every message delivered, in the order sent
   */
  public static DataChannelOptions ordered() {
    return ORDERED;
  }

  /**
   * Unordered, with at most {@code maxRetransmits} retransmissions of a lost message.
   *
   * @param maxRetransmits times a lost message is sent again before it is given up, 0 or more; 0: never
   * @return options for an unordered, partially reliable channel
   * @throws IllegalArgumentException when {@code maxRetransmits} is negative
   */
  public static DataChannelOptions unordered(int maxRetransmits) {
    if (maxRetransmits < 0) throw new IllegalArgumentException("maxRetransmits < 0: " + maxRetransmits);
    return new DataChannelOptions(false, maxRetransmits);
  }

  /**
   * Messages arrive in the order sent.
   *
   * @return {@code true} for {@link #ordered()}, {@code false} for {@link #unordered(int)}
   */
  public boolean isOrdered() {
    return ordered;
  }

  /**
   * Retransmissions of a lost message, or -1 for fully reliable.
   *
   * @return the limit given to {@link #unordered(int)}, or -1 for {@link #ordered()}
   */
  public int maxRetransmits() {
    return maxRetransmits;
  }

  /**
   * Whether every message is delivered: retransmissions are not limited.
   *
   * @return {@code true} for {@link #ordered()}, {@code false} for {@link #unordered(int)}
   */
  public boolean isReliable() {
    return maxRetransmits < 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DataChannelOptions d && d.ordered == ordered && d.maxRetransmits == maxRetransmits;
  }

  @Override
  public int hashCode() {
    return Boolean.hashCode(ordered) * 31 + maxRetransmits;
  }

  @Override
  public String toString() {
    return ordered ? "DataChannelOptions[ordered]" : "DataChannelOptions[unordered, maxRetransmits=" + maxRetransmits + "]";
  }
}
