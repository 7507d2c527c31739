package dev.simplecall.transport.httppoll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class PollJsonTest {
  @Test
  void aRepeatIsTheSameSendersSameIdNotAnotherSendersSameId() {
    String fromBob = "{\"v\":1,\"type\":\"offer\",\"id\":\"1\",\"room\":\"r\",\"from\":\"bob\",\"to\":\"alice\",\"sdp\":\"x\"}";
    String fromCarol = "{\"v\":1,\"id\":\"1\",\"type\":\"offer\",\"from\":\"carol\",\"to\":\"alice\",\"room\":\"r\",\"sdp\":\"y\"}";
    assertEquals("bob/1", PollJson.dedupKeyOf(fromBob));
    assertNotEquals(PollJson.dedupKeyOf(fromBob), PollJson.dedupKeyOf(fromCarol));
    assertEquals("null/w1", PollJson.dedupKeyOf("{\"v\":1,\"type\":\"welcome\",\"id\":\"w1\",\"room\":\"r\",\"peers\":[]}"));
    assertNull(PollJson.dedupKeyOf("{\"v\":1,\"type\":\"welcome\"}"));
    assertNull(PollJson.dedupKeyOf("not json"));
  }
}
