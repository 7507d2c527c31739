package dev.simplecall.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.simplecall.IceServer;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class TurnRefreshTest {
  @Test
  void expiryComesFromTurnRestUserNamesOnly() {
    assertEquals(Instant.ofEpochSecond(1700000100), TurnRefresh.earliestExpiry(List.of(
        IceServer.of("stun:s:3478"),
        IceServer.of("turn:t:3478", "1700000200:alice", "x"),
        IceServer.of("turn:t:3478?transport=tcp", "1700000100:alice", "y"),
        IceServer.of("turn:u:3478", "plainuser", "z"))));
    assertNull(TurnRefresh.earliestExpiry(List.of(IceServer.of("turn:u:3478", "alice", "z"), IceServer.of("stun:s"))));
  }

  @Test
  void refreshAtEightyPercentOfTheLifetimeButNotInThePast() {
    Instant received = Instant.parse("2026-01-01T00:00:00Z");
    Instant expiry = received.plusSeconds(100);
    assertEquals(Duration.ofSeconds(80), TurnRefresh.refreshDelay(received, expiry, received));
    assertEquals(Duration.ofSeconds(30), TurnRefresh.refreshDelay(received, expiry, received.plusSeconds(50)));
    assertEquals(Duration.ofSeconds(1), TurnRefresh.refreshDelay(received, expiry, received.plusSeconds(95)));
  }

  @Test
  void credentialsEndpointIsOnTheSignalingServer() {
    assertEquals(URI.create("http://h:8080/v1/turn-credentials?peer=a+b"),
        TurnRefresh.credentialsUri(URI.create("ws://h:8080/v1/ws"), "a b"));
    assertEquals(URI.create("https://h/base/v1/turn-credentials?peer=a"),
        TurnRefresh.credentialsUri(URI.create("wss://h/base/v1/ws"), "a"));
    assertEquals(URI.create("http://h:8080/v1/turn-credentials?peer=a"),
        TurnRefresh.credentialsUri(URI.create("http://h:8080?waitMs=2000"), "a"));
    assertNull(TurnRefresh.credentialsUri(URI.create("mqtt://broker:1883"), "a"));
  }

  @Test
  void parsesTheServersAnswer() throws Exception {
    List<IceServer> s = TurnRefresh.parse("{\"ttl\":15,\"iceServers\":[{\"urls\":[\"stun:s:3478\"]},"
        + "{\"urls\":\"turn:t:3478\",\"username\":\"1700000100:bob\",\"credential\":\"c\",\"x\":[1]}]}");
    assertEquals(2, s.size());
    assertEquals(List.of("turn:t:3478"), s.get(1).urls());
    assertEquals("1700000100:bob", s.get(1).username());
    assertEquals("c", s.get(1).credential());
  }
}
