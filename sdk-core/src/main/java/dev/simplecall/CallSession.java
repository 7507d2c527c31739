package dev.simplecall;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One call: joins a room over signaling, calls a peer or waits to be called, and carries media and
 * data channels. Made by {@link CallClient#newSession}. States: {@code NEW -> CONNECTING -> CONNECTED
 * <-> RECONNECTING -> ENDED}. A session is single-use: after {@code ENDED} make a new one.
 * Thread-safe: every method may be called from any thread and returns without waiting for the network.
 *
 * <pre>{@code
 * CallSession session = client.newSession(options, new CallSession.Listener() {
 *   public void onStateChanged(CallSession s, CallState state) { System.out.println(state); }
 *   public void onEnded(CallSession s, EndReason reason, CallException error) { done.countDown(); }
 * });
 * session.call("bob");
 * }</pre>
 */
public interface CallSession extends AutoCloseable {
  String peerId();

  String room();

  CallState state();

  /** The peer of the current (or last) call, or {@code null} until a call exists. */
  String remotePeerId();

  /** Connects signaling and joins the room, then waits for a call. {@link IllegalStateException} if started twice. */
  void start();

  /** Calls {@code peerId}, starting the session first if needed. {@link IllegalStateException} if a call exists. */
  void call(String peerId);

  /** Sends bye {@code hangup} and ends with {@link EndReason#HANGUP}. Does nothing once ended. */
  void hangUp();

  /** Hangs up if in a call, leaves the room and releases everything. Graceful and idempotent. */
  @Override
  void close();

  /** Ends at once with {@link EndReason#CLIENT_CLOSED}: no bye, no leave. Idempotent. */
  void cancel();

  /** Peers currently in the room, not counting this one. */
  Set<String> roomPeers();

  /** Mutes the outgoing audio (the sender sends silence); works for every audio source. */
  void setAudioMuted(boolean muted);

  /**
   * Switches the microphone mid-call, by system name or description ({@code null}: the default).
   * Needs a call started with {@link AudioSource#microphone()} or a {@link Speaker}. The future fails
   * with the reason, for an unknown device listing the devices there are.
   */
  CompletableFuture<Void> setMicrophone(String nameOrDescription);

  /** Switches the speaker mid-call, or stops playing ({@link Speaker#none()}); as {@link #setMicrophone}. */
  CompletableFuture<Void> setSpeaker(Speaker speaker);

  /** The microphone's current level, 0..1, for a meter (fails when no call is under way). */
  CompletableFuture<Double> microphoneLevel();

  void setVideoEnabled(boolean enabled);

  void addRemoteVideoSink(VideoFrameSink sink);

  void removeRemoteVideoSink(VideoFrameSink sink);

  /** Local preview: the frames this session sends. */
  void addLocalVideoSink(VideoFrameSink sink);

  void removeLocalVideoSink(VideoFrameSink sink);

  void addRemoteAudioSink(AudioSink sink);

  void removeRemoteAudioSink(AudioSink sink);

  /** Where to push frames, when the video source is {@link VideoSource#appFrames}; else {@code null}. */
  AppVideoSource appVideo();

  /** Where to push PCM, when the audio source is {@link AudioSource#appPcm}; else {@code null}. */
  AppAudioSource appAudio();

  /**
   * Adds or switches the outgoing video mid-call. When video is already being sent the new source
   * takes over the same sender ({@code replaceTrack}: no renegotiation, the far end keeps its track);
   * adding video to a call without it renegotiates. A source that cannot start (no display for a
   * screen, an absent named camera) ends the call {@code FAILED} with the reason.
   */
  void addVideo(VideoSource source);

  /** Stops sending video; renegotiates. */
  void removeVideo();

  void addAudio(AudioSource source);

  void removeAudio();

  /**
   * Opens a data channel and returns it at once; it is usable once {@link DataChannel.Listener#onOpen}
   * fires. Needs a call (state {@code CONNECTING} or later): without one, or when the call ends first,
   * the channel's listener hears {@link DataChannel.Listener#onFailure} instead.
   */
  DataChannel openDataChannel(String label, DataChannelOptions options);

  /**
   * A statistics snapshot. Completes exceptionally with an {@link IllegalStateException} when there is
   * no call, and at once when the session has ended (a snapshot still in flight then fails too).
   */
  CompletableFuture<CallStats> stats();

  /** Calls {@link Listener#onStats} at this interval while connected; {@link Duration#ZERO} = off. */
  void setStatsInterval(Duration interval);

  /**
   * Session events. All methods do nothing by default; they run on the client's callback executor,
   * one at a time, in order. {@link #onEnded} is terminal and called exactly once per started session.
   */
  abstract class Listener {
    public void onStateChanged(CallSession session, CallState state) {}

    /** Joined the room (again, after a signaling reconnect); {@code peers} excludes this one. */
    public void onJoined(CallSession session, Set<String> peers) {}

    public void onPeerJoined(CallSession session, String peer) {}

    public void onPeerLeft(CallSession session, String peer) {}

    /** A call arrives: in {@link AnswerMode#ASK} accept or decline it; in AUTO it is informational. */
    public void onIncomingCall(CallSession session, IncomingCall call) {}

    /** Human-readable progress: "joining", "joined", "calling bob", "ICE checking", "connected", ... */
    public void onProgress(CallSession session, String step) {}

    /** The remote peer opened a data channel. */
    public void onDataChannel(CallSession session, DataChannel channel) {}

    public void onFirstRemoteFrame(CallSession session) {}

    /**
     * No remote video frame has arrived for a second (a network outage, loss, a sender that stopped),
     * after frames had been arriving. At most once until {@link #onRemoteVideoResumed}.
     */
    public void onRemoteVideoStalled(CallSession session) {}

    /** Remote video frames arrive again after {@link #onRemoteVideoStalled}; the gap lasted about {@code stalledMs}. */
    public void onRemoteVideoResumed(CallSession session, long stalledMs) {}

    public void onStats(CallSession session, CallStats stats) {}

    public void onSignalingReconnecting(CallSession session) {}

    public void onSignalingReconnected(CallSession session) {}

    /** Terminal, exactly once. {@code error} says what happened for ICE_FAILED, SIGNALING_FAILED, FAILED and REMOTE_GONE; else {@code null}. */
    public void onEnded(CallSession session, EndReason reason, CallException error) {}
  }
}
