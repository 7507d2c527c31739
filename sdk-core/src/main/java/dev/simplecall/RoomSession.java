package dev.simplecall;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * This app's place in a group call: one signaling connection to the room and one peer connection to
 * every other member (a mesh), made and torn down as members come and go. Local media is the
 * {@link SessionOptions#media()} of the {@link RoomOptions}, sent to every member; with a speaker, the
 * sound server plays the mix of every member's audio.
 *
 * <p>Each pair of members follows the 1:1 call's rules: perfect negotiation (the greater peer id is
 * polite), trickle ICE, ICE restart, TURN, fresh credentials. Of each pair, the member with the smaller
 * peer id calls the other as soon as it knows of it, so members that join at the same instant make one
 * connection per pair. A connection that fails while both members are still in the room is made again
 * (by the smaller id, after 1 s, then up to 10 s apart).
 *
 * <pre>{@code
 * RoomSession room = client.joinRoom(RoomOptions.builder().session(options).build(), new RoomSession.Listener() {
 *   public void onParticipantJoined(RoomSession r, Participant p) { p.addVideoSink(view(p.peerId())); }
 *   public void onMessage(RoomSession r, Participant from, String text) { show(from.peerId(), text); }
 * });
 * room.sendToAll("hello");
 * room.leave();
 * }</pre>
 *
 * <p>Methods return at once and may be called from any thread; listener methods run on the client's
 * callback executor, one at a time.
 */
public interface RoomSession extends AutoCloseable {
  /** Where a room session is. */
  enum State {
    /** Connecting to signaling; no welcome yet. */
    JOINING,
    /** In the room: members are connected to as they come. */
    JOINED,
    /** Left, refused or failed; see {@link Listener#onEnded}. */
    ENDED
  }

  /**
   * How the video this app sends to each member is limited for the room's size: the whole source for
   * one or two others, half its width and height and at most 300 kbit/s per member for three or more
   * (a member's uplink carries one stream per other member).
   *
   * @param scaleDownBy the source's width and height are divided by this (1: full resolution)
   * @param maxBitrate the most bit/s sent to each member, 0 when the room sets no ceiling (the app's
   *     {@link MediaOptions#maxVideoBitrate()} still applies)
   */
  record VideoLimits(double scaleDownBy, int maxBitrate) {
    /** No limit from the room. */
    public static final VideoLimits NONE = new VideoLimits(1, 0);
  }

  /**
   * This app's peer id.
   *
   * @return the peer id of the {@link RoomOptions#session()}
   */
  String peerId();

  /**
   * The room.
   *
   * @return the room name
   */
  String room();

  /**
   * Where this room session is.
   *
   * @return the state
   */
  State state();

  /**
   * The other members now in the room, in the order they became known.
   *
   * @return a snapshot; empty before the welcome and after the end
   */
  List<Participant> participants();

  /**
   * One member.
   *
   * @param peerId a peer id
   * @return the member, or {@code null} when no member of the room has that id
   */
  Participant participant(String peerId);

  /**
   * The member heard loudest in the last second, for an active-speaker indicator.
   *
   * @return the member with the highest {@link Participant#audioLevel()} above 0.01, or {@code null}
   *     when nobody is speaking
   */
  Participant activeSpeaker();

  /**
   * How the video sent to each member is limited now; it changes as members come and go.
   *
   * @return the limits; {@link VideoLimits#NONE} while the room has fewer than four members
   */
  VideoLimits videoLimits();

  /**
   * Shows the video this app sends in {@code sink} (a preview). Frames flow while the room has at least
   * one connection: the sent video is captured for the connections.
   *
   * @param sink called on a native thread for each frame; it must return quickly and not throw
   */
  void addLocalVideoSink(VideoFrameSink sink);

  /**
   * Stops showing the sent video in {@code sink}.
   *
   * @param sink a sink given to {@link #addLocalVideoSink}
   */
  void removeLocalVideoSink(VideoFrameSink sink);

  /**
   * Where the app pushes its own frames, sent to every member, when the room's media is {@link
   * VideoSource#appFrames}: one shared track, so each frame is encoded once per member and pushed once.
   * Frames pushed while the room has no connection are dropped.
   *
   * @return the frame source, or {@code null} when the room sends other video
   */
  AppVideoSource appVideo();

  /**
   * Where the app pushes its own PCM, sent to every member, when the room's media is {@link
   * AudioSource#appPcm}; PCM pushed while the room has no connection is dropped.
   *
   * @return the PCM source, or {@code null} when the room sends other audio
   */
  AppAudioSource appAudio();

  /**
   * Sends a text message to every member whose data channel is open.
   *
   * @param text the message
   * @return how many members it was sent to
   */
  int sendToAll(String text);

  /**
   * Mutes or unmutes the audio sent to every member.
   *
   * @param muted true to send silence
   */
  void setAudioMuted(boolean muted);

  /**
   * Pauses or resumes the video sent to every member.
   *
   * @param enabled false to send black frames
   */
  void setVideoEnabled(boolean enabled);

  /**
   * Switches the video sent to every member (a camera to a screen share and back, a file, a pattern),
   * and to members that join later; each member's connection keeps its track (no renegotiation, except
   * from or to {@link VideoSource#none()}). The source is captured once for all members. One that cannot
   * start (no display for a screen, an absent named camera, an unreadable file) changes nothing.
   *
   * @param source the new video
   * @return completes once every connection has been told; fails with the reason when the source
   *     cannot start
   */
  CompletableFuture<Void> setVideo(VideoSource source);

  /**
   * Switches the microphone of the whole room (only when the room was joined with a microphone).
   *
   * @param nameOrDescription a device name or description from {@link AudioDevices}
   * @return completes once switched; fails with the reason otherwise
   */
  CompletableFuture<Void> setMicrophone(String nameOrDescription);

  /**
   * Leaves the room: hangs up every connection (each member hears {@link EndReason#REMOTE_HANGUP} on
   * its connection with this app and then this app leaving), closes the signaling connection and
   * releases the native engine; {@link Listener#onEnded} follows with {@link EndReason#HANGUP}.
   * Idempotent.
   */
  void leave();

  /** The same as {@link #leave()}. */
  @Override
  void close();

  /**
   * What happens in the room. Every method has an empty default.
   */
  abstract class Listener {
    /**
     * This app is in the room.
     *
     * @param room the room session
     * @param participants the members already there; connections to them are being made
     */
    public void onJoined(RoomSession room, List<Participant> participants) {}

    /**
     * A member came in (after {@link #onJoined}).
     *
     * @param room the room session
     * @param participant the new member
     */
    public void onParticipantJoined(RoomSession room, Participant participant) {}

    /**
     * A member left the room, or its connection ended after it left signaling.
     *
     * @param room the room session
     * @param participant the member, now {@link CallState#ENDED}
     */
    public void onParticipantLeft(RoomSession room, Participant participant) {}

    /**
     * The connection with a member changed state.
     *
     * @param room the room session
     * @param participant the member
     * @param state its new {@link Participant#state()}
     */
    public void onParticipantStateChanged(RoomSession room, Participant participant, CallState state) {}

    /**
     * The first video frame of a member's connection was decoded.
     *
     * @param room the room session
     * @param participant the member
     */
    public void onFirstRemoteFrame(RoomSession room, Participant participant) {}

    /**
     * A text message from a member.
     *
     * @param room the room session
     * @param from the member that sent it
     * @param text the message
     */
    public void onMessage(RoomSession room, Participant from, String text) {}

    /**
     * The room's size changed how the video sent to each member is limited.
     *
     * @param room the room session
     * @param limits the new limits
     */
    public void onVideoLimitsChanged(RoomSession room, VideoLimits limits) {}

    /**
     * A step of the room or of one of its connections, for logs and status lines.
     *
     * @param room the room session
     * @param step what happened, such as "bob: connected in 84 ms"
     */
    public void onProgress(RoomSession room, String step) {}

    /**
     * The room session ended, once: {@link EndReason#HANGUP} after {@link #leave()},
     * {@link EndReason#SIGNALING_FAILED} when signaling was lost or refused (a full room, a bad token),
     * {@link EndReason#FAILED} when the media engine could not start, {@link EndReason#CLIENT_CLOSED}.
     *
     * @param room the room session
     * @param reason why
     * @param error the cause, or {@code null}
     */
    public void onEnded(RoomSession room, EndReason reason, CallException error) {}
  }
}
