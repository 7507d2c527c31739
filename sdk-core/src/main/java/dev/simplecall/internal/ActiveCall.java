package dev.simplecall.internal;

import dev.simplecall.CallException;
import dev.simplecall.CallState;
import dev.simplecall.DataChannel;
import dev.simplecall.EndReason;
import dev.simplecall.IceServer;
import dev.simplecall.internal.PeerLink.SdpType;
import dev.simplecall.internal.webrtc.WebRtcPeer;
import dev.simplecall.internal.webrtc.WebRtcPeer.IceState;
import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.Ids;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session's one call with one remote peer, from its set-up to {@link #close()}: the peer
 * connection and its events, negotiation ({@link Negotiator}, polite when our id is the greater), the
 * release of held candidates as descriptions go out, the ICE rules ({@link IceSupervisor}), the
 * no-answer timer and fresh TURN credentials. Confined to the session thread; it ends the session
 * through its {@link Owner}.
 */
final class ActiveCall {
  private static final Logger log = LoggerFactory.getLogger(ActiveCall.class);
  /** How often media is checked while the remote peer is gone from signaling. */
  static final Duration MEDIA_WATCH = Duration.ofMillis(500);
  /** No bytes for this long from a peer gone from signaling: it is dead. */
  static final Duration MEDIA_GONE_AFTER = Duration.ofMillis(1500);
  /** How often the remote video's frame count is read once frames arrive. */
  static final Duration STALL_CHECK = Duration.ofMillis(250);
  /** How often the video sender adapts to its path ({@link CallPeer#adaptVideo()}). */
  static final Duration ADAPT_EVERY = Duration.ofSeconds(1);
  /** No remote video frame for this long: the video has stalled. */
  static final Duration STALL_AFTER = Duration.ofSeconds(1);

  /** The session around the call. */
  interface Owner {
    /** Ends the session (once; later calls do nothing). */
    void end(EndReason reason, CallException error, String byeReason);

    /** Sends the local media: false when a source could not start (the session has ended). */
    boolean attachMedia();

    /** True while the session's signaling transport is reconnecting. */
    boolean signalingDown();
  }

  final String remote;
  final CallPeer peer;
  private final SessionCore core;
  private final Candidates candidates;
  private final StatsRequests stats;
  private final Owner owner;
  private final Negotiator negotiator;
  private final IceSupervisor ice;
  private final long startNanos;
  private volatile long firstFrameMs = -1;
  private boolean answered;
  private ScheduledFuture<?> noAnswerTimer;
  /** While the remote peer is gone from signaling but media flowed: checks that it still does. */
  private ScheduledFuture<?> mediaWatch;
  private long lastBytesIn = -1;
  private long lastBytesAtNanos;
  private ScheduledFuture<?> stallWatch;
  private ScheduledFuture<?> adaptWatch;
  private long framesSeen;
  private long lastFrameAtNanos;
  private boolean stalled;

  ActiveCall(SessionCore core, String remote, CallMedia engine, List<IceServer> servers, Candidates candidates,
      StatsRequests stats, boolean peerMayReturn, Owner owner) {
    this.core = core;
    this.remote = remote;
    this.candidates = candidates;
    this.stats = stats;
    this.owner = owner;
    this.startNanos = System.nanoTime();
    var options = core.options;
    this.ice = new IceSupervisor(options.iceFailureTimeout(), options.iceRestartAfter(), remote, peerMayReturn,
        startNanos, core.timers, new IceCall());
    var policy = options.iceTransportPolicy() != null ? options.iceTransportPolicy() : core.ctx.policy();
    this.peer = engine.newPeer(servers, policy, core.exec, core.callbacks(), new PeerEvents());
    boolean polite = core.peerId().compareTo(remote) > 0;
    this.negotiator = new Negotiator(peer, polite, core.exec, new NegotiationSink());
    log.debug("{}: call with {} ({})", core.peerId(), remote, polite ? "polite" : "impolite");
  }

  /** An outgoing call: ends {@code NO_ANSWER} if not answered or connected within {@code timeout}. */
  void awaitAnswer(Duration timeout) {
    if (!peer.hasLocalMedia()) peer.ensureTransport(); // the offer needs at least one m-line
    noAnswerTimer = core.timers.schedule(timeout, () -> {
      if (!answered && !everConnected()) {
        core.progress("no answer from " + remote);
        owner.end(EndReason.NO_ANSWER, null, "timeout");
      }
    });
  }

  void remoteDescription(SdpType type, String sdp) {
    negotiator.onRemoteDescription(type, sdp);
  }

  void remoteCandidate(Envelope.IceCandidate c) {
    negotiator.onRemoteCandidate(c);
  }

  /** Anything from the remote peer over signaling: it is alive. */
  void heardFrom() {
    ice.remoteMessage();
  }

  void remoteBack() {
    ice.remoteBack();
    SessionCore.cancel(mediaWatch);
    mediaWatch = null;
  }

  /**
   * The remote peer left signaling. If media was flowing the call goes on while it flows: it is
   * checked at once and then every {@link #MEDIA_WATCH}, and when nothing has arrived for
   * {@link #MEDIA_GONE_AFTER} since the first check the call ends {@code REMOTE_GONE} (a dead process
   * sends nothing; a peer that only lost its signaling keeps sending). On a transport where a departed
   * peer may come back, the ICE rules decide.
   */
  void remoteGone(String why) {
    if (!ice.remoteGone(why) || !ice.pathUp() || ice.peerMayReturn() || mediaWatch != null) return;
    lastBytesIn = -1;
    lastBytesAtNanos = core.timers.nanoTime();
    // the first check only takes the byte count to compare with: taken at once, the end comes
    // MEDIA_GONE_AFTER after the peer left, not a MEDIA_WATCH later
    mediaWatch = core.timers.schedule(Duration.ZERO, this::checkMedia);
  }

  private void checkMedia() {
    if (core.ended || mediaWatch == null) return;
    peer.bytesReceived().whenCompleteAsync((bytes, err) -> {
      if (core.ended || mediaWatch == null) return;
      long now = core.timers.nanoTime();
      log.debug("{}: media watch: {} bytes received (was {}){}", core.peerId(), bytes, lastBytesIn,
          err == null ? "" : " " + err);
      if (err == null && bytes != lastBytesIn) {
        lastBytesIn = bytes;
        lastBytesAtNanos = now;
      } else if (now - lastBytesAtNanos >= MEDIA_GONE_AFTER.toNanos()) {
        owner.end(EndReason.REMOTE_GONE, new CallException(remote + " left and its media stopped"), null);
        return;
      }
      mediaWatch = core.timers.schedule(MEDIA_WATCH, this::checkMedia);
    }, core.exec);
  }

  boolean everConnected() {
    return ice.everConnected();
  }

  long connectMs() {
    return ice.connectMs();
  }

  long firstFrameMs() {
    return firstFrameMs;
  }

  /**
   * Fresh TURN credentials: the peer connection's configuration for every later gathering and, when
   * our side of the selected pair is a relay, an ICE restart now so the relay is re-allocated with
   * credentials that stay valid (coturn refuses the old allocation's refresh once its user name has
   * expired).
   */
  void freshIceServers(List<IceServer> servers) {
    peer.setIceServers(servers);
    if (!everConnected()) return;
    peer.localCandidateType().whenCompleteAsync((type, err) -> {
      if (core.ended || err != null || core.state != CallState.CONNECTED) return;
      if ("relay".equals(type)) {
        core.progress("ICE restart for fresh TURN credentials");
        candidates.hold();
        negotiator.restartIce();
      }
    }, core.exec);
  }

  /** Tells the app when remote video frames stop for {@link #STALL_AFTER}, and when they come back. */
  private void checkStall() {
    if (core.ended) return;
    long now = core.timers.nanoTime();
    long frames = peer.remoteVideoFrames();
    if (frames != framesSeen) {
      framesSeen = frames;
      if (stalled) {
        stalled = false;
        long ms = (now - lastFrameAtNanos) / 1_000_000;
        core.progress("remote video resumed after " + ms + " ms");
        core.emit(l -> l.onRemoteVideoResumed(core.session, ms));
      }
      lastFrameAtNanos = now;
    } else if (!stalled && now - lastFrameAtNanos >= STALL_AFTER.toNanos()) {
      stalled = true;
      core.progress("remote video stalled");
      core.emit(l -> l.onRemoteVideoStalled(core.session));
    }
    stallWatch = core.timers.schedule(STALL_CHECK, this::checkStall);
  }

  /** One adaptation step of the video sender, then the next one {@link #ADAPT_EVERY} later. */
  private void adaptVideo() {
    if (core.ended) return;
    peer.adaptVideo().whenCompleteAsync((change, err) -> {
      if (core.ended) return;
      if (change != null) core.progress(change);
      adaptWatch = core.timers.schedule(ADAPT_EVERY, this::adaptVideo);
    }, core.exec);
  }

  /** Stops the timers and negotiation and releases the peer connection. */
  void close() {
    ice.stop();
    SessionCore.cancel(noAnswerTimer);
    SessionCore.cancel(mediaWatch);
    SessionCore.cancel(stallWatch);
    SessionCore.cancel(adaptWatch);
    negotiator.close();
    try {
      peer.close();
    } catch (Throwable t) {
      log.warn("{}: releasing the peer connection failed", core.peerId(), t);
    }
  }

  private final class NegotiationSink implements Negotiator.Sink {
    @Override
    public void sendOffer(String sdp) {
      core.send(new Envelope.Offer(Ids.newId(), core.room(), core.peerId(), remote, sdp));
      candidates.release();
    }

    @Override
    public void sendAnswer(String sdp) {
      core.send(new Envelope.Answer(Ids.newId(), core.room(), core.peerId(), remote, sdp));
      candidates.release();
      ice.descriptionsExchanged();
    }

    @Override
    public void answered() {
      if (!answered) {
        answered = true;
        SessionCore.cancel(noAnswerTimer);
        core.progress(remote + " answered");
      }
      ice.descriptionsExchanged();
    }

    @Override
    public void beforeAnswer() {
      // a local source could not start: the call has ended; stop the answer here
      if (!owner.attachMedia()) throw new IllegalStateException("the session ended while attaching local media");
    }

    @Override
    public void failed(String what, Throwable cause) {
      owner.end(EndReason.FAILED, new CallException(what + ": " + cause.getMessage(), cause), "error");
    }

    @Override
    public void renegotiationFailed(String what, Throwable cause) {
      core.progress(what + " (" + cause.getMessage() + ")");
    }

    @Override
    public void remoteRepaired(String what) {
      core.progress(what);
    }
  }

  private final class PeerEvents implements WebRtcPeer.Events {
    @Override
    public void onLocalCandidate(Envelope.IceCandidate c) {
      if (!core.ended) candidates.local(c);
    }

    @Override
    public void onGatheringComplete() {
      if (!core.ended) candidates.localComplete();
    }

    @Override
    public void onIceState(IceState s) {
      if (!core.ended) ice.onIceState(s);
    }

    @Override
    public void onConnectionState(IceState s) {
      if (!core.ended) ice.onConnectionState(s);
    }

    @Override
    public void onNegotiationNeeded() {
      if (!core.ended) negotiator.negotiationNeeded();
    }

    @Override
    public void onRemoteDataChannel(DataChannel channel) {
      core.emit(l -> l.onDataChannel(core.session, channel));
    }

    @Override
    public void onFirstRemoteFrame() {
      firstFrameMs = (System.nanoTime() - startNanos) / 1_000_000;
      core.progress("first remote frame after " + firstFrameMs + " ms");
      core.emit(l -> l.onFirstRemoteFrame(core.session));
      if (stallWatch == null && !core.ended) {
        lastFrameAtNanos = core.timers.nanoTime();
        stallWatch = core.timers.schedule(STALL_CHECK, ActiveCall.this::checkStall);
      }
    }
  }

  /** What the ICE rules do to this call. */
  private final class IceCall implements IceSupervisor.Call {
    @Override
    public void connected(long connectMs) {
      peer.mediaConnected(); // a video file starts playing now, so the far end sees it from its start
      SessionCore.cancel(noAnswerTimer);
      core.setState(CallState.CONNECTED);
      core.progress("connected in " + connectMs + " ms");
      negotiator.connected();
      stats.schedule();
      if (adaptWatch == null) adaptWatch = core.timers.schedule(ADAPT_EVERY, ActiveCall.this::adaptVideo);
    }

    @Override
    public void reconnecting(String why) {
      core.setState(CallState.RECONNECTING);
      core.progress(why);
    }

    @Override
    public void reconnected() {
      core.setState(CallState.CONNECTED);
      core.progress("reconnected");
    }

    @Override
    public void restartIce() {
      core.progress("ICE restart");
      candidates.hold(); // the new credentials' candidates must follow the restart offer
      negotiator.restartIce();
    }

    @Override
    public void progress(String step) {
      core.progress(step);
    }

    @Override
    public void end(EndReason reason, CallException error, String byeReason) {
      owner.end(reason, error, byeReason);
    }

    @Override
    public boolean signalingDown() {
      return owner.signalingDown();
    }
  }
}
