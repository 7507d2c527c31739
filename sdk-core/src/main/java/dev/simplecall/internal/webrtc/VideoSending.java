package dev.simplecall.internal.webrtc;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCRtpCodecCapability;
import dev.onvoid.webrtc.RTCRtpEncodingParameters;
import dev.onvoid.webrtc.RTCRtpSendParameters;
import dev.onvoid.webrtc.RTCRtpSender;
import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.media.MediaStreamTrack;
import dev.onvoid.webrtc.media.MediaType;
import dev.simplecall.internal.media.VideoUnavailableException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * How a new video sender sends: the app's codec preference (the named codecs first, in its order, the
 * others after them; set on the sender's transceiver before the offer or answer is made), its
 * bitrate ceiling (every encoding's {@code maxBitrate}) and floor ({@code minBitrate}, at most the
 * ceiling).
 */
final class VideoSending {
  private VideoSending() {}

  /** @throws VideoUnavailableException when the engine has none of the preferred codecs */
  static void apply(PeerConnectionFactory factory, RTCPeerConnection pc, RTCRtpSender sender, List<String> codecs,
      int maxBitrate, int minBitrate) {
    if (!codecs.isEmpty()) {
      List<RTCRtpCodecCapability> all = factory.getRtpSenderCapabilities(MediaType.VIDEO).getCodecs();
      List<RTCRtpCodecCapability> ordered = new ArrayList<>();
      for (String wanted : codecs) {
        for (RTCRtpCodecCapability c : all) if (c.getName().equalsIgnoreCase(wanted)) ordered.add(c);
      }
      if (ordered.isEmpty()) {
        Set<String> have = new LinkedHashSet<>();
        for (RTCRtpCodecCapability c : all) have.add(c.getName());
        throw new VideoUnavailableException("none of the video codecs " + codecs + " is available; this engine has " + have);
      }
      for (RTCRtpCodecCapability c : all) if (!ordered.contains(c)) ordered.add(c);
      // the wrappers webrtc-java returns are new objects on every call: the track's id finds the transceiver
      String trackId = sender.getTrack().getId();
      for (RTCRtpTransceiver t : pc.getTransceivers()) {
        MediaStreamTrack track = t.getSender() == null ? null : t.getSender().getTrack();
        if (track != null && trackId.equals(track.getId())) t.setCodecPreferences(ordered);
      }
    }
    if (maxBitrate > 0 || minBitrate > 0) {
      RTCRtpSendParameters p = sender.getParameters();
      for (RTCRtpEncodingParameters e : p.encodings) {
        if (maxBitrate > 0) e.maxBitrate = maxBitrate;
        if (minBitrate > 0) e.minBitrate = floor(minBitrate, maxBitrate);
      }
      sender.setParameters(p);
    }
  }

  /**
   * Every encoding at 1/{@code scaleDownBy} of the source's resolution, at most {@code maxBitrate} bit/s
   * (0: no ceiling) and at least {@code minBitrate} (0: no floor).
   */
  static void limit(RTCRtpSender sender, double scaleDownBy, int maxBitrate, int minBitrate) {
    RTCRtpSendParameters p = sender.getParameters();
    for (RTCRtpEncodingParameters e : p.encodings) {
      e.scaleResolutionDownBy = scaleDownBy;
      e.maxBitrate = maxBitrate > 0 ? maxBitrate : null;
      e.minBitrate = minBitrate > 0 ? floor(minBitrate, maxBitrate) : null;
    }
    sender.setParameters(p);
  }

  /**
   * Stops and restarts every encoding of the sender at once, so that the encoder starts over with a
   * key frame coded for the bandwidth it has now. No frame is lost at the far end (measured: 30 fps
   * received through it).
   */
  static void restart(RTCRtpSender sender) {
    RTCRtpSendParameters p = sender.getParameters();
    for (RTCRtpEncodingParameters e : p.encodings) e.active = false;
    sender.setParameters(p);
    p = sender.getParameters();
    for (RTCRtpEncodingParameters e : p.encodings) e.active = true;
    sender.setParameters(p);
  }

  /** libwebrtc refuses a floor above the ceiling. */
  private static int floor(int minBitrate, int maxBitrate) {
    return maxBitrate > 0 ? Math.min(minBitrate, maxBitrate) : minBitrate;
  }
}
