package dev.simplecall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class CallStatsTest {
  @Test
  void unsetValuesReadAsNotKnown() {
    CallStats s = CallStats.builder().build();
    assertEquals(0, s.rttMs());
    assertEquals(0, s.framesReceived());
    assertNull(s.localCandidateType());
    assertEquals(-1, s.firstFrameMs());
    assertEquals(-1, s.connectMs(), "not connected yet, as the SDK's own snapshots say it");
  }

  @Test
  void builderSetsEachValueByName() {
    Instant at = Instant.parse("2026-01-01T00:00:00Z");
    CallStats s = CallStats.builder().at(at).rttMs(12.5).fps(29.9).width(640).height(480).framesReceived(300)
        .localCandidateType("relay").candidateProtocol("tls").connectMs(84).firstFrameMs(131).build();
    assertEquals(at, s.at());
    assertEquals(12.5, s.rttMs());
    assertEquals(640, s.width());
    assertEquals("relay", s.localCandidateType());
    assertEquals("tls", s.candidateProtocol());
    assertEquals(131, s.firstFrameMs());
    assertEquals(s, s.newBuilder().build());
    assertNotEquals(s, s.newBuilder().fps(30).build());
    assertTrue(s.toString().startsWith("CallStats[at=") && s.toString().contains("localCandidateType=relay"), s.toString());
    CallStats coded = s.newBuilder().videoCodec("VP8").encodeMsPerFrame(2.5).decodeMsPerFrame(1.5)
        .jitterBufferDelayMs(40).framesDropped(3).qpPerFrame(31).qualityLimitation("cpu").build();
    assertEquals("VP8", coded.videoCodec());
    assertEquals(2.5, coded.encodeMsPerFrame());
    assertEquals(1.5, coded.decodeMsPerFrame());
    assertEquals(40, coded.jitterBufferDelayMs());
    assertEquals(3, coded.framesDropped());
    assertEquals(31, coded.qpPerFrame());
    assertEquals("cpu", coded.qualityLimitation());
    assertEquals(coded, coded.newBuilder().build());
    assertEquals(coded.hashCode(), coded.newBuilder().build().hashCode());
    assertNotEquals(coded, s);
    assertThrows(NullPointerException.class, () -> CallStats.builder().at(null));
  }
}
