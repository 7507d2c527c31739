package dev.simplecall.internal;

import dev.simplecall.internal.PeerLink.SdpType;
import dev.simplecall.internal.PeerLink.SignalingState;
import dev.simplecall.protocol.Envelope;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
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
 * once (a remote stack that answers a glare re-offer wrongly), then the step fails.
 *
 * <pre>{@code
 * Negotiator n = new Negotiator(link, polite, sessionExecutor, sink);
 * n.negotiationNeeded();               // makes and sends an offer
 * n.onRemoteDescription("answer", sdp);
 * }</pre>
 */
public final class Negotiator {
  private static final Logger log = LoggerFactory.getLogger(Negotiator.class);

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
  }

  private final PeerLink link;
  private final boolean polite;
  private final Executor executor;
  private final Sink sink;
  private final List<Envelope.IceCandidate> pendingCandidates = new ArrayList<>();
  private CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
  private boolean offerQueued;
  private boolean pendingOffer;
  private boolean pendingIceRestart;
  private boolean ignoreOffer;
  private boolean closed;
  /** A session was agreed once (an answer applied or sent): a failed renegotiation no longer ends the call. */
  private boolean established;
  /** Offers made again after their answer could not be applied, since the last applied answer. */
  private int reoffers;
  private int offersSent;
  private int answersSent;
  private int rollbacks;

  public Negotiator(PeerLink link, boolean polite, Executor executor, Sink sink) {
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
    if (link.signalingState() != SignalingState.STABLE) {
      pendingOffer = true;
      pendingIceRestart |= iceRestart;
      return done();
    }
    return link.createOffer(iceRestart)
        .thenComposeAsync(sdp -> closed ? done() : link.setLocalDescription(SdpType.OFFER, sdp)
            .thenAcceptAsync(v -> {
              if (closed) return;
              offersSent++;
              sink.sendOffer(sdp);
            }, executor), executor);
  }

  private CompletableFuture<Void> applyOffer(String sdp) {
    if (closed) return done();
    boolean collision = link.signalingState() != SignalingState.STABLE;
    ignoreOffer = !polite && collision;
    if (ignoreOffer) {
      log.debug("glare: impolite side ignores the remote offer");
      return done();
    }
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
              established = true;
              sink.sendAnswer(answer);
              afterStable();
            }, executor), executor)
        .handleAsync((v, e) -> e, executor)
        .thenComposeAsync(e -> e == null ? done() : offerRefused(unwrap(e)), executor);
  }

  /** Their offer could not be applied or answered: mid-call, back to the last agreed session. */
  private CompletableFuture<Void> offerRefused(Throwable cause) {
    if (closed || !established) return CompletableFuture.failedFuture(cause);
    CompletableFuture<Void> back = link.signalingState() == SignalingState.HAVE_REMOTE_OFFER
        ? link.setRemoteDescription(SdpType.ROLLBACK, "") : done();
    return back.thenAcceptAsync(v -> {
      if (closed) return;
      log.warn("their offer could not be applied, rolled back: {}", cause.toString());
      sink.renegotiationFailed("their offer could not be applied; the call goes on as agreed before", cause);
      afterStable();
    }, executor);
  }

  private CompletableFuture<Void> applyAnswer(String sdp) {
    if (closed) return done();
    ignoreOffer = false; // their answer to our offer: what they send from now on is current
    if (link.signalingState() != SignalingState.HAVE_LOCAL_OFFER) {
      log.debug("ignoring an answer in state {}", link.signalingState());
      return done();
    }
    return link.setRemoteDescription(SdpType.ANSWER, sdp)
        .handleAsync((v, e) -> e, executor)
        .thenComposeAsync(e -> {
          if (e != null) return answerRefused(unwrap(e));
          if (closed) return done();
          established = true;
          reoffers = 0;
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
    return link.setLocalDescription(SdpType.ROLLBACK, "").thenAcceptAsync(v -> {
      if (closed) return;
      log.warn("their answer could not be applied, rolled back{}: {}", again ? "; offering again" : "", cause.toString());
      sink.renegotiationFailed(again ? "their answer could not be applied; offering again"
          : "their answer could not be applied again; the call goes on as agreed before", cause);
      if (again) {
        reoffers++;
        enqueue(() -> makeOffer(false));
      } else {
        afterStable();
      }
    }, executor);
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
    while (e instanceof java.util.concurrent.CompletionException && e.getCause() != null) e = e.getCause();
    return e;
  }

  private static CompletableFuture<Void> done() {
    return CompletableFuture.completedFuture(null);
  }
}
