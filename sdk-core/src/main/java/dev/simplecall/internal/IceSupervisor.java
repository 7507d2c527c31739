package dev.simplecall.internal;

import dev.simplecall.CallException;
import dev.simplecall.EndReason;
import dev.simplecall.internal.webrtc.WebRtcPeer.IceState;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;

/**
 * Watches one call's ICE connection and applies the rules for a path that is missing or lost:
 *
 * <ul>
 *   <li>no path within {@code iceFailureTimeout} of the descriptions being exchanged, or ICE failing
 *       before it ever connected: {@code ICE_FAILED} ("no route");
 *   <li>a connected call that disconnects is {@code RECONNECTING}; ICE restarts after {@code
 *       iceRestartAfter} (at once when ICE failed), and the call ends when it has not come back within
 *       {@code iceFailureTimeout}: {@code REMOTE_GONE} when the remote peer left or has said nothing
 *       since the restart was sent, {@code ICE_FAILED} otherwise;
 *   <li>a remote peer that left signaling ends the call at once unless media still flows; once that
 *       media stops the call ends {@code REMOTE_GONE}. With a transport that keeps messages for a
 *       peer whose link is down ({@code TransportCapabilities.deliversToReconnectingPeer}), a peer
 *       that left after the call connected may be on its way back: the call reconnects as after any
 *       drop and ends {@code REMOTE_GONE} only if the peer is not back by the give-up time.
 * </ul>
 *
 * Confined to the session thread. Time comes from {@link SessionTimers}, so the rules run in unit tests on a
 * virtual clock.
 */
final class IceSupervisor {
  static final String NO_ROUTE = "no route: try a TURN server";
  static final String NO_NETWORK = "media and signaling both lost: this side's network is down";

  /** What the supervisor does to the call. */
  interface Call {
    /** ICE connected for the first time, {@code connectMs} after the call started. */
    void connected(long connectMs);

    /** The connection dropped: the call is {@code RECONNECTING}, {@code why} says how. */
    void reconnecting(String why);

    /** Back after a drop: the call is {@code CONNECTED} again. */
    void reconnected();

    /** Restart ICE now (a new offer with fresh credentials). */
    void restartIce();

    void progress(String step);

    void end(EndReason reason, CallException error, String byeReason);

    /** True while this side's signaling link is down too (the transport is reconnecting). */
    boolean signalingDown();
  }

  private final Duration failureTimeout;
  private final Duration restartAfter;
  private final String remote;
  private final boolean peerMayReturn;
  private final SessionTimers timers;
  private final Call call;
  private final long startNanos;

  private IceState ice = IceState.NEW;
  private boolean reconnecting;
  private boolean remoteLeft;
  private boolean stopped;
  private long connectMs = -1; // set at the first connection
  private long lastRemoteMessageNanos;
  private long restartSentNanos;
  private ScheduledFuture<?> noPathTimer;
  private ScheduledFuture<?> restartTimer;
  private ScheduledFuture<?> giveUpTimer;

  /**
   * @param peerMayReturn the transport keeps messages for a peer whose link is down, so a peer that
   *     left is given until the give-up time to come back
   */
  IceSupervisor(Duration failureTimeout, Duration restartAfter, String remote, boolean peerMayReturn, long startNanos,
      SessionTimers timers, Call call) {
    this.failureTimeout = failureTimeout;
    this.restartAfter = restartAfter;
    this.remote = remote;
    this.peerMayReturn = peerMayReturn;
    this.timers = timers;
    this.call = call;
    this.startNanos = startNanos;
    this.lastRemoteMessageNanos = startNanos;
  }

  boolean everConnected() {
    return connectMs >= 0;
  }

  /** Milliseconds from the start of the call to the first connection, or -1. */
  long connectMs() {
    return connectMs;
  }

  /**
   * Offer and answer are exchanged (this side sent or received the answer): from now ICE has {@code
   * iceFailureTimeout} to find a path. Later calls do nothing.
   */
  void descriptionsExchanged() {
    if (stopped || noPathTimer != null || everConnected()) return;
    noPathTimer = timers.schedule(failureTimeout, () -> {
      if (stopped || everConnected()) return;
      call.progress("ICE found no path in " + failureTimeout.toMillis() + " ms");
      end(EndReason.ICE_FAILED, new CallException(NO_ROUTE), "ice-failed");
    });
  }

  /** A signaling message from the remote peer arrived: it is alive. */
  void remoteMessage() {
    lastRemoteMessageNanos = timers.nanoTime();
  }

  /**
   * The remote peer left signaling (peer-left, or no-such-peer). Ends the call at once unless media is
   * flowing, or the call is reconnecting and the peer may return; returns whether the call goes on.
   */
  boolean remoteGone(String why) {
    if (stopped) return false;
    boolean first = !remoteLeft;
    remoteLeft = true;
    if (ice == IceState.CONNECTED) {
      if (first) call.progress(remote + " left signaling; the call lasts while media flows");
      return true;
    }
    if (peerMayReturn && reconnecting) {
      if (first) call.progress(remote + " left signaling; waiting for it to come back");
      return true;
    }
    end(EndReason.REMOTE_GONE, new CallException(why), null);
    return false;
  }

  /** ICE is connected now: media can flow. */
  boolean pathUp() {
    return ice == IceState.CONNECTED;
  }

  /** Whether the transport keeps a departed peer's messages, so a peer that left may come back. */
  boolean peerMayReturn() {
    return peerMayReturn;
  }

  /** The remote peer is back in the room. */
  void remoteBack() {
    remoteLeft = false;
  }

  /** The peer connection's aggregate state: a peer that left ends the call when its media stops. */
  void onConnectionState(IceState s) {
    if (stopped || !remoteLeft || peerMayReturn) return; // a peer that may return: the ICE rules decide
    if (s == IceState.FAILED || s == IceState.CLOSED || s == IceState.DISCONNECTED) {
      end(EndReason.REMOTE_GONE, new CallException(remote + " left and its media stopped"), null);
    }
  }

  void onIceState(IceState s) {
    if (stopped) return;
    ice = s;
    switch (s) {
      case CHECKING -> call.progress("ICE checking");
      case CONNECTED -> connectedNow();
      case DISCONNECTED, FAILED -> lost(s);
      default -> { }
    }
  }

  private void connectedNow() {
    cancelRecoveryTimers();
    if (!everConnected()) {
      connectMs = (timers.nanoTime() - startNanos) / 1_000_000;
      cancel(noPathTimer);
      call.connected(connectMs);
    } else if (reconnecting) {
      reconnecting = false;
      call.reconnected();
    }
  }

  private void lost(IceState s) {
    if (!everConnected()) {
      if (s == IceState.FAILED) end(EndReason.ICE_FAILED, new CallException(NO_ROUTE), "ice-failed");
      return;
    }
    if (remoteLeft && !peerMayReturn) {
      end(EndReason.REMOTE_GONE, new CallException(remote + " left and its media stopped"), null);
      return;
    }
    if (!reconnecting) {
      reconnecting = true;
      call.reconnecting(s == IceState.FAILED ? "ICE failed; restarting" : "connection lost; reconnecting");
    }
    if (s == IceState.FAILED) restart();
    else if (restartTimer == null) restartTimer = timers.schedule(restartAfter, this::restart);
    if (giveUpTimer == null) giveUpTimer = timers.schedule(failureTimeout, this::giveUp);
  }

  private void restart() {
    if (stopped || !reconnecting) return;
    restartSentNanos = timers.nanoTime();
    call.restartIce();
  }

  private void giveUp() {
    if (stopped || !reconnecting) return;
    if (call.signalingDown()) { // media and signaling both lost: the common cause is this side's network
      end(EndReason.ICE_FAILED, new CallException(NO_NETWORK), "ice-failed");
      return;
    }
    boolean silent = restartSentNanos != 0 && lastRemoteMessageNanos < restartSentNanos;
    if (remoteLeft || silent) {
      end(EndReason.REMOTE_GONE, new CallException(remote + " stopped responding"), null);
    } else {
      end(EndReason.ICE_FAILED, new CallException(NO_ROUTE), "ice-failed");
    }
  }

  private void end(EndReason reason, CallException error, String byeReason) {
    stop();
    call.end(reason, error, byeReason);
  }

  /** The call ended: no timer fires and no event is acted on from now. Idempotent. */
  void stop() {
    stopped = true;
    cancel(noPathTimer);
    cancelRecoveryTimers();
  }

  private void cancelRecoveryTimers() {
    cancel(restartTimer);
    cancel(giveUpTimer);
    restartTimer = null;
    giveUpTimer = null;
  }

  private static void cancel(ScheduledFuture<?> f) {
    if (f != null) f.cancel(false);
  }
}
