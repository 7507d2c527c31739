package dev.simplecall;

import java.util.concurrent.CompletableFuture;

/**
 * Another member of a {@link RoomSession}, and this app's connection with it. The connection is made
 * again when it fails while the member stays in the room; sinks added here stay attached across those
 * connections. Thread-safe.
 */
public interface Participant {
  /**
   * The member's peer id in the room.
   *
   * @return the peer id
   */
  String peerId();

  /**
   * The state of the connection with this member: {@link CallState#CONNECTING} until media flows,
   * {@link CallState#CONNECTED}, {@link CallState#RECONNECTING} while it is being repaired or made
   * again, {@link CallState#ENDED} once the member has left.
   *
   * @return the state
   */
  CallState state();

  /**
   * Whether media has flowed with this member at least once.
   *
   * @return true once the connection has been {@link CallState#CONNECTED}
   */
  boolean everConnected();

  /**
   * The level of this member's audio as last measured (every second), for an active-speaker indicator.
   *
   * @return 0..1; 0 before the first measurement
   */
  double audioLevel();

  /**
   * Shows this member's video in {@code sink}.
   *
   * @param sink called on a native thread for each frame; it must return quickly and not throw
   */
  void addVideoSink(VideoFrameSink sink);

  /**
   * Stops showing this member's video in {@code sink}.
   *
   * @param sink a sink given to {@link #addVideoSink}
   */
  void removeVideoSink(VideoFrameSink sink);

  /**
   * Hands this member's decoded audio to {@code sink} (in addition to the speaker, which plays the mix
   * of every member).
   *
   * @param sink called on a native thread every 10 ms
   */
  void addAudioSink(AudioSink sink);

  /**
   * Stops handing this member's audio to {@code sink}.
   *
   * @param sink a sink given to {@link #addAudioSink}
   */
  void removeAudioSink(AudioSink sink);

  /**
   * Sends a text message to this member on the room's data channel (ordered, reliable); it arrives in
   * its {@link RoomSession.Listener#onMessage}.
   *
   * @param text the message
   * @return false when the channel with this member is not open (not yet connected, or being made again)
   */
  boolean send(String text);

  /**
   * A statistics snapshot of the connection with this member.
   *
   * @return the stats; fails when there is no connection with this member right now
   */
  CompletableFuture<CallStats> stats();
}
