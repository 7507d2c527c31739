package dev.simplecall.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.simplecall.protocol.MqttNames.Topic;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class MqttNamesTest {
  @Test
  void topicsFollowTheProtocolLayout() {
    assertEquals("simplecall/v1/r1/to/bob/from/alice", MqttNames.messageTopic("r1", "bob", "alice"));
    assertEquals("simplecall/v1/r1/to/bob/from/+", MqttNames.inboxFilter("r1", "bob"));
    assertEquals("simplecall/v1/r1/presence/bob", MqttNames.presenceTopic("r1", "bob"));
    assertEquals("simplecall/v1/r1/presence/+", MqttNames.roomPresenceFilter("r1"));
    assertEquals("simplecall/v1/+/to/+/from/+", MqttNames.EVERY_MESSAGE);
    assertEquals("simplecall/v1/+/presence/+", MqttNames.EVERY_PRESENCE);
  }

  @Test
  void messageAndPresenceTopicsParseToTheirRoomAndPeers() {
    assertEquals(new Topic(Topic.Kind.MESSAGE, "r1", "bob", "alice"), MqttNames.parseTopic(MqttNames.messageTopic("r1", "bob", "alice")));
    assertEquals(new Topic(Topic.Kind.PRESENCE, "r.1", null, "a_b-c"), MqttNames.parseTopic(MqttNames.presenceTopic("r.1", "a_b-c")));
  }

  @Test
  void otherTopicsAndInvalidIdsParseToNull() {
    for (String topic : new String[] {
        null, "", "simplecall/v1/", "simplecall/v2/r1/presence/bob", "other/v1/r1/presence/bob",
        "simplecall/v1/r1/presence", "simplecall/v1/r1/presence/bob/x", "simplecall/v1/r1/to/bob/from",
        "simplecall/v1/r1/to/bob/from/alice/x", "simplecall/v1/r1/from/bob/to/alice", "simplecall/v1/r1/state/bob",
        "simplecall/v1//presence/bob", "simplecall/v1/r1/presence/", "simplecall/v1/r1/presence/+",
        "simplecall/v1/r1/to/+/from/alice", "simplecall/v1/r1/to/bob/from/#",
        "simplecall/v1/r1/presence/with space", "simplecall/v1/r1/presence/caf\u00e9",
        "simplecall/v1/r\u202E1/presence/carol", "simplecall/v1/r1/to/bob/from/" + "x".repeat(65)}) {
      assertNull(MqttNames.parseTopic(topic), String.valueOf(topic));
    }
  }

  @Test
  void clientIdIsStablePerRoomAndPeerWithinTheMqtt31Limit() {
    assertEquals("sc-c9b6bf95faa2a691196a", MqttNames.clientId("r1", "alice")); // "sc-" + SHA-256("r1\nalice")[0..20]
    assertEquals(23, MqttNames.clientId("r".repeat(64), "p".repeat(64)).length());
  }
}
