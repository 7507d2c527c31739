package dev.simplecall.internal.webrtc;

import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCRtpSender;
import dev.simplecall.AppAudioSource;
import dev.simplecall.AppVideoSource;
import dev.simplecall.AudioSource;
import dev.simplecall.VideoSource;
import dev.simplecall.internal.media.AppPcm;
import dev.simplecall.internal.media.Dispose;
import dev.simplecall.internal.media.LocalTracks;
import dev.simplecall.internal.media.LocalVideo;
import dev.simplecall.internal.media.MediaEngine;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outgoing tracks of one peer connection: the video (a {@link LocalVideo} producer) and the audio
 * (an {@link AppPcm} track), their senders, and the local preview routed through {@link RemoteMedia}.
 * Called on the session executor, released by {@link WebRtcPeer#close()} in three steps.
 */
final class PeerTracks {
  private static final Logger log = LoggerFactory.getLogger(PeerTracks.class);
  private static final List<String> STREAM = List.of("simplecall");

  private final MediaEngine engine;
  private final RTCPeerConnection pc;
  private final RemoteMedia remote;
  private LocalVideo video;
  private RTCRtpSender videoSender;
  private AppPcm audio;
  private RTCRtpSender audioSender;

  private final List<String> videoCodecs;
  private final int maxVideoBitrate;
  private final int minVideoBitrate;
  private final LocalTracks sources;
  /** The room's sending limits: resolution divided by this, and a bitrate ceiling (0: none). */
  private double scaleDown = 1;
  private int limitBitrate;
  /** The floor {@link LossFloor} asks for (0: none); the app's own floor stays under it. */
  private int lossFloor;

  PeerTracks(MediaEngine engine, RTCPeerConnection pc, RemoteMedia remote, List<String> videoCodecs, int maxVideoBitrate,
      int minVideoBitrate, LocalTracks sources) {
    this.engine = engine;
    this.pc = pc;
    this.remote = remote;
    this.videoCodecs = videoCodecs;
    this.maxVideoBitrate = maxVideoBitrate;
    this.minVideoBitrate = minVideoBitrate;
    this.sources = sources;
  }

  /**
   * Sends the video at 1/{@code scaleDownBy} of its resolution and at most {@code maxBitrate} bit/s (0:
   * the app's own ceiling, if any), now and for any later track.
   */
  void limitVideo(double scaleDownBy, int maxBitrate) {
    this.scaleDown = scaleDownBy;
    this.limitBitrate = maxBitrate;
    if (videoSender != null) applyLimits();
  }

  /** Sets the floor for random loss ({@code bps}, 0: none); returns whether it changed. */
  boolean lossFloor(int bps) {
    if (bps == lossFloor || videoSender == null) return false;
    lossFloor = bps;
    applyLimits();
    return true;
  }

  /** Restarts the video encoder with a fresh key frame ({@link VideoSending#restart}); refused: logged. */
  void restartVideoEncoder() {
    if (videoSender == null) return;
    try {
      VideoSending.restart(videoSender);
    } catch (RuntimeException e) {
      log.warn("video encoder restart not applied: {}", e.toString());
    }
  }

  boolean sendsVideo() {
    return videoSender != null;
  }

  /** The limits on the sender; libwebrtc refusing them leaves the call as it is (logged), never ends it. */
  private void applyLimits() {
    try {
      VideoSending.limit(videoSender, scaleDown, effectiveBitrate(), minBitrate());
    } catch (RuntimeException e) {
      log.warn("video limits (1/{} resolution, {}-{} bit/s) not applied: {}", scaleDown, minBitrate(), effectiveBitrate(),
          e.toString());
    }
  }

  private int minBitrate() {
    return Math.max(minVideoBitrate, lossFloor);
  }

  private int effectiveBitrate() {
    if (limitBitrate <= 0) return maxVideoBitrate;
    return maxVideoBitrate <= 0 ? limitBitrate : Math.min(limitBitrate, maxVideoBitrate);
  }

  /** Adds (or replaces) the outgoing video track; renegotiation follows through onNegotiationNeeded. */
  void setVideo(VideoSource spec) {
    if (video != null && videoSender != null && spec.kind() != VideoSource.Kind.NONE) {
      replaceVideo(spec);
      return;
    }
    removeVideo();
    if (spec.kind() == VideoSource.Kind.NONE) return;
    video = sources.acquireVideo(engine.factory(), spec);
    videoSender = pc.addTrack(video.track(), STREAM);
    remote.attachLocal(video.track());
    VideoSending.apply(engine.factory(), pc, videoSender, videoCodecs, effectiveBitrate(), minVideoBitrate);
    if (scaleDown != 1) applyLimits();
  }

  /** The call is connected: sources that wait for it (a video file) start now. */
  void mediaConnected() {
    if (video != null) video.connected();
    // limits set before negotiation do not survive it (the sender had no stream yet): set them again
    if (videoSender != null && (scaleDown != 1 || effectiveBitrate() > 0 || minVideoBitrate > 0)) applyLimits();
  }

  /**
   * Switches the outgoing video (camera, screen, file, pattern) on the same sender with
   * {@code replaceTrack}: no renegotiation, the far end keeps its track. The new source is made
   * first; if it cannot start, the current one stays and the exception goes to the caller.
   */
  private void replaceVideo(VideoSource spec) {
    LocalVideo next = sources.acquireVideo(engine.factory(), spec);
    LocalVideo old = video;
    try {
      videoSender.replaceTrack(next.track());
    } catch (RuntimeException | Error e) {
      sources.releaseVideo(next);
      throw e;
    }
    remote.detachLocal(old.track());
    video = next;
    remote.attachLocal(next.track());
    sources.releaseVideo(old);
  }

  private void removeVideo() {
    if (video == null) return;
    remote.detachLocal(video.track());
    if (videoSender != null) pc.removeTrack(videoSender);
    sources.releaseVideo(video);
    video = null;
    videoSender = null;
  }

  /**
   * Sends {@code spec} instead of the current audio. The new track is made first: when the engine cannot
   * make it ({@link IllegalStateException}, e.g. a microphone in a call set up without the sound
   * server, or an unreadable file) the current audio goes on.
   */
  void setAudio(AudioSource spec) {
    AppPcm next = spec.kind() == AudioSource.Kind.NONE ? null : sources.acquireAudio(engine, spec);
    removeAudio();
    if (next == null) return;
    audio = next;
    audioSender = pc.addTrack(audio.track(), STREAM);
  }

  private void removeAudio() {
    if (audio == null) return;
    if (audioSender != null) pc.removeTrack(audioSender);
    sources.releaseAudio(audio);
    audio = null;
    audioSender = null;
  }

  boolean hasLocalMedia() {
    return video != null || audio != null;
  }

  void setAudioMuted(boolean muted) {
    if (audio != null) audio.track().setEnabled(!muted);
  }

  void setVideoEnabled(boolean enabled) {
    if (video != null) video.track().setEnabled(enabled);
  }

  AppVideoSource appVideo() {
    return video == null ? null : video.appSource();
  }

  AppAudioSource appAudio() {
    return audio == null ? null : audio.appSource();
  }

  /** Close, step 1: the video producer stops feeding frames. */
  void stopProducers() {
    LocalVideo v = video;
    if (v != null) Dispose.quietly("video producer", () -> sources.stopVideo(v));
  }

  /** Close, step 2: the tracks leave their senders, so that disposing them finds no other reference. */
  void detachSenders() {
    for (RTCRtpSender sender : new RTCRtpSender[] {videoSender, audioSender}) {
      if (sender == null) continue;
      try {
        pc.removeTrack(sender);
      } catch (Throwable t) {
        log.debug("removeTrack on close: {}", t.toString());
      }
    }
  }

  /** Close, step 3 (after the peer connection is closed): the tracks are disposed. */
  void dispose() {
    LocalVideo v = video;
    if (v != null) Dispose.quietly("video track", () -> sources.releaseVideo(v));
    AppPcm a = audio;
    if (a != null) Dispose.quietly("audio track", () -> sources.releaseAudio(a));
    video = null;
    audio = null;
  }
}
