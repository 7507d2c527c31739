package dev.simplecall.internal;

import dev.simplecall.protocol.Envelope;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The ordering rules for ICE candidates (ADR 0003), both ways. Confined to the session thread.
 *
 * <p><b>Local</b>: libwebrtc reports candidates as soon as the local description is set, which can be
 * before the offer or answer carrying it is sent; a candidate that overtakes its description is
 * useless to the remote peer. So candidates are held from the start and after each {@link #hold()}
 * (an ICE restart makes new credentials) until {@link #release()}, when the description has been
 * sent; end-of-candidates is held the same way.
 *
 * <p><b>Remote, early</b>: with trickle ICE a caller's candidates can arrive before its offer. They
 * are kept per sender until the offer comes ({@link #takeEarly}), bounded so a stranger cannot fill
 * memory: at most {@value #MAX_EARLY_SENDERS} senders and {@value #MAX_EARLY_PER_SENDER} candidates each.
 */
final class Candidates {
  static final int MAX_EARLY_SENDERS = 8;
  static final int MAX_EARLY_PER_SENDER = 64;

  private final Consumer<Envelope.IceCandidate> send; // null: end of candidates
  private final List<Envelope.IceCandidate> held = new ArrayList<>();
  private boolean holding = true;
  private boolean endHeld;
  private final Map<String, List<Envelope.IceCandidate>> early = new HashMap<>();

  /** @param send sends one local candidate to the remote peer; {@code null} means end of candidates */
  Candidates(Consumer<Envelope.IceCandidate> send) {
    this.send = send;
  }

  /** A local candidate: sent now, or held until {@link #release()}. */
  void local(Envelope.IceCandidate c) {
    if (holding) held.add(c);
    else send.accept(c);
  }

  /** Local gathering is complete: end-of-candidates sent now, or after the held candidates. */
  void localComplete() {
    if (holding) endHeld = true;
    else send.accept(null);
  }

  /** A new local description is being made (ICE restart): hold candidates until it is sent. */
  void hold() {
    holding = true;
  }

  /** The local description was sent: what was held goes out, in order, and later ones go at once. */
  void release() {
    holding = false;
    for (Envelope.IceCandidate c : held) send.accept(c);
    held.clear();
    if (endHeld) {
      endHeld = false;
      send.accept(null);
    }
  }

  /** A remote candidate from {@code from} before any call with it: kept (within the bounds) for its offer. */
  void early(String from, Envelope.IceCandidate c) {
    if (early.size() >= MAX_EARLY_SENDERS && !early.containsKey(from)) return;
    List<Envelope.IceCandidate> list = early.computeIfAbsent(from, k -> new ArrayList<>());
    if (list.size() < MAX_EARLY_PER_SENDER) list.add(c);
  }

  /** The early candidates from {@code from}, removed; empty when none. */
  List<Envelope.IceCandidate> takeEarly(String from) {
    List<Envelope.IceCandidate> list = early.remove(from);
    return list == null ? List.of() : list;
  }
}
