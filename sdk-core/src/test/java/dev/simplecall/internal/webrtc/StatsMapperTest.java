package dev.simplecall.internal.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.onvoid.webrtc.RTCStats;
import dev.onvoid.webrtc.RTCStatsReport;
import dev.onvoid.webrtc.RTCStatsType;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class StatsMapperTest {
  @Test
  void fpsIsTheFramesDecodedBetweenTwoReportsNotLibwebrtcsFigure() {
    StatsMapper mapper = new StatsMapper();
    assertEquals(30.0, mapper.map(report(0, 100, 30.0), -1, -1).fps(), 0.01, "the first report: libwebrtc's");
    // libwebrtc's framesPerSecond after a freeze; 60 frames were decoded in the 2 s since
    assertEquals(30.0, mapper.map(report(2_000_000, 160, 217.0), -1, -1).fps(), 0.01);
    // a report with the same timestamp (libwebrtc's cache) keeps the last figure
    assertEquals(30.0, mapper.map(report(2_000_000, 160, 217.0), -1, -1).fps(), 0.01);
    assertEquals(0.0, mapper.map(report(3_000_000, 160, 5.0), -1, -1).fps(), 0.01, "a frozen second");
  }

  @Test
  void thePathSampleIsTheRemotesLossTheLargerRoundTripTimeAndTheTarget() {
    Map<String, RTCStats> all = new LinkedHashMap<>();
    put(all, RTCStatsType.OUTBOUND_RTP, "out", Map.of("kind", "video", "targetBitrate", 250_000.0));
    put(all, RTCStatsType.REMOTE_INBOUND_RTP, "rin", Map.of("kind", "video", "fractionLost", 0.2,
        "roundTripTime", 0.012, "roundTripTimeMeasurements", BigInteger.ONE));
    put(all, RTCStatsType.REMOTE_INBOUND_RTP, "rin-audio", Map.of("kind", "audio", "fractionLost", 0.9));
    put(all, RTCStatsType.CANDIDATE_PAIR, "pair", Map.of("currentRoundTripTime", 0.03));
    put(all, RTCStatsType.TRANSPORT, "t", Map.of("selectedCandidatePairId", "pair"));
    LossFloor.Sample s = StatsMapper.pathSample(new RTCStatsReport(all, 0) {}, 42);
    assertEquals(new LossFloor.Sample(42, 0.2, 30.0, 250_000.0), s);

    all.remove("pair");
    assertEquals(12.0, StatsMapper.pathSample(new RTCStatsReport(all, 0) {}, 42).rttMs(), 1e-9);
    all.remove("rin");
    assertNull(StatsMapper.pathSample(new RTCStatsReport(all, 0) {}, 42), "no report about our video yet");
  }

  private static RTCStatsReport report(long timestampUs, long framesDecoded, double libwebrtcFps) {
    Map<String, RTCStats> all = new LinkedHashMap<>();
    put(all, RTCStatsType.INBOUND_RTP, "in", Map.of("kind", "video", "framesDecoded", BigInteger.valueOf(framesDecoded),
        "framesPerSecond", libwebrtcFps));
    return new RTCStatsReport(all, timestampUs) {};
  }

  private static void put(Map<String, RTCStats> all, RTCStatsType type, String id, Map<String, Object> attributes) {
    all.put(id, new RTCStats(0, type, id, new LinkedHashMap<>(attributes)) {});
  }
}
