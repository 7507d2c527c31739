package dev.simplecall.internal.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.onvoid.webrtc.RTCStats;
import dev.onvoid.webrtc.RTCStatsType;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class StatsMapperRawFieldsTest {
  @Test
  void rawFieldsNameTheVideoStreamsAndThePairAndSkipAudio() {
    Map<String, RTCStats> all = new LinkedHashMap<>();
    all.put("out", stats(RTCStatsType.OUTBOUND_RTP, "out", Map.of("kind", "video", "targetBitrate", 1700000.0,
        "qualityLimitationReason", "none", "qpSum", BigInteger.valueOf(60))));
    all.put("audio", stats(RTCStatsType.OUTBOUND_RTP, "audio", Map.of("kind", "audio", "targetBitrate", 32000.0)));
    all.put("in", stats(RTCStatsType.INBOUND_RTP, "in", Map.of("kind", "video", "framesPerSecond", 30.0)));
    RTCStats pair = stats(RTCStatsType.CANDIDATE_PAIR, "pair", Map.of("availableOutgoingBitrate", 3400000.0));

    assertEquals("out.targetBitrate=1700000.0 out.qualityLimitationReason=none out.qpSum=60 in.framesPerSecond=30.0"
        + " pair.availableOutgoingBitrate=3400000.0", StatsMapper.rawFields(all, pair));
  }

  @Test
  void rawFieldsWithoutVideoOrPairAreEmpty() {
    assertEquals("", StatsMapper.rawFields(Map.of(), null));
  }

  private static RTCStats stats(RTCStatsType type, String id, Map<String, Object> attributes) {
    return new RTCStats(0, type, id, new LinkedHashMap<>(attributes)) {};
  }
}
