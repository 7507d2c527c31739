package dev.simplecall.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class MqttPresenceTest {
  @Test
  void payloadsAreTheProtocolsBytes() {
    assertEquals("{\"state\":\"online\"}", text(MqttPresence.onlinePayload()));
    assertEquals("{\"state\":\"online\",\"bridge\":\"b-1_X\"}", text(MqttPresence.bridgedPayload("b-1_X")));
    assertEquals(0, MqttPresence.gonePayload().length);
    assertThrows(IllegalArgumentException.class, () -> MqttPresence.bridgedPayload("a\"b"));
  }

  @Test
  void onlineAndBridgeAreReadFromTheirOwnPayloads() {
    MqttPresence peer = MqttPresence.parse(MqttPresence.onlinePayload());
    assertEquals(Boolean.TRUE, peer.online());
    assertNull(peer.bridge());
    MqttPresence mirrored = MqttPresence.parse(MqttPresence.bridgedPayload("b1"));
    assertEquals(Boolean.TRUE, mirrored.online());
    assertEquals("b1", mirrored.bridge());
  }

  @Test
  void anEmptyPayloadIsGone() {
    for (byte[] gone : new byte[][] {MqttPresence.gonePayload(), null}) {
      MqttPresence p = MqttPresence.parse(gone);
      assertTrue(p.empty());
      assertEquals(Boolean.FALSE, p.online());
      assertNull(p.state());
    }
  }

  @Test
  void onlyAStringStateCountsAndOtherFieldsAreIgnored() {
    assertEquals(Boolean.FALSE, parse("{\"state\":\"offline\"}").online());
    assertEquals(Boolean.TRUE, parse("{\"x\":[1,{\"y\":2}],\"state\":\"online\",\"n\":null}").online());
    assertEquals(Boolean.TRUE, parse("{\"state\":\"online\",\"state\":1}").online(), "a later non-string state is skipped");
    MqttPresence noState = parse("{\"state\":1,\"bridge\":2}");
    assertNull(noState.online(), "neither online nor gone");
    assertNull(noState.state());
    assertNull(noState.bridge());
    assertNull(parse("{}").online());
  }

  @Test
  void aPayloadThatIsNotAJsonObjectIsNull() {
    for (String bad : new String[] {"online", "\"online\"", "[]", "{\"state\":", "{\"state\" \"online\"}", "\u0000"}) {
      assertNull(parse(bad), bad);
    }
  }

  private static MqttPresence parse(String json) {
    return MqttPresence.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String text(byte[] payload) {
    return new String(payload, StandardCharsets.UTF_8);
  }
}
