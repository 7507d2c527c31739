package dev.simplecall.internal.audio;

import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCAnswerOptions;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import dev.onvoid.webrtc.media.MediaStreamTrack;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Two real peer connections in one JVM, SDP and ICE candidates handed over directly (no
 * signaling). Candidates are held until both descriptions are set, since libwebrtc drops
 * candidates that arrive before the remote description. Callbacks catch everything.
 */
final class LoopbackPair implements AutoCloseable {
  final RTCPeerConnection offerer;
  final RTCPeerConnection answerer;
  /** Remote audio tracks announced to the answerer. */
  final BlockingQueue<AudioTrack> answererRemoteAudio = new LinkedBlockingQueue<>();
  private final CountDownLatch connected = new CountDownLatch(2);
  private final Side a = new Side();
  private final Side b = new Side();

  LoopbackPair(PeerConnectionFactory offererFactory, PeerConnectionFactory answererFactory) {
    a.other = b;
    b.other = a;
    offerer = offererFactory.createPeerConnection(new RTCConfiguration(), a);
    a.pc = offerer;
    answerer = answererFactory.createPeerConnection(new RTCConfiguration(), b);
    b.pc = answerer;
    b.remoteAudio = answererRemoteAudio;
  }

  /** Offer/answer, then releases the held candidates and waits for both sides CONNECTED. */
  void connect() throws Exception {
    renegotiate();
    a.release();
    b.release();
    if (!connected.await(15, TimeUnit.SECONDS)) throw new TimeoutException("not CONNECTED in 15 s");
  }

  /** One offer/answer round, offerer first. */
  void renegotiate() throws Exception {
    RTCSessionDescription offer = create(true, offerer);
    set(offerer, offer, true);
    set(answerer, offer, false);
    RTCSessionDescription answer = create(false, answerer);
    set(answerer, answer, true);
    set(offerer, answer, false);
  }

  @Override
  public void close() {
    offerer.close();
    answerer.close();
  }

  private static RTCSessionDescription create(boolean offer, RTCPeerConnection pc) throws Exception {
    CompletableFuture<RTCSessionDescription> f = new CompletableFuture<>();
    CreateSessionDescriptionObserver obs = new CreateSessionDescriptionObserver() {
      @Override public void onSuccess(RTCSessionDescription d) { f.complete(d); }
      @Override public void onFailure(String error) { f.completeExceptionally(new IllegalStateException(error)); }
    };
    if (offer) pc.createOffer(new RTCOfferOptions(), obs);
    else pc.createAnswer(new RTCAnswerOptions(), obs);
    return f.get(10, TimeUnit.SECONDS);
  }

  private static void set(RTCPeerConnection pc, RTCSessionDescription d, boolean local) throws Exception {
    CompletableFuture<Void> f = new CompletableFuture<>();
    SetSessionDescriptionObserver obs = new SetSessionDescriptionObserver() {
      @Override public void onSuccess() { f.complete(null); }
      @Override public void onFailure(String error) { f.completeExceptionally(new IllegalStateException(error)); }
    };
    if (local) pc.setLocalDescription(d, obs);
    else pc.setRemoteDescription(d, obs);
    f.get(10, TimeUnit.SECONDS);
  }

  private final class Side implements PeerConnectionObserver {
    volatile RTCPeerConnection pc;
    Side other;
    BlockingQueue<AudioTrack> remoteAudio;
    private final List<RTCIceCandidate> held = new ArrayList<>();
    private boolean released; // guarded by held

    /** Candidates gathered by this side go to the other side, once released. */
    @Override
    public void onIceCandidate(RTCIceCandidate candidate) {
      try {
        synchronized (held) {
          if (!released) {
            held.add(candidate);
            return;
          }
        }
        other.pc.addIceCandidate(candidate);
      } catch (Throwable t) {
        t.printStackTrace();
      }
    }

    void release() {
      List<RTCIceCandidate> copy;
      synchronized (held) {
        released = true;
        copy = new ArrayList<>(held);
        held.clear();
      }
      for (RTCIceCandidate c : copy) other.pc.addIceCandidate(c);
    }

    @Override
    public void onConnectionChange(RTCPeerConnectionState state) {
      if (state == RTCPeerConnectionState.CONNECTED) connected.countDown();
    }

    @Override
    public void onTrack(RTCRtpTransceiver transceiver) {
      try {
        MediaStreamTrack track = transceiver.getReceiver().getTrack();
        if (remoteAudio != null && MediaStreamTrack.AUDIO_TRACK_KIND.equals(track.getKind())) {
          remoteAudio.add((AudioTrack) track);
        }
      } catch (Throwable t) {
        t.printStackTrace();
      }
    }
  }
}
