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
    if (remoteAddr == null || remoteAddr.isEmpty()) return null;
    String literal = remoteAddr.startsWith("[") && remoteAddr.endsWith("]")
        ? remoteAddr.substring(1, remoteAddr.length() - 1) : remoteAddr;
    // Only literals: a character other than hex digits, dots, colons and a zone suffix is not an address.
    if (!literal.matches("[0-9A-Fa-f.:]+(%[0-9A-Za-z._-]+)?")) return null;
    try {
      return key(InetAddress.getByName(literal)); // a literal: no DNS lookup
    } catch (UnknownHostException e) {
      return null;
    }
  }

  static String key(InetAddress a) {
    if (!(a instanceof Inet6Address)) return a.getHostAddress();
    byte[] b = a.getAddress();
    StringBuilder sb = new StringBuilder(24);
    for (int i = 0; i < 8; i += 2) {
      sb.append(Integer.toHexString(((b[i] & 0xff) << 8) | (b[i + 1] & 0xff))).append(':');
    }
    return sb.append(":/64").toString();
  }
}
