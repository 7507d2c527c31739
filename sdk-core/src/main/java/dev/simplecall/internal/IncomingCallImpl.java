package dev.simplecall.internal;

import dev.simplecall.IncomingCall;
import dev.simplecall.protocol.Envelope;
import java.util.ArrayList;
import java.util.List;

/**
 * An incoming call waiting for (or, in AUTO mode, already given) a decision. Fields other than
 * {@link #from} are confined to the session thread; {@link #accept()} and {@link #decline()} may be
 * called from any thread and post to it.
 */
final class IncomingCallImpl implements IncomingCall {
  private final Admission admission;
  final String from;
  final boolean auto;
  /** The latest offer from the caller (it may re-offer while the app decides). */
  String offerSdp;
  /** Candidates that arrived before the decision. */
  final List<Envelope.IceCandidate> candidates = new ArrayList<>();

  IncomingCallImpl(Admission admission, String from, String offerSdp, boolean auto) {
    this.admission = admission;
    this.from = from;
    this.offerSdp = offerSdp;
    this.auto = auto;
  }

  @Override
  public String from() {
    return from;
  }

  @Override
  public void accept() {
    if (!auto) admission.run(() -> admission.accept(this));
  }

  @Override
  public void decline() {
    if (!auto) admission.run(() -> admission.decline(this));
  }

  @Override
  public String toString() {
    return "IncomingCall[from " + from + (auto ? ", auto-accepted" : "") + "]";
  }
}
