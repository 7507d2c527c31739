package dev.simplecall.internal.webrtc;

import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCIceConnectionState;
import dev.onvoid.webrtc.RTCIceGatheringState;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCRtpReceiver;
import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.media.MediaStreamTrack;
import dev.simplecall.internal.webrtc.WebRtcPeer.IceState;
import dev.simplecall.protocol.Envelope;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libwebrtc's peer-connection callbacks, on its signaling thread: each is caught (a throw would abort
 * the JVM), never blocks, and is handed to the session executor as a {@link WebRtcPeer.Events} call.
 */
final class PeerObserver implements PeerConnectionObserver {
  private static final Logger log = LoggerFactory.getLogger(PeerObserver.class);
  private final Consumer<Runnable> post;
  private final WebRtcPeer.Events events;
  private final RemoteMedia remote;
  private final List<DataChannelImpl> channels;
  private final Executor callbacks;

  PeerObserver(Consumer<Runnable> post, WebRtcPeer.Events events, RemoteMedia remote, List<DataChannelImpl> channels,
      Executor callbacks) {
    this.post = post;
    this.events = events;
    this.remote = remote;
    this.channels = channels;
    this.callbacks = callbacks;
  }

  private void post(Runnable r) {
    post.accept(r);
  }

  @Override
  public void onIceCandidate(RTCIceCandidate c) {
    try {
      Envelope.IceCandidate ic = new Envelope.IceCandidate(c.sdp, c.sdpMid, c.sdpMLineIndex);
      post(() -> events.onLocalCandidate(ic));
    } catch (Throwable t) {
      log.warn("onIceCandidate", t);
    }
  }

  @Override
  public void onIceGatheringChange(RTCIceGatheringState state) {
    try {
      if (state == RTCIceGatheringState.COMPLETE) post(events::onGatheringComplete);
    } catch (Throwable t) {
      log.warn("onIceGatheringChange", t);
    }
  }

  @Override
  public void onIceConnectionChange(RTCIceConnectionState state) {
    try {
      IceState s = map(state);
      post(() -> events.onIceState(s));
    } catch (Throwable t) {
      log.warn("onIceConnectionChange", t);
    }
  }

  @Override
  public void onConnectionChange(RTCPeerConnectionState state) {
    try {
      IceState s;
      switch (state) {
        case CONNECTING: s = IceState.CHECKING; break;
        case CONNECTED: s = IceState.CONNECTED; break;
        case DISCONNECTED: s = IceState.DISCONNECTED; break;
        case FAILED: s = IceState.FAILED; break;
        case CLOSED: s = IceState.CLOSED; break;
        default: s = IceState.NEW;
      }
      post(() -> events.onConnectionState(s));
    } catch (Throwable t) {
      log.warn("onConnectionChange", t);
    }
  }

  @Override
  public void onRenegotiationNeeded() {
    try {
      post(events::onNegotiationNeeded);
    } catch (Throwable t) {
      log.warn("onRenegotiationNeeded", t);
    }
  }

  @Override
  public void onTrack(RTCRtpTransceiver transceiver) {
    try {
      MediaStreamTrack track = transceiver.getReceiver().getTrack();
      post(() -> remote.onTrack(track)); // attach sinks off the native thread
    } catch (Throwable t) {
      log.warn("onTrack", t);
    }
  }

  @Override
  public void onRemoveTrack(RTCRtpReceiver receiver) {
    try {
      MediaStreamTrack track = receiver.getTrack();
      post(() -> remote.onRemoveTrack(track));
    } catch (Throwable t) {
      log.warn("onRemoveTrack", t);
    }
  }

  @Override
  public void onDataChannel(RTCDataChannel channel) {
    try {
      DataChannelImpl ch = DataChannelImpl.remote(channel, callbacks);
      channels.add(ch);
      post(() -> events.onRemoteDataChannel(ch));
    } catch (Throwable t) {
      log.warn("onDataChannel", t);
    }
  }

  private static IceState map(RTCIceConnectionState s) {
    switch (s) {
      case CHECKING: return IceState.CHECKING;
      case CONNECTED:
      case COMPLETED: return IceState.CONNECTED;
      case DISCONNECTED: return IceState.DISCONNECTED;
      case FAILED: return IceState.FAILED;
      case CLOSED: return IceState.CLOSED;
      default: return IceState.NEW;
    }
  }
}
