package dev.simplecall.internal.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RtxTimeTest {
  private static final String VIDEO = String.join("\r\n",
      "m=video 9 UDP/TLS/RTP/SAVPF 96 97 98 99",
      "a=rtpmap:96 VP8/90000",
      "a=rtcp-fb:96 nack pli",
      "a=rtpmap:97 rtx/90000",
      "a=fmtp:97 apt=96",
      "a=rtpmap:98 VP9/90000",
      "a=fmtp:98 profile-id=0",
      "a=rtpmap:99 rtx/90000",
      "a=fmtp:99 apt=98;rtx-time=500",
      "");

  @Test
  void addsRtxTimeToRtxPayloadTypesOnly() {
    String out = RtxTime.add(VIDEO);
    assertEquals(VIDEO.replace("a=fmtp:97 apt=96\r\n", "a=fmtp:97 apt=96;rtx-time=" + RtxTime.MS + "\r\n"), out);
  }

  @Test
  void aDescriptionWithoutRtxIsUnchanged() {
    String audio = "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=rtpmap:111 opus/48000/2\r\na=fmtp:111 minptime=10;useinbandfec=1\r\n";
    assertEquals(audio, RtxTime.add(audio));
  }

  @Test
  void addingTwiceChangesNothingMore() {
    assertEquals(RtxTime.add(VIDEO), RtxTime.add(RtxTime.add(VIDEO)));
  }
}
