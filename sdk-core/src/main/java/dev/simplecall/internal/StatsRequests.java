package dev.simplecall.internal;

import dev.simplecall.CallState;
import dev.simplecall.CallStats;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The app's statistics requests ({@link #stats()}, {@link #microphoneLevel()}) and the periodic
 * {@code onStats} callback. A request fails at once when the session has ended (its thread may be gone,
 * so a queued task would never run), and {@link #stop()} fails the ones still waiting for the peer
 * connection (a closed one may never answer).
 */
final class StatsRequests {
  private final SessionCore core;
  /** The call as the stats see it, read on the session thread. */
  private final Supplier<Snapshot> call;
  /** Confined to the session thread: futures waiting for the peer connection. */
  private final Set<CompletableFuture<CallStats>> pending = new HashSet<>();
  private ScheduledFuture<?> timer;
  private Duration interval = Duration.ZERO;

  /** The call's peer ({@code null}: none yet) and the times the stats carry. */
  record Snapshot(CallPeer peer, boolean everConnected, long connectMs, long firstFrameMs) {}

  StatsRequests(SessionCore core, Supplier<Snapshot> call) {
    this.core = core;
    this.call = call;
  }

  CompletableFuture<CallStats> stats() {
    if (core.state == CallState.ENDED) return CompletableFuture.failedFuture(sessionEnded());
    CompletableFuture<CallStats> f = new CompletableFuture<>();
    boolean queued = core.run(() -> {
      if (core.ended) {
        f.completeExceptionally(sessionEnded());
        return;
      }
      Snapshot now = call.get();
      if (now.peer() == null) {
        f.completeExceptionally(new IllegalStateException("no call"));
        return;
      }
      pending.add(f);
      now.peer().stats(now.connectMs(), now.firstFrameMs()).whenComplete((stats, err) -> { // a native thread: only post
        boolean posted = core.run(() -> {
          pending.remove(f);
          if (err != null) f.completeExceptionally(err);
          else f.complete(stats);
        });
        if (!posted) f.completeExceptionally(sessionEnded()); // stop() has failed it already
      });
    });
    if (!queued) f.completeExceptionally(sessionEnded());
    return f;
  }

  CompletableFuture<Double> microphoneLevel() {
    if (core.state == CallState.ENDED) return CompletableFuture.failedFuture(sessionEnded());
    CompletableFuture<Double> f = new CompletableFuture<>();
    boolean queued = core.run(() -> {
      CallPeer peer = call.get().peer();
      if (peer == null) {
        f.completeExceptionally(new IllegalStateException("no call"));
        return;
      }
      peer.microphoneLevel().whenComplete((level, err) -> { // a native thread: the app's stages run on ours
        boolean posted = core.run(() -> {
          if (err != null) f.completeExceptionally(err);
          else f.complete(level);
        });
        if (!posted) f.completeExceptionally(sessionEnded());
      });
    });
    if (!queued) f.completeExceptionally(sessionEnded());
    return f;
  }

  /** {@code onStats} every {@code interval} once connected ({@link Duration#ZERO}: never). */
  void setInterval(Duration interval) {
    this.interval = interval;
    schedule();
  }

  /** (Re)starts the periodic callback if it is asked for and the call has connected. */
  void schedule() {
    SessionCore.cancel(timer);
    timer = null;
    if (interval.isZero() || !call.get().everConnected() || core.ended) return;
    long ms = Math.max(100, interval.toMillis());
    timer = core.ctx.timer().scheduleAtFixedRate(
        () -> stats().thenAccept(st -> core.emit(l -> l.onStats(core.session, st))), ms, ms, TimeUnit.MILLISECONDS);
  }

  /** The session ended: no more callbacks; waiting requests fail. */
  void stop() {
    SessionCore.cancel(timer);
    for (CompletableFuture<CallStats> f : pending) f.completeExceptionally(sessionEnded());
    pending.clear();
  }

  private IllegalStateException sessionEnded() {
    return new IllegalStateException("session " + core.room() + "/" + core.peerId() + " has ended");
  }
}
