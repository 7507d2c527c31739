package dev.simplecall.internal;

import dev.simplecall.AudioSink;
import dev.simplecall.VideoFrameSink;
import dev.simplecall.internal.webrtc.RemoteMedia;

/** Adds or removes one sink of each kind (any may be null) on a peer's media routing. */
final class RemoteMediaOps {
  private RemoteMediaOps() {}

  static void apply(RemoteMedia m, VideoFrameSink remoteVideo, VideoFrameSink localVideo, AudioSink remoteAudio,
      boolean add) {
    if (remoteVideo != null) {
      if (add) m.addVideoSink(remoteVideo);
      else m.removeVideoSink(remoteVideo);
    }
    if (localVideo != null) {
      if (add) m.addLocalSink(localVideo);
      else m.removeLocalSink(localVideo);
    }
    if (remoteAudio != null) {
      if (add) m.addAudioSink(remoteAudio);
      else m.removeAudioSink(remoteAudio);
    }
  }
}
