package dev.simplecall.internal;

import dev.simplecall.AppAudioSource;
import dev.simplecall.AppVideoSource;
import dev.simplecall.AudioSink;
import dev.simplecall.AudioSource;
import dev.simplecall.CallStats;
import dev.simplecall.DataChannelOptions;
import dev.simplecall.IceServer;
import dev.simplecall.VideoFrameSink;
import dev.simplecall.VideoSource;
import dev.simplecall.internal.webrtc.DataChannelImpl;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What a call needs from its peer connection beyond negotiation: local media, remote sinks, data
 * channels, statistics, teardown. The real one is {@code webrtc.WebRtcPeer}; the call rules are
 * unit-tested against a fake. Every method is called on the session thread; futures complete on any
 * thread.
 */
public interface CallPeer extends PeerLink {
  /** Sends {@code spec} as the video track (replacing the current one); throws {@code VideoUnavailableException}. */
  void setVideo(VideoSource spec);

  void setAudio(AudioSource spec);

  /** ICE connected: sources that play from a start (a file) start now. */
  void mediaConnected();

  boolean hasLocalMedia();

  /** Makes sure an offer has an m-line even with no local media. */
  void ensureTransport();

  void setAudioMuted(boolean muted);

  void setVideoEnabled(boolean enabled);

  /** Sends the video at 1/{@code scaleDownBy} of its resolution and at most {@code maxBitrate} bit/s (0: no room ceiling). */
  void limitVideo(double scaleDownBy, int maxBitrate);

  /** Where the app's own frames go when the video source is app frames, else {@code null}. */
  AppVideoSource appVideo();

  /** Where the app's own PCM goes when the audio source is app PCM, else {@code null}. */
  AppAudioSource appAudio();

  /** Adds ({@code add}) or removes one sink of each kind; any may be {@code null}. */
  void sinks(VideoFrameSink remoteVideo, VideoFrameSink localVideo, AudioSink remoteAudio, boolean add);

  /** Makes the native channel behind {@code ch}; its listener hears open or failure. */
  void openDataChannel(DataChannelImpl ch, DataChannelOptions options);

  /** The ICE servers for every later gathering (fresh TURN credentials). */
  void setIceServers(List<IceServer> servers);

  /** A statistics snapshot; bitrates are computed against the previous snapshot of this peer. */
  CompletableFuture<CallStats> stats(long connectMs, long firstFrameMs);

  /**
   * One step of the video sender's adaptation to its path (the floor under random loss, and once, early
   * in the call, an encoder restart for a key frame coded at the bandwidth the call has then), taken every
   * second while connected; the future completes with what changed, for the progress log, or {@code null}.
   */
  CompletableFuture<String> adaptVideo();

  /** Remote video frames received so far; any thread may read it. */
  long remoteVideoFrames();

  /** Every byte received on the call so far (media, RTCP, data channels): it grows while the remote peer lives. */
  CompletableFuture<Long> bytesReceived();

  /** The microphone's input level, 0..1. */
  CompletableFuture<Double> microphoneLevel();

  /** The type of this side's candidate in the selected pair ({@code host}, {@code srflx}, {@code relay}), or null. */
  CompletableFuture<String> localCandidateType();

  /** Releases the peer connection and its tracks and channels. */
  void close();
}
