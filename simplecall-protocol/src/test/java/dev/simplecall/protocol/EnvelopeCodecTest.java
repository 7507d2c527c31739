package dev.simplecall.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.protocol.IceServerInfo;
import dev.simplecall.spi.TransportOptions;
import dev.simplecall.spi.support.RecentIds;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class EnvelopeCodecTest {
  @Test
  void everyTypeRoundTrips() throws Exception {
    List<Envelope> all = List.of(
        new Envelope.Join("1", "r1", "alice", "tok"),
        new Envelope.Welcome("2", "r1", "alice", List.of("bob"),
            List.of(IceServerInfo.of("turn:h:3478", "123:alice", "pw"), IceServerInfo.of("stun:h:3478"))),
        new Envelope.PeerJoined("3", "r1", "bob"),
        new Envelope.PeerLeft("4", "r1", "bob"),
        new Envelope.Offer("5", "r1", "alice", "bob", "v=0\r\n"),
        new Envelope.Answer("6", "r1", "bob", "alice", "v=0\r\n"),
        new Envelope.Candidate("7", "r1", "alice", "bob",
            new Envelope.IceCandidate("candidate:1 1 udp 1 127.0.0.1 5000 typ host", "0", 0)),
        new Envelope.Candidate("8", "r1", "alice", "bob", null),
        new Envelope.Bye("9", "r1", "alice", "bob", "hangup"),
        new Envelope.Leave("10", "r1", "alice"),
        new Envelope.Error("11", "r1", "alice", ErrorCode.NO_SUCH_PEER, "no peer carol", "5"));
    for (Envelope e : all) {
      assertEquals(e, EnvelopeCodec.decode(EnvelopeCodec.encode(e)), e.type());
    }
  }

  @Test
  void endOfCandidatesIsAnExplicitNull() throws Exception {
    String json = EnvelopeCodec.encode(new Envelope.Candidate("8", "r1", "a", "b", null));
    assertTrue(json.contains("\"candidate\":null"), json);
    // browsers send end-of-candidates as an empty candidate string
    Envelope e = EnvelopeCodec.decode(
        "{\"v\":1,\"type\":\"candidate\",\"id\":\"x\",\"room\":\"r\",\"to\":\"b\",\"candidate\":{\"candidate\":\"\",\"sdpMid\":\"0\"}}");
    assertNull(((Envelope.Candidate) e).candidate());
  }

  @Test
  void unknownFieldsAreIgnored() throws Exception {
    Envelope e = EnvelopeCodec.decode(
        "{\"v\":1,\"type\":\"bye\",\"id\":\"x\",\"to\":\"bob\",\"extra\":{\"nested\":[1,2]},\"reason\":\"busy\"}");
    assertEquals(new Envelope.Bye("x", "", null, "bob", "busy"), e);
  }

  @Test
  void iceServerUrlsMayBeASingleString() throws Exception {
    Envelope e = EnvelopeCodec.decode(
        "{\"v\":1,\"type\":\"welcome\",\"id\":\"x\",\"room\":\"r\",\"peers\":[],\"iceServers\":[{\"urls\":\"stun:h:1\"}]}");
    assertEquals(List.of(IceServerInfo.of("stun:h:1")), ((Envelope.Welcome) e).iceServers());
  }

  @Test
  void malformedJsonIsBadJson() {
    for (String bad : List.of("", "{", "[]", "null", "{\"v\":1,\"type\":\"offer\"", "{\"v\":\"one\"}", "{} trailing")) {
      EnvelopeException ex = assertThrows(EnvelopeException.class, () -> EnvelopeCodec.decode(bad), bad);
      assertEquals(ErrorCode.BAD_JSON, ex.code(), bad);
    }
  }

  @Test
  void missingFieldsAreBadJsonWithTheRef() {
    EnvelopeException ex = assertThrows(EnvelopeException.class,
        () -> EnvelopeCodec.decode("{\"v\":1,\"type\":\"offer\",\"id\":\"m1\",\"to\":\"bob\"}"));
    assertEquals(ErrorCode.BAD_JSON, ex.code());
    assertEquals("m1", ex.ref());
    assertTrue(ex.getMessage().contains("sdp"), ex.getMessage());
  }

  @Test
  void wrongVersionIsRefused() {
    EnvelopeException ex = assertThrows(EnvelopeException.class,
        () -> EnvelopeCodec.decode("{\"v\":2,\"type\":\"leave\",\"id\":\"x\"}"));
    assertEquals(ErrorCode.BAD_JSON, ex.code());
  }

  @Test
  void unknownTypeIsUnknownTypeWithTheRef() {
    EnvelopeException ex = assertThrows(EnvelopeException.class,
        () -> EnvelopeCodec.decode("{\"v\":1,\"type\":\"dance\",\"id\":\"d1\"}"));
    assertEquals(ErrorCode.UNKNOWN_TYPE, ex.code());
    assertEquals("d1", ex.ref());
  }

  @Test
  void oversizedIsTooLarge() {
    String sdp = "x".repeat(EnvelopeCodec.MAX_MESSAGE_BYTES);
    String json = "{\"v\":1,\"type\":\"offer\",\"id\":\"x\",\"to\":\"b\",\"sdp\":\"" + sdp + "\"}";
    assertEquals(ErrorCode.TOO_LARGE, assertThrows(EnvelopeException.class, () -> EnvelopeCodec.decode(json)).code());
    // multi-byte characters count as bytes, not chars
    String wide = "{\"v\":1,\"type\":\"offer\",\"id\":\"x\",\"to\":\"b\",\"sdp\":\"" + "é".repeat(40_000) + "\"}";
    assertEquals(ErrorCode.TOO_LARGE, assertThrows(EnvelopeException.class, () -> EnvelopeCodec.decode(wide)).code());
  }

  @Test
  void arraysSplitIntoSingleEnvelopes() throws Exception {
    List<String> parts = EnvelopeCodec.splitArray(
        "[{\"v\":1,\"type\":\"leave\",\"id\":\"a\"},{\"v\":1,\"type\":\"leave\",\"id\":\"b\"}]");
    assertEquals(2, parts.size());
    assertEquals("b", EnvelopeCodec.decode(parts.get(1)).id());
    assertEquals(1, EnvelopeCodec.splitArray("{\"v\":1,\"type\":\"leave\",\"id\":\"a\"}").size());
  }

  @Test
  void serverOverwritesSender() throws Exception {
    Envelope spoofed = EnvelopeCodec.decode(
        "{\"v\":1,\"type\":\"offer\",\"id\":\"x\",\"room\":\"other\",\"from\":\"mallory\",\"to\":\"bob\",\"sdp\":\"s\"}");
    Envelope routed = spoofed.withSender("r1", "alice");
    assertEquals("alice", routed.from());
    assertEquals("r1", routed.room());
    assertInstanceOf(Envelope.Offer.class, routed);
  }

  @Test
  void recentIdsDropsDuplicatesWithinCapacity() {
    RecentIds ids = new RecentIds(2);
    assertTrue(ids.firstSeen("a"));
    assertFalse(ids.firstSeen("a"));
    assertTrue(ids.firstSeen("b"));
    assertTrue(ids.firstSeen("c")); // evicts a
    assertTrue(ids.firstSeen("a"));
  }

  @Test
  void namesAreRestrictedToTopicSafeCharacters() {
    assertTrue(Names.isValid("alice-1.b_c"));
    assertFalse(Names.isValid("a/b"));
    assertFalse(Names.isValid("+"));
    assertFalse(Names.isValid(""));
    assertThrows(IllegalArgumentException.class, () -> TransportOptions.builder().room("#"));
  }
}
