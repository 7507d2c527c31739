package dev.simplecall;

/**
 * A WebRTC data channel: text and binary messages to the remote peer. Opened with {@link
 * CallSession#openDataChannel}, or announced by {@link CallSession.Listener#onDataChannel} when the
 * remote opens one. Listener methods run on the client's callback executor, one at a time.
 *
 * <p>A channel this side opens is returned at once, before it is usable: its listener hears {@link
 * Listener#onOpen} when it is, or {@link Listener#onFailure} when it cannot be made (no call, the call
 * ended). Until it is open, {@link #send} returns {@code false}.
 *
 * <p>Backpressure: {@link #send} queues; check {@link #bufferedAmount()} and wait while it is high.
 *
 * <pre>{@code
 * DataChannel chat = session.openDataChannel("chat", DataChannelOptions.ordered());
 * chat.setListener(new DataChannel.Listener() {
 *   public void onOpen(DataChannel c) { c.send("hello"); }
 *   public void onText(DataChannel c, String text) { System.out.println(text); }
 *   public void onFailure(DataChannel c, CallException error) { System.err.println(error.getMessage()); }
 * });
 * }</pre>
 */
public interface DataChannel {
  /**
   * The channel's name, as given to {@link CallSession#openDataChannel} on the side that opened it.
   *
   * @return the label; the same on both sides
   */
  String label();

  /**
   * Whether messages can be sent now.
   *
   * @return {@code true} from the moment it opens ({@link Listener#onOpen} follows) until it closes or
   *     {@link #close()} is called
   */
  boolean isOpen();

  /**
   * Queues a text message; {@code false} when the channel is not open or the queue is full.
   *
   * @param text the message, sent as UTF-8 and delivered to {@link Listener#onText}
   * @return {@code true} when queued; {@code false} when the channel is not open or more than 8 MiB would
   *     be waiting (then nothing is queued: wait for {@link #bufferedAmount()} to fall)
   * @throws NullPointerException when {@code text} is {@code null}
   */
  boolean send(String text);

  /**
   * Queues a binary message (the whole array); {@code false} when not open or the queue is full.
   *
   * @param data the message, copied before this returns and delivered to {@link Listener#onBinary}
   * @return {@code true} when queued; {@code false} when the channel is not open or more than 8 MiB would
   *     be waiting
   * @throws NullPointerException when {@code data} is {@code null}
   */
  boolean send(byte[] data);

  /**
   * Bytes queued and not yet handed to the network.
   *
   * @return bytes waiting in libwebrtc's send queue; 0 before the native channel is made and once the
   *     call has released it
   */
  long bufferedAmount();

  /**
   * Sets the listener; events that arrived before are delivered to it (an open channel gets onOpen).
   *
   * @param listener receives this channel's events on the client's callback executor; replaces the
   *     previous listener
   * @throws NullPointerException when {@code listener} is {@code null}
   */
  void setListener(Listener listener);

  /**
   * Closes the channel; the listener gets {@link Listener#onClosed} (also when it was not open yet).
   * Idempotent.
   */
  void close();

  /**
   * Data channel events; all default to doing nothing. Exactly one terminal event arrives: {@link
   * #onClosed} or {@link #onFailure}.
   */
  interface Listener {
    /**
     * The channel is open: {@link #send} works from now on. Called at most once.
     *
     * @param channel the channel that opened
     */
    default void onOpen(DataChannel channel) {}

    /**
     * A text message arrived.
     *
     * @param channel the channel it arrived on
     * @param text the message, decoded from UTF-8
     */
    default void onText(DataChannel channel, String text) {}

    /**
     * A binary message arrived.
     *
     * @param channel the channel it arrived on
     * @param data the whole message; the array belongs to the listener
     */
    default void onBinary(DataChannel channel, byte[] data) {}

    /**
     * Terminal: the channel closed (either side closed it, or the call ended).
     *
     * @param channel the channel that closed
     */
    default void onClosed(DataChannel channel) {}

    /**
     * Terminal, instead of {@link #onClosed}: a channel this side opened could not be made, for
     * example because there is no call yet or the call has ended. {@code error} says why.
     *
     * @param channel the channel that could not be made
     * @param error why, for people to read
     */
    default void onFailure(DataChannel channel, CallException error) {}
  }
}
