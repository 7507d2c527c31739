package dev.simplecall.server;

import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The reverse proxies whose {@code X-Forwarded-For} the server believes, as address ranges ({@code
 * 10.0.0.0/8}, {@code 192.0.2.7}, {@code fd00::/8}). A request whose socket comes from one of them is
 * counted for the per-address limits by the client its proxies name: the header's entries are read
 * from the right (the one the nearest proxy appended) and the first address outside these ranges is
 * the client. Entries to its left were written by that client and are ignored, so a client cannot pick
 * the address it is counted as. A request from any other socket is counted by its socket address and
 * its header is ignored. With no ranges (the default) no header is believed.
 */
final class TrustedProxies {
  static final String HEADER = "X-Forwarded-For";
  static final TrustedProxies NONE = new TrustedProxies(List.of(), List.of());

  private final List<byte[]> networks;
  private final List<Integer> prefixes;

  private TrustedProxies(List<byte[]> networks, List<Integer> prefixes) {
    this.networks = networks;
    this.prefixes = prefixes;
  }

  /**
   * @param ranges addresses or CIDR ranges, as IP literals (no host names)
   * @throws IllegalArgumentException naming a range that is not an IP literal with a valid prefix length
   */
  static TrustedProxies of(List<String> ranges) {
    List<byte[]> networks = new ArrayList<>();
    List<Integer> prefixes = new ArrayList<>();
    for (String range : ranges) {
      String r = range == null ? "" : range.trim();
      int slash = r.indexOf('/');
      InetAddress a = ClientAddress.parse(slash < 0 ? r : r.substring(0, slash));
      if (a == null) throw new IllegalArgumentException("trusted proxy \"" + range + "\" is not an IP address or CIDR range");
      int bits = a.getAddress().length * 8;
      int prefix = bits;
      if (slash >= 0) {
        String p = r.substring(slash + 1);
        prefix = p.matches("\\d{1,3}") ? Integer.parseInt(p) : -1;
        if (prefix < 0 || prefix > bits) {
          throw new IllegalArgumentException("trusted proxy \"" + range + "\": the prefix length must be 0-" + bits);
        }
      }
      networks.add(a.getAddress());
      prefixes.add(prefix);
    }
    return networks.isEmpty() ? NONE : new TrustedProxies(List.copyOf(networks), List.copyOf(prefixes));
  }

  boolean isEmpty() {
    return networks.isEmpty();
  }

  /** Whether {@code a} lies in one of the ranges. */
  boolean contains(InetAddress a) {
    if (a == null) return false;
    byte[] b = a.getAddress();
    for (int i = 0; i < networks.size(); i++) {
      byte[] n = networks.get(i);
      if (n.length == b.length && samePrefix(n, b, prefixes.get(i))) return true;
    }
    return false;
  }

  boolean contains(SocketAddress socket) {
    return socket instanceof InetSocketAddress isa && contains(isa.getAddress());
  }

  private static boolean samePrefix(byte[] a, byte[] b, int bits) {
    int whole = bits / 8;
    for (int i = 0; i < whole; i++) {
      if (a[i] != b[i]) return false;
    }
    int rest = bits % 8;
    if (rest == 0) return true;
    int mask = (0xff << (8 - rest)) & 0xff;
    return (a[whole] & mask) == (b[whole] & mask);
  }

  /** The {@link ClientAddress} key of a request from {@code socket} carrying these {@code X-Forwarded-For} header values. */
  String clientKey(SocketAddress socket, List<String> forwardedFor) {
    InetAddress peer = socket instanceof InetSocketAddress isa ? isa.getAddress() : null;
    return clientKey(peer, forwardedFor);
  }

  /** As {@link #clientKey(SocketAddress, List)} for a servlet request. */
  String clientKey(HttpServletRequest request) {
    InetAddress peer = ClientAddress.parse(request.getRemoteAddr());
    return clientKey(peer, contains(peer) ? Collections.list(request.getHeaders(HEADER)) : List.of());
  }

  private String clientKey(InetAddress peer, List<String> forwardedFor) {
    if (peer == null) return null;
    if (forwardedFor == null) forwardedFor = List.of();
    InetAddress client = peer;
    if (contains(peer)) {
      List<String> hops = new ArrayList<>();
      for (String value : forwardedFor) {
        for (String hop : value.split(",")) hops.add(hop.trim());
      }
      // From the right: each entry was appended by the hop to its right, trusted so far.
      for (int i = hops.size() - 1; i >= 0 && contains(client); i--) {
        InetAddress named = ClientAddress.parse(withoutPort(hops.get(i)));
        if (named == null) break; // a trusted proxy wrote something that is no address: count the proxy
        client = named;
      }
    }
    return ClientAddress.key(client);
  }

  /** {@code 192.0.2.1:4711} and {@code [2001:db8::1]:4711} without their ports. */
  private static String withoutPort(String hop) {
    String h = hop.toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      return end < 0 ? h : h.substring(1, end);
    }
    int colon = h.indexOf(':');
    return colon > 0 && colon == h.lastIndexOf(':') && h.indexOf('.') >= 0 ? h.substring(0, colon) : h;
  }

  @Override
  public String toString() {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < networks.size(); i++) {
      try {
        out.add(InetAddress.getByAddress(networks.get(i)).getHostAddress() + "/" + prefixes.get(i));
      } catch (java.net.UnknownHostException e) {
        throw new AssertionError(e); // a 4- or 16-byte array is always an address
      }
    }
    return String.join(",", out);
  }
}
