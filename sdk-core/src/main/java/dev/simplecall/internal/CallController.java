package dev.simplecall.internal;

import dev.simplecall.AudioSource;
import dev.simplecall.CallException;
import dev.simplecall.CallSession.Listener;
import dev.simplecall.CallState;
import dev.simplecall.DataChannel;
import dev.simplecall.DataChannelOptions;
import dev.simplecall.EndReason;
import dev.simplecall.IceServer;
import dev.simplecall.MediaOptions;
import dev.simplecall.SessionOptions;
import dev.simplecall.VideoSource;
import dev.simplecall.internal.PeerLink.SdpType;
import dev.simplecall.internal.media.MediaEngine;
import dev.simplecall.internal.media.VideoUnavailableException;
import dev.simplecall.internal.webrtc.DataChannelImpl;
import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.ErrorCode;
import dev.simplecall.protocol.Ids;
import dev.simplecall.spi.SignalingTransport;
import dev.simplecall.spi.SignalingTransportFactory;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The call machine behind a {@link SessionImpl}: at most one call, with one remote peer, placed with
 * {@code call()} or answered, then the ordered teardown of the whole session. Its parts:
 * {@link RoomLink} (the transport and room membership), {@link Admission} (incoming calls, busy),
 * {@link ActiveCall} (the call: peer connection, negotiation, ICE rules, no-answer), {@link Candidates}
 * (candidate ordering), {@link TurnCredentials}, {@link LocalMedia} and {@link StatsRequests}; the peer
 * connection and engine come from {@link CallMedia}. Every mutable field is confined to the session
 * thread ({@link SessionCore#exec}).
 */
final class CallController {
  private static final Logger log = LoggerFactory.getLogger(CallController.class);
  static final String NO_ROUTE = IceSupervisor.NO_ROUTE;

  final SessionCore core;
  final RoomLink room;
  final LocalMedia media;
  final StatsRequests stats;
  private final SignalingTransportFactory factory;
  private final SessionOptions options;
  private final CallMedia engine;
  private final Admission admission;
  private final TurnCredentials turn;
  /** Local candidates held until their description is sent; remote ones that overtook their offer. */
  private final Candidates candidates;
  volatile String remotePeer;

  // ---- confined to the session thread
  private String pendingCallTarget;
  private ActiveCall call; // from setupCall
  /** Channels to open with the next outgoing call, so that its first offer carries them. */
  private final List<DataChannelImpl> withCall = new ArrayList<>();
  private final List<DataChannelOptions> withCallOptions = new ArrayList<>();

  /** With {@code sharedMedia} (a room's engine) or, when null, the session's own from the client. */
  CallController(SessionImpl session, ClientContext ctx, SignalingTransportFactory factory, SessionOptions options,
      Listener listener, CallMedia sharedMedia) {
    this.core = new SessionCore(session, ctx, options, listener,
        t -> end(EndReason.FAILED, new CallException("internal error: " + t, t), null));
    this.factory = factory;
    this.options = options;
    MediaOptions initial = options.media() != null ? options.media() : ctx.media();
    this.media = new LocalMedia(initial);
    this.engine = sharedMedia != null ? sharedMedia : ctx.callMedia(initial);
    this.room = new RoomLink(core, this);
    this.admission = new Admission(core, this::answer);
    this.stats = new StatsRequests(core, () -> call == null ? new StatsRequests.Snapshot(null, false, -1, -1)
        : new StatsRequests.Snapshot(call.peer, call.everConnected(), call.connectMs(), call.firstFrameMs()));
    this.candidates = new Candidates(c -> core.send(new Envelope.Candidate(Ids.newId(), core.room(), core.peerId(), remotePeer, c)));
    this.turn = new TurnCredentials(TurnRefresh.credentialsUri(options.signaling(), options.peerId()), core.timers, new TurnHost());
  }

  /** How TURN credential refreshes reach the server and the call. */
  private final class TurnHost implements TurnCredentials.Host {
    @Override
    public CompletableFuture<List<IceServer>> fetch(URI uri) {
      return TurnRefresh.fetch(core.ctx.httpClient(), uri, options.token());
    }

    @Override
    public void onSession(Runnable task) {
      core.run(task);
    }

    @Override
    public void refreshed(List<IceServer> fresh, String via) {
      if (call != null && !core.ended) call.freshIceServers(iceServers());
    }

    @Override
    public void progress(String step) {
      core.progress(step);
    }
  }

  // ------------------------------------------------------------------ operations (on the session thread)

  void connect() {
    if (!room.connect(factory)) return;
    // Make this call's native engine (factory + audio device module) while signaling connects, so
    // that placing or answering a call does not wait for it.
    prepareEngine();
  }

  /** Places a call once joined; a call already under way wins. */
  void requestCall(String target) {
    if (core.ended) return;
    if (remotePeer != null) {
      log.info("{}: call({}) ignored, already in a call with {}", core.peerId(), target, remotePeer);
      return;
    }
    if (room.joined()) placeCall(target);
    else pendingCallTarget = target;
  }

  void setVideo(VideoSource source) {
    try {
      media.setVideo(source, everConnected());
    } catch (VideoUnavailableException e) {
      videoFailed(e);
    }
  }

  /** Switches the audio; one the call's engine cannot make is reported and the current audio goes on. */
  void setAudio(AudioSource source) {
    try {
      media.setAudio(source);
    } catch (IllegalStateException e) {
      log.warn("{}: audio {} unavailable: {}", core.peerId(), source, e.getMessage());
      core.progress("audio " + source + " unavailable (" + e.getMessage() + "); the call keeps its audio");
    }
  }

  /**
   * A channel the app can hold at once; the session thread makes the native channel later (the
   * listener hears onOpen) or fails it (onFailure): no call yet, or the session has ended.
   */
  DataChannel openDataChannel(String label, DataChannelOptions opts) {
    DataChannelImpl ch = new DataChannelImpl(label, core.callbacks());
    boolean queued = core.run(() -> {
      if (core.ended) ch.fail(new CallException("the session has ended"));
      else if (call == null) ch.fail(new CallException("no call: open data channels once a call exists"));
      else call.peer.openDataChannel(ch, opts);
    });
    if (!queued) ch.fail(new CallException("the session has ended"));
    return ch;
  }

  /**
   * Like {@link #openDataChannel}, but before the call exists the channel waits and is opened when an
   * outgoing call is set up, ahead of its first offer (one negotiation instead of two).
   */
  DataChannel openDataChannelWithCall(String label, DataChannelOptions opts) {
    DataChannelImpl ch = new DataChannelImpl(label, core.callbacks());
    boolean queued = core.run(() -> {
      if (core.ended) ch.fail(new CallException("the session has ended"));
      else if (call != null) call.peer.openDataChannel(ch, opts);
      else {
        withCall.add(ch);
        withCallOptions.add(opts);
      }
    });
    if (!queued) ch.fail(new CallException("the session has ended"));
    return ch;
  }

  /** Runs a device switch on the session thread; fails the future with the reason. */
  CompletableFuture<Void> switchDevice(Consumer<MediaEngine> op) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    boolean queued = core.run(() -> {
      try {
        engine.switchDevice(op);
        f.complete(null);
      } catch (RuntimeException e) {
        f.completeExceptionally(e);
      }
    });
    if (!queued) f.completeExceptionally(new IllegalStateException("the session has ended"));
    return f;
  }

  /** Makes this call's engine if needed; on failure ends the session FAILED and returns false. */
  private boolean prepareEngine() {
    try {
      engine.prepare();
      return true;
    } catch (dev.simplecall.internal.audio.AudioUnavailableException e) {
      // e.g. "no sound server: PulseAudio not running (...)": the app asked for a real device
      end(EndReason.FAILED, new CallException(e.getMessage(), e), null);
    } catch (RuntimeException | LinkageError e) {
      end(EndReason.FAILED, new CallException("native WebRTC engine failed to start: " + e, e), null);
    }
    return false;
  }

  // ------------------------------------------------------------------ from the room (RoomLink)

  void heardFrom(String from) {
    if (call != null && from.equals(call.remote)) call.heardFrom();
  }

  void turnServers(List<IceServer> servers) {
    turn.welcome(servers, call != null && !core.ended);
  }

  void joinedRoom() {
    if (pendingCallTarget == null) return;
    String target = pendingCallTarget;
    pendingCallTarget = null;
    placeCall(target);
  }

  void peerBack(String p) {
    if (call != null && p.equals(call.remote)) call.remoteBack();
  }

  void peerLeft(String p) {
    admission.peerLeft(p);
    if (call != null && p.equals(call.remote)) call.remoteGone(p + " left the room");
  }

  void onOffer(Envelope.Offer o) {
    String from = o.from();
    if (from == null) return;
    if (remotePeer == null) admission.offer(o, candidates.takeEarly(from));
    else if (!from.equals(remotePeer)) admission.busy(from);
    else if (call != null) call.remoteDescription(SdpType.OFFER, o.sdp());
  }

  void onAnswer(Envelope.Answer a) {
    if (call == null || !Objects.equals(a.from(), call.remote)) return;
    call.remoteDescription(SdpType.ANSWER, a.sdp());
  }

  void onCandidate(Envelope.Candidate c) {
    if (admission.candidate(c)) return;
    if (remotePeer == null && c.from() != null && c.candidate() != null) {
      candidates.early(c.from(), c.candidate());
      return;
    }
    if (call == null || !Objects.equals(c.from(), call.remote)) return;
    if (c.candidate() == null) {
      log.debug("{}: end of candidates from {}", core.peerId(), c.from());
      return;
    }
    call.remoteCandidate(c.candidate());
  }

  void onBye(Envelope.Bye b) {
    if (admission.bye(b)) return;
    if (remotePeer == null || !remotePeer.equals(b.from())) return;
    String reason = b.reason() == null ? "hangup" : b.reason();
    EndReason r = switch (reason) {
      case "declined" -> EndReason.DECLINED;
      case "busy" -> EndReason.BUSY;
      case "ice-failed" -> EndReason.ICE_FAILED;
      default -> EndReason.REMOTE_HANGUP;
    };
    core.progress(b.from() + " ended the call (" + reason + ")");
    end(r, r == EndReason.ICE_FAILED ? new CallException(NO_ROUTE) : null, null);
  }

  void onError(Envelope.Error err) {
    log.warn("{}: signaling error {}: {} (ref {})", core.peerId(), err.code(), err.message(), err.ref());
    if (err.errorCode() == ErrorCode.NO_SUCH_PEER && call != null) {
      if (!call.everConnected()) {
        end(EndReason.FAILED, new CallException("no peer " + call.remote + " in room " + core.room()), null);
      } else {
        call.remoteGone(call.remote + " is gone");
      }
    } else if (err.errorCode() == ErrorCode.UNAUTHORIZED || err.errorCode() == ErrorCode.ROOM_FULL) {
      end(EndReason.SIGNALING_FAILED, new CallException("signaling refused: " + err.code() + " " + err.message()), null);
    }
  }

  // ------------------------------------------------------------------ the call

  private void placeCall(String target) {
    admission.callingOut(); // we call out instead of answering: a ringing caller hears busy
    core.progress("calling " + target);
    if (!setupCall(target)) return;
    for (int i = 0; i < withCall.size(); i++) call.peer.openDataChannel(withCall.get(i), withCallOptions.get(i));
    withCall.clear();
    withCallOptions.clear();
    if (!attachMedia()) return;
    call.awaitAnswer(options.noAnswerTimeout());
  }

  /** Answers {@code in}: the call with its caller, its offer and the candidates that came with it. */
  private void answer(IncomingCallImpl in) {
    if (core.ended || remotePeer != null) return;
    if (!setupCall(in.from)) return;
    call.remoteDescription(SdpType.OFFER, in.offerSdp);
    for (Envelope.IceCandidate c : in.candidates) call.remoteCandidate(c);
    in.candidates.clear();
  }

  /** False when the engine could not be made (the session has ended FAILED). */
  private boolean setupCall(String remote) {
    remotePeer = remote;
    core.setState(CallState.CONNECTING);
    if (!prepareEngine()) return false;
    call = new ActiveCall(core, remote, engine, iceServers(), candidates, stats,
        factory.capabilities().deliversToReconnectingPeer(), new ActiveCall.Owner() {
          @Override
          public void end(EndReason reason, CallException error, String byeReason) {
            CallController.this.end(reason, error, byeReason);
          }

          @Override
          public boolean attachMedia() {
            return CallController.this.attachMedia();
          }

          @Override
          public boolean signalingDown() {
            return room.reconnecting();
          }
        });
    media.bind(call.peer);
    return true;
  }

  private List<IceServer> iceServers() {
    List<IceServer> servers = new ArrayList<>(core.ctx.iceServers());
    servers.addAll(turn.servers());
    if (options.iceServers() != null) servers.addAll(options.iceServers());
    return servers;
  }

  /** Sends the local media on the call; false when a source could not start (the call has ended). */
  private boolean attachMedia() {
    try {
      media.attach(everConnected());
      return true;
    } catch (VideoUnavailableException e) {
      videoFailed(e);
      return false;
    }
  }

  private void videoFailed(VideoUnavailableException e) {
    // e.g. "screen capture needs an X display: DISPLAY is not set": the app asked for this source
    log.warn("{}: video {} unavailable: {}", core.peerId(), media.video(), e.getMessage());
    end(EndReason.FAILED, new CallException(e.getMessage(), e), "error");
  }

  private boolean everConnected() {
    return call != null && call.everConnected();
  }

  /** Ends the session once: bye (when {@code byeReason != null} and in a call), release, callbacks. */
  void end(EndReason reason, CallException error, String byeReason) {
    if (core.ended) return;
    core.ended = true;
    log.info("{}: ended {}{}", core.peerId(), reason, error != null ? " (" + error.getMessage() + ")" : "");
    turn.stop();
    stats.stop();
    if (byeReason != null && remotePeer != null) {
      core.send(new Envelope.Bye(Ids.newId(), core.room(), core.peerId(), remotePeer, byeReason));
    }
    media.detach();
    for (DataChannelImpl ch : withCall) ch.fail(new CallException("the session ended before its call"));
    withCall.clear();
    if (call != null) call.close();
    try {
      engine.release(); // after the peer connection: factory, then audio device module
    } catch (Throwable t) {
      log.warn("{}: releasing the media engine failed", core.peerId(), t);
    }
    SignalingTransport t = core.transport;
    core.transport = null;
    if (t != null) {
      try {
        t.close();
      } catch (Throwable ex) {
        log.warn("{}: closing the transport failed", core.peerId(), ex);
      }
    }
    core.setState(CallState.ENDED);
    core.emit(l -> l.onEnded(core.session, reason, error));
    core.ctx.unregister(core.session);
    core.exec.shutdown(); // before released: a task posted once released is refused, never run late
    core.released.countDown();
  }
}
