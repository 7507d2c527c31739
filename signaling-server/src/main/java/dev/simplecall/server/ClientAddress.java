package dev.simplecall.server;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;

/**
 * The key per-address limits count by: the socket's remote address, never a header such as {@code
 * X-Forwarded-For} (which any client can write). An IPv4 address counts on its own; an IPv6 address
 * counts by its /64 prefix, since one subscriber usually holds a whole /64 and could otherwise pick a
 * fresh address for every connection.
 */
final class ClientAddress {
  private ClientAddress() {}

  /** The key for a socket address, or {@code null} when it is not an IP address (then nothing is counted). */
  static String key(SocketAddress remote) {
    if (!(remote instanceof InetSocketAddress isa) || isa.getAddress() == null) return null;
    return key(isa.getAddress());
  }

  /** The key for a textual IP address as servlet containers report it, or {@code null}. */
  static String key(String remoteAddr) {
    InetAddress a = parse(remoteAddr);
    return a == null ? null : key(a);
  }

  /** An IP literal ({@code [v6]} too) as an address, or {@code null} when it is not one; never a DNS lookup. */
  static InetAddress parse(String text) {
    if (text == null || text.isEmpty()) return null;
    String literal = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
    // Only literals: a character other than hex digits, dots, colons and a zone suffix is not an address.
    if (!literal.matches("[0-9A-Fa-f.:]+(%[0-9A-Za-z._-]+)?")) return null;
    if (literal.indexOf(':') < 0 && !dottedQuad(literal)) return null; // else getByName would look "cafe" up in DNS
    try {
      return InetAddress.getByName(literal); // a literal: no DNS lookup
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static boolean dottedQuad(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) return false;
    for (String p : parts) {
      if (!p.matches("\\d{1,3}") || Integer.parseInt(p) > 255) return false;
    }
    return true;
  }

  /** The key for an address, or {@code null} for {@code null}. */
  static String key(InetAddress a) {
    if (a == null) return null;
    if (!(a instanceof Inet6Address)) return a.getHostAddress();
    byte[] b = a.getAddress();
    StringBuilder sb = new StringBuilder(24);
    for (int i = 0; i < 8; i += 2) {
      sb.append(Integer.toHexString(((b[i] & 0xff) << 8) | (b[i + 1] & 0xff))).append(':');
    }
    return sb.append(":/64").toString();
  }
}
