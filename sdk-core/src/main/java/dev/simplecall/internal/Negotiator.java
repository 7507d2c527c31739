package dev.simplecall.internal;

import dev.simplecall.internal.PeerLink.SdpType;
import dev.simplecall.internal.PeerLink.SignalingState;
import dev.simplecall.protocol.Envelope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Perfect negotiation (the W3C pattern) over a {@link PeerLink}: either side may offer at any time;
 * on glare the impolite side ignores the other's offer and the polite side rolls its own back and
 * answers. Operations run strictly one after another (like the browser's operations chain), each
 * step on {@code executor}; all fields are confined to that executor. Remote candidates wait until a
 * remote description is set.
 *
 * <p>A remote peer that gets it wrong does not end a call that has agreed on a session once: an answer
 * that cannot be applied rolls our offer back and offers once more (then gives up on that change
 * only); an offer that cannot be applied is rolled back. Both are reported through {@link
 * Sink#renegotiationFailed}. Before the first agreement, an unusable answer is also offered again
 * once, then the step fails. A change whose answer does not come within {@link #ANSWER_WAIT} (the
 * remote refused it without a word) is rolled back and given up the same way; ICE restarts are exempt,
 * their answer may wait for signaling to come back.
 *
 * <p>libwebrtc refuses every later description once applying one failed part-way (a session error),
 * rollback included: the call then goes on as agreed, unchanged, and no change is offered any more.
 * The one such mistake a remote stack is known to make, claiming this side's DTLS role in a later
 * description, is repaired before libwebrtc sees it ({@link DtlsRoles}). Between the first agreement
 * and the first connection no change but an ICE restart is offered: it waits for {@link #connected}.
 * A stack that takes its DTLS role from its latest answer (webrtcbin) would otherwise switch roles in
 * mid-handshake and never connect.
 *
 * <pre>{@code
 * Negotiator n = new Negotiator(link, polite, sessionExecutor, sink);
 * n.negotiationNeeded();               // makes and sends an offer
 * n.onRemoteDescription("answer", sdp);
 * }</pre>
 */
public final class Negotiator {
  private static final Logger log = LoggerFactory.getLogger(Negotiator.class);
  /** How long a change waits for its answer once a session was agreed. */
  static final Duration ANSWER_WAIT = Duration.ofSeconds(10);

  /** Where negotiation output goes. Called on the executor. */
  public interface Sink {
    void sendOffer(String sdp);

    void sendAnswer(String sdp);

    /** A remote answer to our offer was applied. */
    default void answered() {}

    /** Called after a remote offer is applied and before the answer is made (e.g. to attach local tracks). */
    default void beforeAnswer() {}

    /** A negotiation step failed in a way that breaks the call. */
    void failed(String what, Throwable cause);

    /** A remote description could not be applied and was rolled back; the call goes on. */
    default void renegotiationFailed(String what, Throwable cause) {}

    /** A remote description contradicted what was agreed and was applied repaired. */
    default void remoteRepaired(String what) {}
  }

  private final PeerLink link;
  private final boolean polite;
  private final Executor executor;
  private final Sink sink;
  private final Duration answerWait;
  private final List<Envelope.IceCandidate> pendingCandidates = new ArrayList<>();
  private final DtlsRoles roles = new DtlsRoles();
  private CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
  private boolean offerQueued;
  private boolean pendingOffer;
  private boolean pendingIceRestart;
  private boolean ignoreOffer;
  private boolean closed;
  /** libwebrtc refuses all further descriptions (a session error): no more changes are tried. */
  private boolean frozen;
  /** A session was agreed once (an answer applied or sent): a failed renegotiation no longer ends the call. */
  private boolean established;
  /** The peer connection was connected once: changes agreed after it leave the DTLS roles alone. */
  private boolean connectedOnce;
  /** Offers made again after their answer could not be applied, since the last applied answer. */
  private int reoffers;
  private int offersSent;
  private int answersSent;
  private int rollbacks;

  public Negotiator(PeerLink link, boolean polite, Executor executor, Sink sink) {
    this(link, polite, executor, sink, ANSWER_WAIT);
  }

  Negotiator(PeerLink link, boolean polite, Executor executor, Sink sink, Duration answerWait) {
    this.answerWait = answerWait;
    this.link = link;
    this.polite = polite;
    this.executor = executor;
    this.sink = sink;
  }

  public boolean polite() {
    return polite;
  }

  /** Offers now or, if an exchange is under way, as soon as it is stable. Coalesces repeated calls. */
  public void negotiationNeeded() {
    if (offerQueued || closed) return;
    offerQueued = true;
    enqueue(() -> makeOffer(false));
  }

  /** Offers with new ICE credentials. */
  public void restartIce() {
    if (closed) return;
    enqueue(() -> makeOffer(true));
  }

  /** The peer connection is connected (the first time counts): a change held until now is offered. */
  public void connected() {
    if (closed || connectedOnce) return;
    enqueue(() -> {
      connectedOnce = true;
      if (link.signalingState() == SignalingState.STABLE) afterStable();
      return done();
    });
  }

  /** A remote {@code offer} or {@code answer}. */
  public void onRemoteDescription(SdpType type, String sdp) {
    if (closed) return;
    if (type == SdpType.OFFER) {
      enqueue(() -> applyOffer(sdp));
    } else if (type == SdpType.ANSWER) {
      enqueue(() -> applyAnswer(sdp));
    }
  }

  /** A remote trickled candidate; {@code null} = end of candidates. */
  public void onRemoteCandidate(Envelope.IceCandidate candidate) {
    if (closed || candidate == null) return;
    enqueue(() -> {
      // After ignoring a colliding offer, the remote's candidates belong to that offer until its
      // answer to ours arrives (which clears ignoreOffer): buffering them would add stale ones later.
      if (ignoreOffer) return done();
      if (!link.hasRemoteDescription()) {
        pendingCandidates.add(candidate);
      } else {
        addCandidate(candidate);
      }
      return done();
    });
  }

  /** Stops all further work; pending operations complete without effect. */
  public void close() {
    closed = true;
    pendingCandidates.clear();
  }

  public int offersSent() {
    return offersSent;
  }

  public int answersSent() {
    return answersSent;
  }

  public int rollbacks() {
    return rollbacks;
  }

  public int bufferedCandidates() {
    return pendingCandidates.size();
  }

  private CompletableFuture<Void> makeOffer(boolean iceRestart) {
    if (!iceRestart) offerQueued = false;
    if (closed) return done();
    if (frozen) {
      log.debug("not offering{}: this connection refuses further descriptions", iceRestart ? " an ICE restart" : "");
      return done();
    }
    if (link.signalingState() != SignalingState.STABLE || (established && !connectedOnce && !iceRestart)) {
      pendingOffer = true;
      pendingIceRestart |= iceRestart;
      return done();
    }
    return link.createOffer(iceRestart)
        .thenComposeAsync(sdp -> closed ? done() : link.setLocalDescription(SdpType.OFFER, sdp)
            .thenAcceptAsync(v -> {
              if (closed) return;
              offersSent++;
              log.debug("sending offer {}{}", offersSent, iceRestart ? " (ICE restart)" : "");
              log.trace("our offer:\n{}", sdp);
              sink.sendOffer(sdp);
              if (established && !iceRestart) awaitAnswer(offersSent);
            }, executor), executor);
  }

  private CompletableFuture<Void> applyOffer(String remote) {
    if (closed) return done();
    boolean collision = link.signalingState() != SignalingState.STABLE;
    ignoreOffer = !polite && collision;
    if (ignoreOffer) {
      log.debug("glare: impolite side ignores the remote offer");
      return done();
    }
    log.debug("applying their offer in state {}", link.signalingState());
    log.trace("their offer:\n{}", remote);
    if (frozen) return offerRefused(new IllegalStateException("this connection refuses further descriptions"));
    String sdp = repaired(remote, roles.repairOffer(remote), "offer");
    CompletableFuture<Void> start = done();
    if (collision) {
      rollbacks++;
      log.debug("glare: polite side rolls back its offer");
      start = link.setLocalDescription(SdpType.ROLLBACK, "");
    }
    return start
        .thenComposeAsync(v -> link.setRemoteDescription(SdpType.OFFER, sdp), executor)
        .thenComposeAsync(v -> {
          flushCandidates();
          sink.beforeAnswer();
          return link.createAnswer();
        }, executor)
        .thenComposeAsync(answer -> link.setLocalDescription(SdpType.ANSWER, answer)
            .thenAcceptAsync(v -> {
              if (closed) return;
              answersSent++;
              log.debug("sending answer {}", answersSent);
              log.trace("our answer:\n{}", answer);
              established = true;
              roles.weAnswered(answer, sdp);
              sink.sendAnswer(answer);
              afterStable();
            }, executor), executor)
        .handleAsync((v, e) -> e, executor)
        .thenComposeAsync(e -> e == null ? done() : offerRefused(unwrap(e)), executor);
  }

  /** Gives up on change {@code offer} when it is still unanswered after {@link #answerWait}. */
  private void awaitAnswer(int offer) {
    Executor later = CompletableFuture.delayedExecutor(answerWait.toMillis(), TimeUnit.MILLISECONDS, executor);
    later.execute(() -> {
      if (closed || offer != offersSent) return;
      enqueue(() -> {
        if (closed || offer != offersSent || link.signalingState() != SignalingState.HAVE_LOCAL_OFFER) return done();
        return afterRollback(link.setLocalDescription(SdpType.ROLLBACK, ""), "our offer",
            new IllegalStateException("no answer within " + answerWait.toMillis() + " ms"),
            "our offer got no answer; the call goes on as agreed before", this::afterStable);
      });
    });
  }

  /** Their offer could not be applied or answered: mid-call, back to the last agreed session. */
  private CompletableFuture<Void> offerRefused(Throwable cause) {
    if (closed || !established) return CompletableFuture.failedFuture(cause);
    CompletableFuture<Void> back = !frozen && link.signalingState() == SignalingState.HAVE_REMOTE_OFFER
        ? link.setRemoteDescription(SdpType.ROLLBACK, "") : done();
    return afterRollback(back, "their offer", cause, "their offer could not be applied; the call goes on as agreed before",
        this::afterStable);
  }

  private CompletableFuture<Void> applyAnswer(String remote) {
    if (closed) return done();
    ignoreOffer = false; // their answer to our offer: what they send from now on is current
    if (link.signalingState() != SignalingState.HAVE_LOCAL_OFFER) {
      log.debug("ignoring an answer in state {}", link.signalingState());
      return done();
    }
    log.debug("applying their answer");
    log.trace("their answer:\n{}", remote);
    String sdp = repaired(remote, roles.repairAnswer(remote), "answer");
    return link.setRemoteDescription(SdpType.ANSWER, sdp)
        .handleAsync((v, e) -> e, executor)
        .thenComposeAsync(e -> {
          if (e != null) return answerRefused(unwrap(e));
          if (closed) return done();
          established = true;
          reoffers = 0;
          roles.theyAnswered(sdp);
          flushCandidates();
          sink.answered();
          afterStable();
          return done();
        }, executor);
  }

  /**
   * Their answer to our offer could not be applied: roll our offer back and offer once more; when that
   * was the second try, give up on the change (mid-call) or fail (before any agreement).
   */
  private CompletableFuture<Void> answerRefused(Throwable cause) {
    if (closed) return done();
    boolean again = reoffers < 1;
    if (!established && !again) return CompletableFuture.failedFuture(cause);
    return afterRollback(link.setLocalDescription(SdpType.ROLLBACK, ""), "their answer", cause,
        again ? "their answer could not be applied; offering again"
            : "their answer could not be applied again; the call goes on as agreed before",
        again ? () -> {
          reoffers++;
          enqueue(() -> makeOffer(false));
        } : this::afterStable);
  }

  /**
   * Once {@code rollback} is done: when it failed, fails the negotiation before the first agreement and
   * {@link #freeze freezes} after it; when it worked, reports {@code report} (why: {@code cause}) and runs
   * {@code next}.
   */
  private CompletableFuture<Void> afterRollback(CompletableFuture<Void> rollback, String what, Throwable cause, String report,
      Runnable next) {
    return rollback.handleAsync((v, e) -> {
      if (closed) return null;
      if (e != null) {
        if (!established) throw new CompletionException(cause);
        return freeze(what, cause);
      }
      log.warn("{} rolled back: {} ({})", what, report, cause.toString());
      sink.renegotiationFailed(report, cause);
      next.run();
      return null;
    }, executor);
  }

  /**
   * A description failed part-way and libwebrtc now refuses every description, rollback included:
   * the call goes on with what was agreed; later changes (and ICE restarts) are not tried.
   */
  private Void freeze(String what, Throwable cause) {
    frozen = true;
    pendingOffer = false;
    log.warn("{} could not be applied and libwebrtc refuses any further change to this connection: {}", what, cause.toString());
    sink.renegotiationFailed(what + " could not be applied and this connection accepts no further changes;"
        + " the call goes on as agreed before", cause);
    return null;
  }

  /** {@code fixed} (reported when it differs from {@code remote}). */
  private String repaired(String remote, String fixed, String kind) {
    if (!fixed.equals(remote)) {
      log.warn("their {} claims this side's DTLS role ({}); applied with the agreed roles", kind, roles.ours());
      sink.remoteRepaired("their " + kind + " claimed this side's DTLS role (" + roles.ours() + "); the agreed roles are kept");
    }
    return fixed;
  }

  private void afterStable() {
    if (pendingOffer) {
      boolean restart = pendingIceRestart;
      pendingOffer = false;
      pendingIceRestart = false;
      enqueue(() -> makeOffer(restart));
    }
  }

  private void flushCandidates() {
    List<Envelope.IceCandidate> list = new ArrayList<>(pendingCandidates);
    pendingCandidates.clear();
    for (Envelope.IceCandidate c : list) addCandidate(c);
  }

  private void addCandidate(Envelope.IceCandidate c) {
    try {
      link.addIceCandidate(c);
    } catch (RuntimeException e) {
      if (!ignoreOffer) log.debug("remote candidate refused: {}", e.toString());
    }
  }

  /** Runs {@code op} on the executor after every earlier operation has finished (successfully or not). */
  private void enqueue(Supplier<CompletableFuture<Void>> op) {
    chain = chain.handleAsync((v, e) -> null, executor)
        .thenComposeAsync(v -> {
          try {
            return op.get();
          } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
          }
        }, executor)
        .whenCompleteAsync((v, e) -> {
          if (e != null && !closed) sink.failed("negotiation failed", unwrap(e));
        }, executor);
  }

  private static Throwable unwrap(Throwable e) {
    while (e instanceof CompletionException && e.getCause() != null) e = e.getCause();
    return e;
  }

  private static CompletableFuture<Void> done() {
    return CompletableFuture.completedFuture(null);
  }
}
