package dev.simplecall.samples.natlab;

/**
 * How a lab LAN reaches the public network. Every NAT router also drops unsolicited inbound
 * packets on its WAN side ({@code INPUT/FORWARD -i wan -m conntrack --ctstate NEW,INVALID -j DROP}),
 * which is what makes plain MASQUERADE behave as a port-restricted cone NAT: without it an early
 * connectivity check from the far side creates an inbound conntrack entry, the local peer's own
 * outgoing packet collides with it and is given a new port, and hole punching fails.
 */
enum NatType {
  /** No router: hosts sit straight on the public bridge with public addresses. */
  OPEN,
  /** {@code MASQUERADE}: endpoint-independent mapping, address-and-port-dependent filtering. */
  PORT_RESTRICTED_CONE,
  /** {@code MASQUERADE --random-fully}: a new random public port per destination. */
  SYMMETRIC,
  /** Port-restricted cone for TCP, every forwarded UDP packet dropped: only TURN over TCP works. */
  UDP_BLOCKED
}
