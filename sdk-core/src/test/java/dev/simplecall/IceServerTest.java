package dev.simplecall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class IceServerTest {
  @Test
  void certificatesAreCheckedUnlessExplicitlyTurnedOff() {
    IceServer secure = IceServer.builder().url("turns:10.0.0.5:5349?transport=tcp").username("u").credential("p").build();
    assertFalse(secure.insecureTls());
    assertFalse(IceServer.of("turns:10.0.0.5:5349", "u", "p").insecureTls());
    IceServer insecure = secure.withInsecureTls();
    assertTrue(insecure.insecureTls());
    assertEquals(secure.urls(), insecure.urls());
    assertEquals("u", insecure.username());
    assertEquals("p", insecure.credential());
    assertEquals(insecure, secure.newBuilder().insecureTls(true).build());
    assertTrue(insecure.toString().contains("insecure-tls"), insecure.toString());
    assertFalse(insecure.toString().contains("p,"), "the credential is never printed");
  }

  @Test
  void builderTakesSeveralUrlsAndCopiesThem() {
    List<String> urls = new ArrayList<>(List.of("turn:t:3478?transport=udp", "turns:t:5349?transport=tcp"));
    IceServer s = IceServer.builder().urls(urls).username("u").credential("p").build();
    urls.clear();
    assertEquals(List.of("turn:t:3478?transport=udp", "turns:t:5349?transport=tcp"), s.urls());
    assertThrows(UnsupportedOperationException.class, () -> s.urls().add("stun:x"));
    IceServer more = s.newBuilder().url("stun:s:3478").build();
    assertEquals(3, more.urls().size());
    assertEquals(2, s.urls().size(), "newBuilder() must not change the original");
    assertEquals(IceServer.of("stun:s:3478"), IceServer.builder().url("stun:s:3478").build());
    assertNotEquals(IceServer.of("stun:s:3478"), IceServer.of("stun:s:3478", "u", "p"));
  }

  @Test
  void badUrlsAreRefusedNamingTheValue() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IceServer.builder().url("http://x"));
    assertTrue(e.getMessage().contains("http://x"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> IceServer.builder().urls(List.of("stun:ok", "ftp://no")));
    assertThrows(IllegalArgumentException.class, () -> IceServer.of("http://x", "u", "p"));
    assertThrows(NullPointerException.class, () -> IceServer.builder().url(null));
    assertThrows(IllegalStateException.class, () -> IceServer.builder().username("u").build());
    assertThrows(IllegalStateException.class, () -> IceServer.builder().urls(List.of()).build());
  }
}
