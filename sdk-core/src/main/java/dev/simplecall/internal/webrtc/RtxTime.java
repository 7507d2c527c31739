package dev.simplecall.internal.webrtc;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Adds {@code rtx-time} (RFC 4588) to every RTX payload type of a locally created description, before
 * it is set and sent. libwebrtc derives a video receive stream's waits from the local description's
 * {@code rtx-time}: it asks the sender for a key frame after {@code 3 × rtx-time} without a decodable
 * frame (3 s without the parameter) and repeats an unanswered key frame request every {@code rtx-time}.
 * A request made while the path is down is lost; with the default, video whose references were lost
 * in an outage stays frozen up to 3 s after the path is back. {@value #MS} ms shortens that to about 1 s.
 */
final class RtxTime {
  /** libwebrtc logs it as the video receive stream's {@code rtp_history_ms}. */
  static final int MS = 333;
  private static final Pattern RTPMAP_RTX = Pattern.compile("^a=rtpmap:(\\d+) rtx/", Pattern.MULTILINE);
  private static final Pattern FMTP = Pattern.compile("^a=fmtp:(\\d+) ([^\\r\\n]*)", Pattern.MULTILINE);

  private RtxTime() {}

  /** {@code sdp} with {@code ;rtx-time=MS} on each RTX fmtp line that has no {@code rtx-time} yet. */
  static String add(String sdp) {
    Set<String> rtx = new HashSet<>();
    Matcher m = RTPMAP_RTX.matcher(sdp);
    while (m.find()) rtx.add(m.group(1));
    if (rtx.isEmpty()) return sdp;
    Matcher f = FMTP.matcher(sdp);
    StringBuilder out = new StringBuilder(sdp.length() + rtx.size() * 16);
    while (f.find()) {
      String params = f.group(2);
      boolean add = rtx.contains(f.group(1)) && !params.contains("rtx-time=");
      f.appendReplacement(out, Matcher.quoteReplacement(f.group() + (add ? ";rtx-time=" + MS : "")));
    }
    f.appendTail(out);
    return out.toString();
  }
}
