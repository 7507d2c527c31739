package dev.simplecall.internal;

import dev.simplecall.protocol.Envelope;
import java.util.concurrent.CompletableFuture;

/**
 * What negotiation needs from a peer connection. The real one is {@code webrtc.WebRtcPeer}; tests
 * use a fake. Futures complete on any thread; {@link Negotiator} hops back to its executor.
 */
public interface PeerLink {
  enum SdpType { OFFER, ANSWER, ROLLBACK }

  enum SignalingState { STABLE, HAVE_LOCAL_OFFER, HAVE_REMOTE_OFFER, CLOSED, OTHER }

  CompletableFuture<String> createOffer(boolean iceRestart);

  CompletableFuture<String> createAnswer();

  CompletableFuture<Void> setLocalDescription(SdpType type, String sdp);

  CompletableFuture<Void> setRemoteDescription(SdpType type, String sdp);

  /** Adds a remote candidate; only called once a remote description is set. */
  void addIceCandidate(Envelope.IceCandidate candidate);

  SignalingState signalingState();

  boolean hasRemoteDescription();
}
