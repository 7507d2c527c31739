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
  static final TrustedProxies NONE = new TrustedProxies(AddressRanges.NONE);

  private final AddressRanges ranges;

  private TrustedProxies(AddressRanges ranges) {
    this.ranges = ranges;
  }

  /**
   * @param ranges addresses or CIDR ranges, as IP literals (no host names)
   * @throws IllegalArgumentException naming a range that is not an IP literal with a valid prefix length
   */
  static TrustedProxies of(List<String> ranges) {
    AddressRanges r = AddressRanges.of(ranges, "trusted proxy");
    return r.isEmpty() ? NONE : new TrustedProxies(r);
  }

  /** Whether {@code a} lies in one of the ranges. */
  boolean contains(InetAddress a) {
    return ranges.contains(a);
  }

  boolean contains(SocketAddress socket) {
    return socket instanceof InetSocketAddress isa && contains(isa.getAddress());
  }

  /** The {@link ClientAddress} key of a request from {@code socket} carrying these {@code X-Forwarded-For} header values. */
  String clientKey(SocketAddress socket, List<String> forwardedFor) {
    InetAddress peer = socket instanceof InetSocketAddress isa ? isa.getAddress() : null;
    return clientKey(peer, forwardedFor);
  }

  /** As {@link #clientKey(SocketAddress, List)} for a servlet request. */
  String clientKey(HttpServletRequest request) {
    return ClientAddress.key(client(request));
  }

  /** The client's address of a servlet request: its socket's, or behind a trusted proxy the one the proxy names; {@code null} if unknown. */
  InetAddress client(HttpServletRequest request) {
    InetAddress peer = ClientAddress.parse(request.getRemoteAddr());
    return client(peer, contains(peer) ? Collections.list(request.getHeaders(HEADER)) : List.of());
  }

  private String clientKey(InetAddress peer, List<String> forwardedFor) {
    return ClientAddress.key(client(peer, forwardedFor));
  }

  private InetAddress client(InetAddress peer, List<String> forwardedFor) {
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
    return client;
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
    return ranges.toString();
  }
}
