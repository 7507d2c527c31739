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
  /**
   * This session's own id in the room.
   *
   * @return the peer id of its {@link SessionOptions}
   */
  String peerId();

  /**
   * The room this session joins.
   *
   * @return the room of its {@link SessionOptions}
   */
  String room();

  /**
   * Where the session is now; {@link Listener#onStateChanged} reports each change.
   *
   * @return the current state
   */
  CallState state();

  /**
   * The peer of the current (or last) call, or {@code null} until a call exists.
   *
   * @return the remote peer's id, set when a call is placed or an incoming one is answered
   */
  String remotePeerId();

  /**
   * Connects signaling and joins the room, then waits for a call. {@link IllegalStateException} if started twice.
   *
   * @throws IllegalStateException when {@link #start()} or {@link #call(String)} was called before, or the
   *     session was closed before it started
   */
  void start();

  /**
   * Calls {@code peerId}, starting the session first if needed. A session places one call.
   * The call is placed once the room is joined; {@link EndReason#NO_ANSWER} ends it when it is neither
   * answered nor connected within {@link SessionOptions#noAnswerTimeout()}. While an incoming call this
   * session answered is under way, the call is not placed (the log says so).
   *
   * @param peerId the remote peer's id in the room, as in its join: 1-64 characters of
   *     {@code [A-Za-z0-9._-]}, not this session's own
   * @throws NullPointerException when {@code peerId} is {@code null}
   * @throws IllegalArgumentException when {@code peerId} is not a valid id or is this session's own
   * @throws IllegalStateException when {@code call} was called before on this session, or it has ended
   */
  void call(String peerId);

  /** Sends bye {@code hangup} and ends with {@link EndReason#HANGUP}. Does nothing once ended. */
  void hangUp();

  /** Hangs up if in a call, leaves the room and releases everything. Graceful and idempotent. */
  @Override
  void close();

  /** Ends at once with {@link EndReason#CLIENT_CLOSED}: no bye, no leave. Idempotent. */
  void cancel();

  /**
   * Peers currently in the room, not counting this one.
   *
   * @return a copy of the room's membership as the last {@code welcome}, {@code peer-joined} and
   *     {@code peer-left} left it; empty until joined
   */
  Set<String> roomPeers();

  /**
   * Mutes the outgoing audio (the sender sends silence); works for every audio source.
   *
   * @param muted {@code true} to send silence, {@code false} to send the source again; kept when the
   *     audio source changes, and applied to a call that starts later
   */
  void setAudioMuted(boolean muted);

  /**
   * Switches the microphone mid-call, by system name or description ({@code null}: the default).
   * Needs a call started with {@link AudioSource#microphone()} or a {@link Speaker}. The future fails
   * with the reason, for an unknown device listing the devices there are.
   *
   * @param nameOrDescription the device's system name or description, as {@link AudioDevices#list()} gives
   *     them; {@code null}: the sound server's default microphone
   * @return completes once the microphone is switched; fails with an {@link IllegalStateException} before
   *     {@link #start()}, after the session ended or when the call does not use the sound server, and
   *     with an exception naming the devices there are for an unknown device
   */
  CompletableFuture<Void> setMicrophone(String nameOrDescription);

  /**
   * Switches the speaker mid-call, or stops playing ({@link Speaker#none()}); as {@link #setMicrophone}.
   *
   * @param speaker where to play the remote audio from now on
   * @return completes once the speaker is switched; fails as {@link #setMicrophone} does
   * @throws NullPointerException when {@code speaker} is {@code null}
   */
  CompletableFuture<Void> setSpeaker(Speaker speaker);

  /**
   * The microphone's current level, 0..1, for a meter (fails when no call is under way).
   *
   * @return completes with the level libwebrtc measures on the outgoing audio before encoding, 0
   *     (silence) to 1 (full scale), or 0 without outgoing audio; fails with an {@link
   *     IllegalStateException} when there is no call or the session has ended
   */
  CompletableFuture<Double> microphoneLevel();

  /**
   * Turns the outgoing video on or off without renegotiating: while off, the video track is disabled
   * and libwebrtc sends black frames in place of the source's.
   *
   * @param enabled {@code false} to send black frames, {@code true} to send the source again; kept
   *     when the video source changes, and applied to a call that starts later
   */
  void setVideoEnabled(boolean enabled);

  /**
   * Adds a sink for the remote video: every decoded frame of the remote peer's video track. Sinks may
   * be added before the call and stay for the session's life.
   *
   * @param sink called on a native decoder thread for every frame; see {@link VideoFrameSink}
   * @throws NullPointerException when {@code sink} is {@code null}
   */
  void addRemoteVideoSink(VideoFrameSink sink);

  /**
   * Removes a sink added with {@link #addRemoteVideoSink}; a sink that was not added is ignored.
   *
   * @param sink the sink to remove
   */
  void removeRemoteVideoSink(VideoFrameSink sink);

  /**
   * Local preview: the frames this session sends.
   *
   * @param sink called for every frame sent, on the thread that produced it (a camera's capture thread,
   *     an SDK thread, or the app's thread that pushed it); see {@link VideoFrameSink}
   * @throws NullPointerException when {@code sink} is {@code null}
   */
  void addLocalVideoSink(VideoFrameSink sink);

  /**
   * Removes a sink added with {@link #addLocalVideoSink}; a sink that was not added is ignored.
   *
   * @param sink the sink to remove
   */
  void removeLocalVideoSink(VideoFrameSink sink);

  /**
   * Adds a sink for the remote audio, whether or not a {@link Speaker} plays it. Sinks may be added
   * before the call and stay for the session's life.
   *
   * @param sink called on the native playout thread about every 10 ms; see {@link AudioSink}
   * @throws NullPointerException when {@code sink} is {@code null}
   */
  void addRemoteAudioSink(AudioSink sink);

  /**
   * Removes a sink added with {@link #addRemoteAudioSink}; a sink that was not added is ignored.
   *
   * @param sink the sink to remove
   */
  void removeRemoteAudioSink(AudioSink sink);

  /**
   * Where to push frames, when the video source is {@link VideoSource#appFrames}; else {@code null}.
   *
   * @return the same object for the session's life when the session's media (its {@link
   *     SessionOptions#media()}, else the client's) starts with {@code appFrames}; {@code null} otherwise
   */
  AppVideoSource appVideo();

  /**
   * Where to push PCM, when the audio source is {@link AudioSource#appPcm}; else {@code null}.
   *
   * @return the same object for the session's life when the session's media (its {@link
   *     SessionOptions#media()}, else the client's) starts with {@code appPcm}; {@code null} otherwise
   */
  AppAudioSource appAudio();

  /**
   * Adds or switches the outgoing video mid-call. When video is already being sent the new source
   * takes over the same sender ({@code replaceTrack}: no renegotiation, the far end keeps its track);
   * adding video to a call without it renegotiates. A source that cannot start (no display for a
   * screen, an absent named camera) ends the call {@code FAILED} with the reason. Before the call the
   * source replaces the one the call will start with.
   *
   * @param source the new outgoing video; {@link VideoSource#none()} is {@link #removeVideo()}
   * @throws NullPointerException when {@code source} is {@code null}
   */
  void addVideo(VideoSource source);

  /** Stops sending video; renegotiates. */
  void removeVideo();

  /**
   * Adds or replaces the outgoing audio: the old track leaves the call and a new one is added, which
   * renegotiates. Before the call the source replaces the one the call will start with. The source must
   * suit the call's audio engine, chosen from the session's first media: a microphone needs a call set up
   * with a microphone or a speaker, and a tone, file or app PCM one without; otherwise (or when the
   * file cannot be read) the call goes on with its current audio, and {@link Listener#onProgress} and
   * the log say why.
   *
   * @param source the new outgoing audio; {@link AudioSource#none()} is {@link #removeAudio()}
   * @throws NullPointerException when {@code source} is {@code null}
   */
  void addAudio(AudioSource source);

  /** Stops sending audio; renegotiates. */
  void removeAudio();

  /**
   * Opens a data channel and returns it at once; it is usable once {@link DataChannel.Listener#onOpen}
   * fires. Needs a call (state {@code CONNECTING} or later): without one, or when the call ends first,
   * the channel's listener hears {@link DataChannel.Listener#onFailure} instead.
   *
   * @param label the channel's name, which the remote peer sees in {@link DataChannel#label()}
   * @param options ordered and reliable, or unordered with limited retransmissions
   * @return the channel, not open yet
   * @throws NullPointerException when {@code label} or {@code options} is {@code null}
   */
  DataChannel openDataChannel(String label, DataChannelOptions options);

  /**
   * A statistics snapshot. Completes exceptionally with an {@link IllegalStateException} when there is
   * no call, and at once when the session has ended (a snapshot still in flight then fails too).
   *
   * @return completes with the snapshot, on the session's own thread (so stages attached to it should not
   *     block); it takes 250 ms more when no snapshot was taken in the 5 s before, to measure bitrates
   */
  CompletableFuture<CallStats> stats();

  /**
   * Calls {@link Listener#onStats} at this interval while connected; {@link Duration#ZERO} = off.
   * The first call comes one interval after the call first connects, and they go on through
   * {@code RECONNECTING} until the session ends. Setting it again restarts the timing.
   *
   * @param interval time between two snapshots; values under 100 ms count as 100 ms; {@link
   *     Duration#ZERO}: no more {@code onStats}
   * @throws NullPointerException when {@code interval} is {@code null}
   * @throws IllegalArgumentException when {@code interval} is negative
   */
  void setStatsInterval(Duration interval);

  /**
   * Session events. All methods do nothing by default; they run on the client's callback executor,
   * one at a time, in order. {@link #onEnded} is terminal and called exactly once per started session.
   */
  abstract class Listener {
    /**
     * The session moved to {@code state}; called once per change, in order.
     *
     * @param session the session the event belongs to
     * @param state the new state
     */
    public void onStateChanged(CallSession session, CallState state) {}

    /**
     * Joined the room (again, after a signaling reconnect); {@code peers} excludes this one.
     *
     * @param session the session the event belongs to
     * @param peers the other peers in the room at the join, from the server's {@code welcome}
     */
    public void onJoined(CallSession session, Set<String> peers) {}

    /**
     * Another peer joined the room.
     *
     * @param session the session the event belongs to
     * @param peer the id it joined with
     */
    public void onPeerJoined(CallSession session, String peer) {}

    /**
     * Another peer left the room, or its signaling vanished. When it is the peer of the call, the call
     * ends {@link EndReason#REMOTE_GONE} once its media stops (at once when none flows yet).
     *
     * @param session the session the event belongs to
     * @param peer the id of the peer that left
     */
    public void onPeerLeft(CallSession session, String peer) {}

    /**
     * A call arrives: in {@link AnswerMode#ASK} accept or decline it; in AUTO it is informational.
     * While this session is in a call, or another call rings, a caller hears busy instead and this
     * is not called.
     *
     * @param session the session the event belongs to
     * @param call the caller and the means to answer
     */
    public void onIncomingCall(CallSession session, IncomingCall call) {}

    /**
     * Human-readable progress: "joining", "joined", "calling bob", "ICE checking", "connected", ...
     *
     * @param session the session the event belongs to
     * @param step a short English description, for logs and status lines; its wording may change
     */
    public void onProgress(CallSession session, String step) {}

    /**
     * The remote peer opened a data channel.
     *
     * @param session the session the event belongs to
     * @param channel the channel; set its listener to receive, events before that are kept for it
     */
    public void onDataChannel(CallSession session, DataChannel channel) {}

    /**
     * The first frame of the remote video has arrived (once per call); {@link CallStats#firstFrameMs()}
     * says how long it took.
     *
     * @param session the session the event belongs to
     */
    public void onFirstRemoteFrame(CallSession session) {}

    /**
     * No remote video frame has arrived for a second (a network outage, loss, a sender that stopped),
     * after frames had been arriving. At most once until {@link #onRemoteVideoResumed}.
     *
     * @param session the session the event belongs to
     */
    public void onRemoteVideoStalled(CallSession session) {}

    /**
     * Remote video frames arrive again after {@link #onRemoteVideoStalled}; the gap lasted about {@code stalledMs}.
     *
     * @param session the session the event belongs to
     * @param stalledMs milliseconds from the last frame before the stall to the first after it, measured
     *     to about 250 ms
     */
    public void onRemoteVideoResumed(CallSession session, long stalledMs) {}

    /**
     * A periodic snapshot, as set with {@link CallSession#setStatsInterval}.
     *
     * @param session the session the event belongs to
     * @param stats the snapshot
     */
    public void onStats(CallSession session, CallStats stats) {}

    /**
     * The signaling connection dropped and the transport is reconnecting; the call's media goes on.
     * {@link #onSignalingReconnected} follows when it is back, or {@link #onEnded} with {@link
     * EndReason#SIGNALING_FAILED} when it gives up.
     *
     * @param session the session the event belongs to
     */
    public void onSignalingReconnecting(CallSession session) {}

    /**
     * The signaling connection is back after {@link #onSignalingReconnecting}.
     *
     * @param session the session the event belongs to
     */
    public void onSignalingReconnected(CallSession session) {}

    /**
     * Terminal, exactly once. {@code error} says what happened for ICE_FAILED, SIGNALING_FAILED, FAILED and
     * REMOTE_GONE; else {@code null}.
     *
     * @param session the session the event belongs to
     * @param reason why the session ended
     * @param error what happened, or {@code null} for an ordinary end
     */
    public void onEnded(CallSession session, EndReason reason, CallException error) {}
  }
}
