package dev.simplecall;

import java.time.Instant;
import java.util.Objects;

/**
 * A snapshot of a call's statistics, from {@link CallSession#stats()} or {@link
 * CallSession.Listener#onStats}. Values not known yet are 0 (or {@code null} for strings; -1 for
 * {@code firstFrameMs}). Immutable; new values may be added in later versions, so it is made with
 * {@link #builder()} (useful for an app's own tests), never a positional constructor.
 *
 * <pre>{@code
 * CallStats s = session.stats().get(5, TimeUnit.SECONDS);
 * System.out.printf("rtt=%.1fms candidate=%s fps=%.1f%n", s.rttMs(), s.localCandidateType(), s.fps());
 * }</pre>
 */
public final class CallStats {
  /** Every value, in one place: equality, hash and text come from the record. */
  private record Values(
      Instant at,
      double rttMs,
      long bitrateInBps,
      long bitrateOutBps,
      double fps,
      int width,
      int height,
      long framesReceived,
      long framesSent,
      long audioPacketsReceived,
      long audioPacketsSent,
      long packetsLost,
      double jitterMs,
      double audioLevel,
      String localCandidateType,
      String remoteCandidateType,
      String localAddress,
      String remoteAddress,
      String candidateProtocol,
      long connectMs,
      long firstFrameMs,
      String videoCodec,
      double encodeMsPerFrame,
      double decodeMsPerFrame,
      double jitterBufferDelayMs,
      long framesDropped,
      double qpPerFrame,
      String qualityLimitation) {}

  private final Values v;

  private CallStats(Values v) {
    this.v = v;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder with this snapshot's values. */
  public Builder newBuilder() {
    Builder b = new Builder();
    b.at = v.at;
    b.rttMs = v.rttMs;
    b.bitrateInBps = v.bitrateInBps;
    b.bitrateOutBps = v.bitrateOutBps;
    b.fps = v.fps;
    b.width = v.width;
    b.height = v.height;
    b.framesReceived = v.framesReceived;
    b.framesSent = v.framesSent;
    b.audioPacketsReceived = v.audioPacketsReceived;
    b.audioPacketsSent = v.audioPacketsSent;
    b.packetsLost = v.packetsLost;
    b.jitterMs = v.jitterMs;
    b.audioLevel = v.audioLevel;
    b.localCandidateType = v.localCandidateType;
    b.remoteCandidateType = v.remoteCandidateType;
    b.localAddress = v.localAddress;
    b.remoteAddress = v.remoteAddress;
    b.candidateProtocol = v.candidateProtocol;
    b.connectMs = v.connectMs;
    b.firstFrameMs = v.firstFrameMs;
    b.videoCodec = v.videoCodec;
    b.encodeMsPerFrame = v.encodeMsPerFrame;
    b.decodeMsPerFrame = v.decodeMsPerFrame;
    b.jitterBufferDelayMs = v.jitterBufferDelayMs;
    b.framesDropped = v.framesDropped;
    b.qpPerFrame = v.qpPerFrame;
    b.qualityLimitation = v.qualityLimitation;
    return b;
  }

  /** When the snapshot was taken. */
  public Instant at() {
    return v.at;
  }

  /** Round-trip time of the selected candidate pair, in ms. */
  public double rttMs() {
    return v.rttMs;
  }

  /** Received bits per second, over the interval since the previous snapshot. */
  public long bitrateInBps() {
    return v.bitrateInBps;
  }

  /** Sent bits per second, over the interval since the previous snapshot. */
  public long bitrateOutBps() {
    return v.bitrateOutBps;
  }

  /** Frames per second of the received video. */
  public double fps() {
    return v.fps;
  }

  /** Received video width. */
  public int width() {
    return v.width;
  }

  /** Received video height. */
  public int height() {
    return v.height;
  }

  /** Video frames received. */
  public long framesReceived() {
    return v.framesReceived;
  }

  /** Video frames sent. */
  public long framesSent() {
    return v.framesSent;
  }

  /** Audio RTP packets received. */
  public long audioPacketsReceived() {
    return v.audioPacketsReceived;
  }

  /** Audio RTP packets sent. */
  public long audioPacketsSent() {
    return v.audioPacketsSent;
  }

  /** RTP packets lost, all received streams. */
  public long packetsLost() {
    return v.packetsLost;
  }

  /** Jitter of the received audio, in ms. */
  public double jitterMs() {
    return v.jitterMs;
  }

  /** Received audio level, 0..1. */
  public double audioLevel() {
    return v.audioLevel;
  }

  /** {@code host}, {@code srflx}, {@code prflx} or {@code relay}; {@code null} until known. */
  public String localCandidateType() {
    return v.localCandidateType;
  }

  /** The remote side of the selected pair: {@code host}, {@code srflx}, {@code prflx} or {@code relay}. */
  public String remoteCandidateType() {
    return v.remoteCandidateType;
  }

  /** {@code ip:port} of the local candidate of the selected pair. */
  public String localAddress() {
    return v.localAddress;
  }

  /** {@code ip:port} of the remote candidate of the selected pair. */
  public String remoteAddress() {
    return v.remoteAddress;
  }

  /** {@code udp} or {@code tcp}: how this peer sends on the selected path; for a {@code relay}
   * candidate, how it reaches its TURN server. */
  public String candidateProtocol() {
    return v.candidateProtocol;
  }

  /** From the call's start (call or accept) to CONNECTED, in ms; -1 before the call first connected. */
  public long connectMs() {
    return v.connectMs;
  }

  /** From the call's start to the first remote video frame in ms, or -1. */
  public long firstFrameMs() {
    return v.firstFrameMs;
  }

  /** Codec of the sent video ({@code VP8}, {@code VP9}, {@code H264}, {@code AV1}); {@code null} until known. */
  public String videoCodec() {
    return v.videoCodec;
  }

  /** Average time to encode one sent video frame, in ms. */
  public double encodeMsPerFrame() {
    return v.encodeMsPerFrame;
  }

  /** Average time to decode one received video frame, in ms. */
  public double decodeMsPerFrame() {
    return v.decodeMsPerFrame;
  }

  /** Average time a received video frame waited in the jitter buffer, in ms. */
  public double jitterBufferDelayMs() {
    return v.jitterBufferDelayMs;
  }

  /** Received video frames dropped before they were decoded or shown. */
  public long framesDropped() {
    return v.framesDropped;
  }

  /** Average quantization parameter of the sent video frames (higher: coarser picture). */
  public double qpPerFrame() {
    return v.qpPerFrame;
  }

  /** Why the sent video is held back: {@code none}, {@code cpu}, {@code bandwidth} or
   * {@code other}; {@code null} until known. */
  public String qualityLimitation() {
    return v.qualityLimitation;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CallStats s && s.v.equals(v);
  }

  @Override
  public int hashCode() {
    return v.hashCode();
  }

  @Override
  public String toString() {
    return "CallStats" + v.toString().substring("Values".length());
  }

  /** Builds a {@link CallStats}; every value defaults to "not known" (0, {@code null}, -1 for firstFrameMs). */
  public static final class Builder {
    private Instant at = Instant.EPOCH;
    private double rttMs;
    private long bitrateInBps;
    private long bitrateOutBps;
    private double fps;
    private int width;
    private int height;
    private long framesReceived;
    private long framesSent;
    private long audioPacketsReceived;
    private long audioPacketsSent;
    private long packetsLost;
    private double jitterMs;
    private double audioLevel;
    private String localCandidateType;
    private String remoteCandidateType;
    private String localAddress;
    private String remoteAddress;
    private String candidateProtocol;
    private long connectMs;
    private long firstFrameMs = -1;
    private String videoCodec;
    private double encodeMsPerFrame;
    private double decodeMsPerFrame;
    private double jitterBufferDelayMs;
    private long framesDropped;
    private double qpPerFrame;
    private String qualityLimitation;

    private Builder() {}

    public Builder at(Instant at) {
      this.at = Objects.requireNonNull(at, "at == null");
      return this;
    }

    public Builder rttMs(double rttMs) { this.rttMs = rttMs; return this; }
    public Builder bitrateInBps(long bitrateInBps) { this.bitrateInBps = bitrateInBps; return this; }
    public Builder bitrateOutBps(long bitrateOutBps) { this.bitrateOutBps = bitrateOutBps; return this; }
    public Builder fps(double fps) { this.fps = fps; return this; }
    public Builder width(int width) { this.width = width; return this; }
    public Builder height(int height) { this.height = height; return this; }
    public Builder framesReceived(long framesReceived) { this.framesReceived = framesReceived; return this; }
    public Builder framesSent(long framesSent) { this.framesSent = framesSent; return this; }
    public Builder audioPacketsReceived(long audioPacketsReceived) { this.audioPacketsReceived = audioPacketsReceived; return this; }
    public Builder audioPacketsSent(long audioPacketsSent) { this.audioPacketsSent = audioPacketsSent; return this; }
    public Builder packetsLost(long packetsLost) { this.packetsLost = packetsLost; return this; }
    public Builder jitterMs(double jitterMs) { this.jitterMs = jitterMs; return this; }
    public Builder audioLevel(double audioLevel) { this.audioLevel = audioLevel; return this; }
    public Builder localCandidateType(String localCandidateType) { this.localCandidateType = localCandidateType; return this; }
    public Builder remoteCandidateType(String remoteCandidateType) { this.remoteCandidateType = remoteCandidateType; return this; }
    public Builder localAddress(String localAddress) { this.localAddress = localAddress; return this; }
    public Builder remoteAddress(String remoteAddress) { this.remoteAddress = remoteAddress; return this; }
    public Builder candidateProtocol(String candidateProtocol) { this.candidateProtocol = candidateProtocol; return this; }
    public Builder connectMs(long connectMs) { this.connectMs = connectMs; return this; }
    public Builder firstFrameMs(long firstFrameMs) { this.firstFrameMs = firstFrameMs; return this; }
    public Builder videoCodec(String videoCodec) { this.videoCodec = videoCodec; return this; }
    public Builder encodeMsPerFrame(double encodeMsPerFrame) { this.encodeMsPerFrame = encodeMsPerFrame; return this; }
    public Builder decodeMsPerFrame(double decodeMsPerFrame) { this.decodeMsPerFrame = decodeMsPerFrame; return this; }
    public Builder jitterBufferDelayMs(double jitterBufferDelayMs) { this.jitterBufferDelayMs = jitterBufferDelayMs; return this; }
    public Builder framesDropped(long framesDropped) { this.framesDropped = framesDropped; return this; }
    public Builder qpPerFrame(double qpPerFrame) { this.qpPerFrame = qpPerFrame; return this; }
    public Builder qualityLimitation(String qualityLimitation) { this.qualityLimitation = qualityLimitation; return this; }
    public CallStats build() {
      return new CallStats(new Values(at, rttMs, bitrateInBps, bitrateOutBps, fps, width, height, framesReceived, framesSent,
          audioPacketsReceived, audioPacketsSent, packetsLost, jitterMs, audioLevel, localCandidateType,
          remoteCandidateType, localAddress, remoteAddress, candidateProtocol, connectMs, firstFrameMs,
          videoCodec, encodeMsPerFrame, decodeMsPerFrame, jitterBufferDelayMs, framesDropped, qpPerFrame,
          qualityLimitation));
    }
  }
}
