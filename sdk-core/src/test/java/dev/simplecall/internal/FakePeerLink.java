package dev.simplecall.internal;

import dev.simplecall.protocol.Envelope;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A peer connection's offer/answer state machine without media, as libwebrtc enforces it: a remote
 * offer in have-local-offer fails (no implicit rollback), candidates need a remote description, and a
 * rollback (local offer, or remote offer) returns to the last stable descriptions.
 * Futures complete on a separate "native" thread, as the real ones do.
 */
final class FakePeerLink implements PeerLink {
  static final ExecutorService NATIVE = Executors.newSingleThreadExecutor(NamedThreads.daemonSingle("fake-native"));

  final String name;
  final List<String> log = new CopyOnWriteArrayList<>();
  final List<Envelope.IceCandidate> added = new CopyOnWriteArrayList<>();
  private volatile SignalingState state = SignalingState.STABLE;
  private volatile String localSdp;
  private volatile String remoteSdp;
  private String stableLocal;
  private String stableRemote;
  private int offers;
  volatile boolean failNextSetRemote;
  /** How many of the next setRemoteDescription calls (of any type) fail. */
  volatile int failSetRemote;
  /** Like libwebrtc after a description failed part-way: every later set fails too, rollback included. */
  volatile boolean failuresAreSessionErrors;
  private volatile String sessionError;

  FakePeerLink(String name) {
    this.name = name;
  }

  String localSdp() {
    return localSdp;
  }

  String remoteSdp() {
    return remoteSdp;
  }

  @Override
  public synchronized CompletableFuture<String> createOffer(boolean iceRestart) {
    String sdp = "offer-" + name + "-" + (++offers) + (iceRestart ? "-restart" : "");
    return CompletableFuture.supplyAsync(() -> sdp, NATIVE);
  }

  @Override
  public CompletableFuture<String> createAnswer() {
    return CompletableFuture.supplyAsync(() -> {
      if (state != SignalingState.HAVE_REMOTE_OFFER) throw new IllegalStateException("createAnswer in " + state);
      return "answer-" + name + "-to-" + remoteSdp;
    }, NATIVE);
  }

  @Override
  public CompletableFuture<Void> setLocalDescription(SdpType type, String sdp) {
    return CompletableFuture.runAsync(() -> {
      synchronized (this) {
        log.add("local " + type + " " + sdp);
        if (sessionError != null) throw new IllegalStateException(sessionError);
        switch (type) {
          case OFFER:
            if (state != SignalingState.STABLE) throw new IllegalStateException("local offer in " + state);
            state = SignalingState.HAVE_LOCAL_OFFER;
            localSdp = sdp;
            break;
          case ANSWER:
            if (state != SignalingState.HAVE_REMOTE_OFFER) throw new IllegalStateException("local answer in " + state);
            state = SignalingState.STABLE;
            localSdp = sdp;
            stableLocal = sdp;
            stableRemote = remoteSdp;
            break;
          default:
            if (state != SignalingState.HAVE_LOCAL_OFFER) throw new IllegalStateException("rollback in " + state);
            state = SignalingState.STABLE;
            localSdp = stableLocal;
        }
      }
    }, NATIVE);
  }

  @Override
  public CompletableFuture<Void> setRemoteDescription(SdpType type, String sdp) {
    return CompletableFuture.runAsync(() -> {
      synchronized (this) {
        log.add("remote " + type + " " + sdp);
        if (sessionError != null) throw new IllegalStateException(sessionError);
        if (failNextSetRemote || failSetRemote > 0) {
          failNextSetRemote = false;
          if (failSetRemote > 0) failSetRemote--;
          if (failuresAreSessionErrors) sessionError = "session error: bad sdp";
          throw new IllegalStateException("bad sdp");
        }
        if (type == SdpType.ROLLBACK) {
          if (state != SignalingState.HAVE_REMOTE_OFFER) throw new IllegalStateException("remote rollback in " + state);
          state = SignalingState.STABLE;
          remoteSdp = stableRemote;
          return;
        }
        if (type == SdpType.OFFER) {
          if (state != SignalingState.STABLE) throw new IllegalStateException("remote offer in " + state);
          state = SignalingState.HAVE_REMOTE_OFFER;
        } else {
          if (state != SignalingState.HAVE_LOCAL_OFFER) throw new IllegalStateException("remote answer in " + state);
          state = SignalingState.STABLE;
          stableLocal = localSdp;
          stableRemote = sdp;
        }
        remoteSdp = sdp;
      }
    }, NATIVE);
  }

  @Override
  public void addIceCandidate(Envelope.IceCandidate candidate) {
    if (remoteSdp == null) throw new IllegalStateException("candidate before remote description");
    added.add(candidate);
  }

  @Override
  public SignalingState signalingState() {
    return state;
  }

  @Override
  public boolean hasRemoteDescription() {
    return remoteSdp != null;
  }
}
