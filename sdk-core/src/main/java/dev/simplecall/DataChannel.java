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
  String label();

  boolean isOpen();

  /** Queues a text message; {@code false} when the channel is not open or the queue is full. */
  boolean send(String text);

  /** Queues a binary message (the whole array); {@code false} when not open or the queue is full. */
  boolean send(byte[] data);

  /** Bytes queued and not yet handed to the network. */
  long bufferedAmount();

  /** Sets the listener; events that arrived before are delivered to it (an open channel gets onOpen). */
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
    default void onOpen(DataChannel channel) {}

    default void onText(DataChannel channel, String text) {}

    default void onBinary(DataChannel channel, byte[] data) {}

    /** Terminal: the channel closed (either side closed it, or the call ended). */
    default void onClosed(DataChannel channel) {}

    /**
     * Terminal, instead of {@link #onClosed}: a channel this side opened could not be made, for
     * example because there is no call yet or the call has ended. {@code error} says why.
     */
    default void onFailure(DataChannel channel, CallException error) {}
  }
}
