package dev.simplecall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class IceServerTest {
  @Test
  void certificatesAreCheckedUnlessExplicitlyTurnedOff() {
    IceServer secure = new IceServer(List.of("turns:10.0.0.5:5349?transport=tcp"), "u", "p");
    assertFalse(secure.insecureTls());
    assertFalse(IceServer.of("turns:10.0.0.5:5349", "u", "p").insecureTls());
    assertFalse(IceServer.parse("turns:10.0.0.5:5349,u,p").insecureTls());
    IceServer insecure = secure.withInsecureTls();
    assertTrue(insecure.insecureTls());
    assertEquals(secure.urls(), insecure.urls());
    assertEquals("u", insecure.username());
    assertEquals("p", insecure.credential());
    assertTrue(insecure.toString().contains("insecure-tls"), insecure.toString());
    assertFalse(insecure.toString().contains("p,"), "the credential is never printed");
  }

  @Test
  void badUrlsAreRefusedByEveryConstructor() {
    assertThrows(IllegalArgumentException.class, () -> new IceServer(List.of("http://x"), null, null, true));
    assertThrows(IllegalArgumentException.class, () -> new IceServer(List.of(), null, null));
  }
}
