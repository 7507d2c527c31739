package dev.simplecall.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class TrustedProxiesTest {
  private static final TrustedProxies PROXIES = TrustedProxies.of(List.of("10.0.0.0/8", "192.0.2.7", "fd00::/8"));

  private static String key(String socket, String... forwardedFor) {
    return PROXIES.clientKey(new InetSocketAddress(socket, 443), List.of(forwardedFor));
  }

  @Test
  void anUntrustedSocketCountsByItselfWhateverItsHeaderSays() {
    assertEquals("198.51.100.1", key("198.51.100.1", "203.0.113.5"));
    assertEquals("198.51.100.1", key("198.51.100.1", "10.0.0.1"));
    assertEquals("10.0.0.1", TrustedProxies.NONE.clientKey(new InetSocketAddress("10.0.0.1", 1), List.of("203.0.113.5")));
  }

  @Test
  void aTrustedSocketCountsByTheFirstUntrustedAddressFromTheRight() {
    assertEquals("203.0.113.5", key("10.1.2.3", "203.0.113.5"));
    // what the client wrote (left of the entry its proxy appended) is ignored
    assertEquals("203.0.113.5", key("10.1.2.3", "6.6.6.6, 203.0.113.5"));
    // a chain of trusted proxies is walked through
    assertEquals("203.0.113.5", key("10.1.2.3", "6.6.6.6, 203.0.113.5, 192.0.2.7, 10.9.9.9"));
    // several header lines are one list, in order
    assertEquals("203.0.113.5", key("10.1.2.3", "6.6.6.6", "203.0.113.5, 10.9.9.9"));
    // only trusted entries: the leftmost is the client
    assertEquals("10.5.5.5", key("10.1.2.3", "10.5.5.5, 10.9.9.9"));
  }

  @Test
  void portsAreDroppedAndIpv6CountsByItsSlash64() {
    assertEquals("203.0.113.5", key("10.1.2.3", "203.0.113.5:4711"));
    assertEquals("2001:db8:1:2::/64", key("fd12::1", "[2001:db8:1:2:3:4:5:6]:4711"));
    assertEquals("2001:db8:1:2::/64", key("10.1.2.3", "2001:db8:1:2::99"));
  }

  @Test
  void withoutAUsableHeaderTheProxyItselfCounts() {
    assertEquals("10.1.2.3", key("10.1.2.3"));
    assertEquals("10.1.2.3", key("10.1.2.3", "unknown"));
    assertEquals("10.1.2.3", key("10.1.2.3", "evil.example.com"));
    assertEquals("10.1.2.3", key("10.1.2.3", "999.1.1.1"));
    // garbage left of a good entry is never reached
    assertEquals("203.0.113.5", key("10.1.2.3", "not an address, 203.0.113.5"));
  }

  @Test
  void rangesMatchByPrefix() {
    TrustedProxies p = TrustedProxies.of(List.of("172.16.0.0/12", "::1"));
    assertTrue(p.contains(new InetSocketAddress("172.31.255.255", 1)));
    assertFalse(p.contains(new InetSocketAddress("172.32.0.0", 1)));
    assertTrue(p.contains(new InetSocketAddress("::1", 1)));
    assertFalse(p.contains(new InetSocketAddress("127.0.0.1", 1)));
    assertTrue(TrustedProxies.of(List.of("0.0.0.0/0")).contains(new InetSocketAddress("8.8.8.8", 1)));
    assertEquals("172.16.0.0/12,0:0:0:0:0:0:0:1/128", p.toString());
  }

  @Test
  void aBadRangeIsRefusedByName() {
    for (String bad : List.of("proxy.example.com", "10.0.0.0/33", "10.0.0.0/", "::/129", "10.0.0", "")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrustedProxies.of(List.of(bad)));
      assertTrue(e.getMessage().contains("\"" + bad + "\""), e.getMessage());
    }
  }
}
