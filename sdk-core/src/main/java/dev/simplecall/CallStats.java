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
  private final Instant at;
  private final double rttMs;
  private final long bitrateInBps;
  private final long bitrateOutBps;
  private final double fps;
  private final int width;
  private final int height;
  private final long framesReceived;
  private final long framesSent;
  private final long audioPacketsReceived;
  private final long audioPacketsSent;
  private final long packetsLost;
  private final double jitterMs;
  private final double audioLevel;
  private final String localCandidateType;
  private final String remoteCandidateType;
  private final String localAddress;
  private final String remoteAddress;
  private final String candidateProtocol;
  private final long connectMs;
  private final long firstFrameMs;

  private CallStats(Builder b) {
    this.at = b.at;
    this.rttMs = b.rttMs;
    this.bitrateInBps = b.bitrateInBps;
    this.bitrateOutBps = b.bitrateOutBps;
    this.fps = b.fps;
    this.width = b.width;
    this.height = b.height;
    this.framesReceived = b.framesReceived;
    this.framesSent = b.framesSent;
    this.audioPacketsReceived = b.audioPacketsReceived;
    this.audioPacketsSent = b.audioPacketsSent;
    this.packetsLost = b.packetsLost;
    this.jitterMs = b.jitterMs;
    this.audioLevel = b.audioLevel;
    this.localCandidateType = b.localCandidateType;
    this.remoteCandidateType = b.remoteCandidateType;
    this.localAddress = b.localAddress;
    this.remoteAddress = b.remoteAddress;
    this.candidateProtocol = b.candidateProtocol;
    this.connectMs = b.connectMs;
    this.firstFrameMs = b.firstFrameMs;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder with this snapshot's values. */
  public Builder newBuilder() {
    Builder b = new Builder();
    b.at = at;
    b.rttMs = rttMs;
    b.bitrateInBps = bitrateInBps;
    b.bitrateOutBps = bitrateOutBps;
    b.fps = fps;
    b.width = width;
    b.height = height;
    b.framesReceived = framesReceived;
    b.framesSent = framesSent;
    b.audioPacketsReceived = audioPacketsReceived;
    b.audioPacketsSent = audioPacketsSent;
    b.packetsLost = packetsLost;
    b.jitterMs = jitterMs;
    b.audioLevel = audioLevel;
    b.localCandidateType = localCandidateType;
    b.remoteCandidateType = remoteCandidateType;
    b.localAddress = localAddress;
    b.remoteAddress = remoteAddress;
    b.candidateProtocol = candidateProtocol;
    b.connectMs = connectMs;
    b.firstFrameMs = firstFrameMs;
    return b;
  }

  /** When the snapshot was taken. */
  public Instant at() {
    return at;
  }

  /** Round-trip time of the selected candidate pair, in ms. */
  public double rttMs() {
    return rttMs;
  }

  /** Received bits per second, over the interval since the previous snapshot. */
  public long bitrateInBps() {
    return bitrateInBps;
  }

  /** Sent bits per second, over the interval since the previous snapshot. */
  public long bitrateOutBps() {
    return bitrateOutBps;
  }

  /** Frames per second of the received video. */
  public double fps() {
    return fps;
  }

  /** Received video width. */
  public int width() {
    return width;
  }

  /** Received video height. */
  public int height() {
    return height;
  }

  /** Video frames received. */
  public long framesReceived() {
    return framesReceived;
  }

  /** Video frames sent. */
  public long framesSent() {
    return framesSent;
  }

  /** Audio RTP packets received. */
  public long audioPacketsReceived() {
    return audioPacketsReceived;
  }

  /** Audio RTP packets sent. */
  public long audioPacketsSent() {
    return audioPacketsSent;
  }

  /** RTP packets lost, all received streams. */
  public long packetsLost() {
    return packetsLost;
  }

  /** Jitter of the received audio, in ms. */
  public double jitterMs() {
    return jitterMs;
  }

  /** Received audio level, 0..1. */
  public double audioLevel() {
    return audioLevel;
  }

  /** {@code host}, {@code srflx}, {@code prflx} or {@code relay}; {@code null} until known. */
  public String localCandidateType() {
    return localCandidateType;
  }

  /** The remote side of the selected pair: {@code host}, {@code srflx}, {@code prflx} or {@code relay}. */
  public String remoteCandidateType() {
    return remoteCandidateType;
  }

  /** {@code ip:port} of the local candidate of the selected pair. */
  public String localAddress() {
    return localAddress;
  }

  /** {@code ip:port} of the remote candidate of the selected pair. */
  public String remoteAddress() {
    return remoteAddress;
  }

  /** {@code udp} or {@code tcp}: how this peer sends on the selected path; for a {@code relay}
   * candidate the transport to the TURN server ({@code tls} for {@code turns:}). */
  public String candidateProtocol() {
    return candidateProtocol;
  }

  /** From the call's start (call or accept) to CONNECTED, in ms; -1 before the call first connected. */
  public long connectMs() {
    return connectMs;
  }

  /** From the call's start to the first remote video frame in ms, or -1. */
  public long firstFrameMs() {
    return firstFrameMs;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof CallStats s)) return false;
    return Objects.equals(s.at, at)
        && Double.compare(s.rttMs, rttMs) == 0
        && s.bitrateInBps == bitrateInBps
        && s.bitrateOutBps == bitrateOutBps
        && Double.compare(s.fps, fps) == 0
        && s.width == width
        && s.height == height
        && s.framesReceived == framesReceived
        && s.framesSent == framesSent
        && s.audioPacketsReceived == audioPacketsReceived
        && s.audioPacketsSent == audioPacketsSent
        && s.packetsLost == packetsLost
        && Double.compare(s.jitterMs, jitterMs) == 0
        && Double.compare(s.audioLevel, audioLevel) == 0
        && Objects.equals(s.localCandidateType, localCandidateType)
        && Objects.equals(s.remoteCandidateType, remoteCandidateType)
        && Objects.equals(s.localAddress, localAddress)
        && Objects.equals(s.remoteAddress, remoteAddress)
        && Objects.equals(s.candidateProtocol, candidateProtocol)
        && s.connectMs == connectMs
        && s.firstFrameMs == firstFrameMs;
  }

  @Override
  public int hashCode() {
    return Objects.hash(at, rttMs, bitrateInBps, bitrateOutBps, fps, width, height, framesReceived, framesSent, audioPacketsReceived, audioPacketsSent, packetsLost, jitterMs, audioLevel, localCandidateType, remoteCandidateType, localAddress, remoteAddress, candidateProtocol, connectMs, firstFrameMs);
  }

  @Override
  public String toString() {
    return "CallStats[at=" + at
        + ", rttMs=" + rttMs
        + ", bitrateInBps=" + bitrateInBps
        + ", bitrateOutBps=" + bitrateOutBps
        + ", fps=" + fps
        + ", width=" + width
        + ", height=" + height
        + ", framesReceived=" + framesReceived
        + ", framesSent=" + framesSent
        + ", audioPacketsReceived=" + audioPacketsReceived
        + ", audioPacketsSent=" + audioPacketsSent
        + ", packetsLost=" + packetsLost
        + ", jitterMs=" + jitterMs
        + ", audioLevel=" + audioLevel
        + ", localCandidateType=" + localCandidateType
        + ", remoteCandidateType=" + remoteCandidateType
        + ", localAddress=" + localAddress
        + ", remoteAddress=" + remoteAddress
        + ", candidateProtocol=" + candidateProtocol
        + ", connectMs=" + connectMs
        + ", firstFrameMs=" + firstFrameMs + "]";
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

    private Builder() {}

    public Builder at(Instant at) {
      this.at = Objects.requireNonNull(at, "at == null");
      return this;
    }

    public Builder rttMs(double rttMs) {
      this.rttMs = rttMs;
      return this;
    }

    public Builder bitrateInBps(long bitrateInBps) {
      this.bitrateInBps = bitrateInBps;
      return this;
    }

    public Builder bitrateOutBps(long bitrateOutBps) {
      this.bitrateOutBps = bitrateOutBps;
      return this;
    }

    public Builder fps(double fps) {
      this.fps = fps;
      return this;
    }

    public Builder width(int width) {
      this.width = width;
      return this;
    }

    public Builder height(int height) {
      this.height = height;
      return this;
    }

    public Builder framesReceived(long framesReceived) {
      this.framesReceived = framesReceived;
      return this;
    }

    public Builder framesSent(long framesSent) {
      this.framesSent = framesSent;
      return this;
    }

    public Builder audioPacketsReceived(long audioPacketsReceived) {
      this.audioPacketsReceived = audioPacketsReceived;
      return this;
    }

    public Builder audioPacketsSent(long audioPacketsSent) {
      this.audioPacketsSent = audioPacketsSent;
      return this;
    }

    public Builder packetsLost(long packetsLost) {
      this.packetsLost = packetsLost;
      return this;
    }

    public Builder jitterMs(double jitterMs) {
      this.jitterMs = jitterMs;
      return this;
    }

    public Builder audioLevel(double audioLevel) {
      this.audioLevel = audioLevel;
      return this;
    }

    public Builder localCandidateType(String localCandidateType) {
      this.localCandidateType = localCandidateType;
      return this;
    }

    public Builder remoteCandidateType(String remoteCandidateType) {
      this.remoteCandidateType = remoteCandidateType;
      return this;
    }

    public Builder localAddress(String localAddress) {
      this.localAddress = localAddress;
      return this;
    }

    public Builder remoteAddress(String remoteAddress) {
      this.remoteAddress = remoteAddress;
      return this;
    }

    public Builder candidateProtocol(String candidateProtocol) {
      this.candidateProtocol = candidateProtocol;
      return this;
    }

    public Builder connectMs(long connectMs) {
      this.connectMs = connectMs;
      return this;
    }

    public Builder firstFrameMs(long firstFrameMs) {
      this.firstFrameMs = firstFrameMs;
      return this;
    }

    public CallStats build() {
      return new CallStats(this);
    }
  }
}
