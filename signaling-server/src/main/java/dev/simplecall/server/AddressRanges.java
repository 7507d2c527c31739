package dev.simplecall.server;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * IP address ranges given as literals or CIDR ranges ({@code 10.0.0.0/8}, {@code 192.0.2.7}, {@code
 * fd00::/8}), as the server's options name them. Immutable.
 */
final class AddressRanges {
  static final AddressRanges NONE = new AddressRanges(List.of(), List.of());

  private final List<byte[]> networks;
  private final List<Integer> prefixes;

  private AddressRanges(List<byte[]> networks, List<Integer> prefixes) {
    this.networks = networks;
    this.prefixes = prefixes;
  }

  /**
   * @param what names the option in messages, e.g. {@code "trusted proxy"}
   * @throws IllegalArgumentException naming a range that is not an IP literal with a valid prefix length
   */
  static AddressRanges of(List<String> ranges, String what) {
    List<byte[]> networks = new ArrayList<>();
    List<Integer> prefixes = new ArrayList<>();
    for (String range : ranges) {
      String r = range == null ? "" : range.trim();
      int slash = r.indexOf('/');
      InetAddress a = ClientAddress.parse(slash < 0 ? r : r.substring(0, slash));
      if (a == null) throw new IllegalArgumentException(what + " \"" + range + "\" is not an IP address or CIDR range");
      int bits = a.getAddress().length * 8;
      int prefix = bits;
      if (slash >= 0) {
        String p = r.substring(slash + 1);
        prefix = p.matches("\\d{1,3}") ? Integer.parseInt(p) : -1;
        if (prefix < 0 || prefix > bits) {
          throw new IllegalArgumentException(what + " \"" + range + "\": the prefix length must be 0-" + bits);
        }
      }
      networks.add(a.getAddress());
      prefixes.add(prefix);
    }
    return networks.isEmpty() ? NONE : new AddressRanges(List.copyOf(networks), List.copyOf(prefixes));
  }

  boolean isEmpty() {
    return networks.isEmpty();
  }

  /** Whether {@code a} lies in one of the ranges; {@code false} for {@code null}. */
  boolean contains(InetAddress a) {
    if (a == null) return false;
    byte[] b = a.getAddress();
    for (int i = 0; i < networks.size(); i++) {
      byte[] n = networks.get(i);
      if (n.length == b.length && samePrefix(n, b, prefixes.get(i))) return true;
    }
    return false;
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

  @Override
  public String toString() {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < networks.size(); i++) {
      try {
        out.add(InetAddress.getByAddress(networks.get(i)).getHostAddress() + "/" + prefixes.get(i));
      } catch (UnknownHostException e) {
        throw new AssertionError(e); // a 4- or 16-byte array is always an address
      }
    }
    return String.join(",", out);
  }
}
