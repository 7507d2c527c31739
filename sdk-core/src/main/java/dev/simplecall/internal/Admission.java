package dev.simplecall.internal;

import dev.simplecall.AnswerMode;
import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.Ids;
import java.util.List;
import java.util.function.Consumer;

/**
 * Whether an offer from a peer the session is not in a call with becomes a call: answered at once
 * ({@link AnswerMode#AUTO}), or ringing until the app accepts or declines; a second caller while one
 * rings, or any caller during a call, hears {@code busy}. Candidates of the ringing call are kept
 * (bounded) until it is answered. Confined to the session thread.
 */
final class Admission {
  private final SessionCore core;
  /** Sets up the call with {@code in.from} and applies its offer and candidates. */
  private final Consumer<IncomingCallImpl> answer;
  private IncomingCallImpl ringing;

  Admission(SessionCore core, Consumer<IncomingCallImpl> answer) {
    this.core = core;
    this.answer = answer;
  }

  /** An offer from a peer while the session is in no call; {@code early}: its candidates that came first. */
  void offer(Envelope.Offer o, List<Envelope.IceCandidate> early) {
    String from = o.from();
    if (ringing != null && !ringing.from.equals(from)) {
      busy(from);
    } else if (core.options.answerMode() == AnswerMode.AUTO) {
      IncomingCallImpl in = new IncomingCallImpl(this, from, o.sdp(), true);
      in.candidates.addAll(early);
      announce(in);
      answer.accept(in);
    } else if (ringing != null) {
      ringing.offerSdp = o.sdp(); // the caller re-offered while the app decides
    } else {
      IncomingCallImpl in = new IncomingCallImpl(this, from, o.sdp(), false);
      in.candidates.addAll(early);
      ringing = in;
      announce(in);
    }
  }

  private void announce(IncomingCallImpl in) {
    core.progress("incoming call from " + in.from);
    core.emit(l -> l.onIncomingCall(core.session, in));
  }

  /** The app accepted {@code in} (on the session thread); a call that stopped ringing is not answered. */
  void accept(IncomingCallImpl in) {
    if (core.ended || ringing != in) return;
    ringing = null;
    answer.accept(in);
  }

  void decline(IncomingCallImpl in) {
    if (core.ended || ringing != in) return;
    ringing = null;
    core.progress("declined call from " + in.from);
    send(in.from, "declined");
  }

  /** The session calls out instead of answering: the ringing caller hears busy. */
  void callingOut() {
    if (ringing == null) return;
    busy(ringing.from);
    ringing = null;
  }

  void busy(String caller) {
    send(caller, "busy");
  }

  /** A candidate from the ringing caller is kept for the answer; returns whether it was theirs. */
  boolean candidate(Envelope.Candidate c) {
    if (ringing == null || !ringing.from.equals(c.from())) return false;
    if (c.candidate() != null && ringing.candidates.size() < Candidates.MAX_EARLY_PER_SENDER) {
      ringing.candidates.add(c.candidate());
    }
    return true;
  }

  /** A bye from the ringing caller: it gave up. Returns whether it was theirs. */
  boolean bye(Envelope.Bye b) {
    if (ringing == null || !ringing.from.equals(b.from())) return false;
    ringing = null;
    core.progress("caller " + b.from() + " gave up");
    return true;
  }

  void peerLeft(String peer) {
    if (ringing == null || !ringing.from.equals(peer)) return;
    ringing = null;
    core.progress("caller " + peer + " left");
  }

  /** Runs on the session thread, for {@link IncomingCallImpl} (whose methods any thread may call). */
  boolean run(Runnable r) {
    return core.run(r);
  }

  private void send(String to, String reason) {
    core.send(new Envelope.Bye(Ids.newId(), core.room(), core.peerId(), to, reason));
  }
}
