package dev.simplecall.internal;

import dev.simplecall.AudioSink;
import dev.simplecall.AudioSource;
import dev.simplecall.MediaOptions;
import dev.simplecall.VideoFrameSink;
import dev.simplecall.VideoSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A session's media choices and where they go: the local sources (switchable, before or during the
 * call), mute and video-enabled, the app's sinks, and the proxies the app holds for its own frames and
 * PCM. Applied to the call's peer connection once it exists ({@link #bind}), the local sources when the
 * call first needs them ({@link #attach}). Confined to the session thread, except the sink lists (the
 * facade adds to them from any thread, then asks for {@link #syncSinks}).
 */
final class LocalMedia {
  final List<VideoFrameSink> remoteVideoSinks = new CopyOnWriteArrayList<>();
  final List<VideoFrameSink> localVideoSinks = new CopyOnWriteArrayList<>();
  final List<AudioSink> remoteAudioSinks = new CopyOnWriteArrayList<>();
  final AppVideoProxy appVideo;
  final AppAudioProxy appAudio;
  private VideoSource video;
  private AudioSource audio;
  private boolean audioMuted;
  private boolean videoEnabled = true;
  private boolean attached;
  private CallPeer peer;
  private double scaleDown = 1;
  private int limitBitrate;

  LocalMedia(MediaOptions initial) {
    this.video = initial.video();
    this.audio = initial.audio();
    this.appVideo = video.kind() == VideoSource.Kind.APP_FRAMES ? new AppVideoProxy() : null;
    this.appAudio = audio.kind() == AudioSource.Kind.APP_PCM ? new AppAudioProxy(audio.sampleRate(), audio.channels()) : null;
  }

  /** The call's peer connection: the app's sinks are added to it now. */
  void bind(CallPeer peer) {
    this.peer = peer;
    if (scaleDown != 1 || limitBitrate != 0) peer.limitVideo(scaleDown, limitBitrate);
    for (VideoFrameSink s : remoteVideoSinks) peer.sinks(s, null, null, true);
    for (VideoFrameSink s : localVideoSinks) peer.sinks(null, s, null, true);
    for (AudioSink s : remoteAudioSinks) peer.sinks(null, null, s, true);
  }

  /**
   * Sends the local sources on the call (once; later calls do nothing). Throws {@code
   * VideoUnavailableException} when the video source cannot start ({@code connected}: the call is
   * already up, so a source that plays from its start starts now).
   */
  void attach(boolean connected) {
    if (attached) return;
    attached = true;
    attachVideo(connected);
    attachAudio();
  }

  /** Switches the video source; sent at once when the call already sends media. Throws as {@link #attach}. */
  void setVideo(VideoSource source, boolean connected) {
    video = source;
    if (peer != null && attached) attachVideo(connected);
  }

  /**
   * Switches the audio source; sent at once when the call already sends media. When the call's engine
   * cannot make it, throws {@link IllegalStateException} and the current source goes on.
   */
  void setAudio(AudioSource source) {
    AudioSource before = audio;
    audio = source;
    if (peer == null || !attached) return;
    try {
      attachAudio();
    } catch (RuntimeException e) {
      audio = before;
      throw e;
    }
  }

  void setAudioMuted(boolean muted) {
    audioMuted = muted;
    if (peer != null) peer.setAudioMuted(muted);
  }

  /** A room's limits on the sent video: resolution divided by {@code scaleDownBy}, at most {@code maxBitrate} bit/s. */
  void limitVideo(double scaleDownBy, int maxBitrate) {
    scaleDown = scaleDownBy;
    limitBitrate = maxBitrate;
    if (peer != null) peer.limitVideo(scaleDownBy, maxBitrate);
  }

  void setVideoEnabled(boolean enabled) {
    videoEnabled = enabled;
    if (peer != null) peer.setVideoEnabled(enabled);
  }

  /** Re-applies one sink of each kind (any may be null) to the current peer after the facade changed the lists. */
  void syncSinks(VideoFrameSink remoteVideo, VideoFrameSink localVideo, AudioSink remoteAudio, boolean add) {
    if (peer != null) peer.sinks(remoteVideo, localVideo, remoteAudio, add);
  }

  VideoSource video() {
    return video;
  }

  /** The session ended: the app's frames and PCM go nowhere from now on. */
  void detach() {
    if (appVideo != null) appVideo.target = null;
    if (appAudio != null) appAudio.target = null;
  }

  private void attachVideo(boolean connected) {
    peer.setVideo(video);
    if (connected) peer.mediaConnected(); // video replaced mid-call
    peer.setVideoEnabled(videoEnabled);
    if (appVideo != null) appVideo.target = peer.appVideo();
  }

  private void attachAudio() {
    peer.setAudio(audio);
    peer.setAudioMuted(audioMuted);
    if (appAudio != null) appAudio.target = peer.appAudio();
  }
}
