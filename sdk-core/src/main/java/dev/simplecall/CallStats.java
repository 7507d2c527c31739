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

  /**
   * A builder with every value "not known" (0, {@code null}, -1 for {@code firstFrameMs}, {@link
   * Instant#EPOCH} for {@code at}). The SDK makes its snapshots itself; this is for an app's own tests
   * and tools.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder with this snapshot's values.
   *
   * @return a new builder; changing it leaves this snapshot as it is
   */
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

  /**
   * When the snapshot was taken.
   *
   * @return wall-clock time ({@link Instant#now()} when the SDK maps the report); {@link Instant#EPOCH}
   *     when built without one
   */
  public Instant at() {
    return v.at;
  }

  /**
   * Round-trip time of the selected candidate pair, in ms.
   *
   * @return milliseconds: libwebrtc's current round-trip time of the pair, else its average over the
   *     STUN responses so far; 0 until a pair is selected and measured
   */
  public double rttMs() {
    return v.rttMs;
  }

  /**
   * Received bits per second, over the interval since the previous snapshot.
   *
   * @return bits per second; every byte the call's transport received counts (media, RTCP, data
   *     channels). A snapshot with none taken in the 5 s before it measures over 250 ms
   */
  public long bitrateInBps() {
    return v.bitrateInBps;
  }

  /**
   * Sent bits per second, over the interval since the previous snapshot.
   *
   * @return bits per second; every byte the call's transport sent counts (media, RTCP, data
   *     channels). A snapshot with none taken in the 5 s before it measures over 250 ms
   */
  public long bitrateOutBps() {
    return v.bitrateOutBps;
  }

  /**
   * Frames per second of the received video.
   *
   * @return frames decoded per second since this call's previous statistics (libwebrtc's own
   *     one-second figure in the first); 0 without remote video
   */
  public double fps() {
    return v.fps;
  }

  /**
   * Received video width.
   *
   * @return pixels, of the last frame decoded; 0 without remote video
   */
  public int width() {
    return v.width;
  }

  /**
   * Received video height.
   *
   * @return pixels, of the last frame decoded; 0 without remote video
   */
  public int height() {
    return v.height;
  }

  /**
   * Video frames received.
   *
   * @return frames of the remote video received since the call started
   */
  public long framesReceived() {
    return v.framesReceived;
  }

  /**
   * Video frames sent.
   *
   * @return frames sent by the video sender since the call started
   */
  public long framesSent() {
    return v.framesSent;
  }

  /**
   * Audio RTP packets received.
   *
   * @return packets of the remote audio received since the call started
   */
  public long audioPacketsReceived() {
    return v.audioPacketsReceived;
  }

  /**
   * Audio RTP packets sent.
   *
   * @return packets of the local audio sent since the call started
   */
  public long audioPacketsSent() {
    return v.audioPacketsSent;
  }

  /**
   * RTP packets lost, all received streams.
   *
   * @return packets lost since the call started, the received audio's and video's summed, as RTP
   *     receivers count them
   */
  public long packetsLost() {
    return v.packetsLost;
  }

  /**
   * Jitter of the received audio, in ms.
   *
   * @return the RTP inter-arrival jitter of the received audio, in milliseconds; 0 without remote
   *     audio
   */
  public double jitterMs() {
    return v.jitterMs;
  }

  /**
   * Received audio level, 0..1.
   *
   * @return the level of the received audio on a linear scale, 0 (silence) to 1 (full scale); 0
   *     without remote audio
   */
  public double audioLevel() {
    return v.audioLevel;
  }

  /**
   * {@code host}, {@code srflx}, {@code prflx} or {@code relay}; {@code null} until known.
   *
   * @return the type of this side's candidate of the selected pair, or {@code null} until a pair
   *     is selected
   */
  public String localCandidateType() {
    return v.localCandidateType;
  }

  /**
   * The remote side of the selected pair: {@code host}, {@code srflx}, {@code prflx} or {@code relay}.
   *
   * @return the type of the remote candidate of the selected pair, or {@code null} until a
   *     pair is selected
   */
  public String remoteCandidateType() {
    return v.remoteCandidateType;
  }

  /**
   * {@code ip:port} of the local candidate of the selected pair.
   *
   * @return {@code ip:port} (an IPv6 address in brackets), or {@code null} until a pair is
   *     selected
   */
  public String localAddress() {
    return v.localAddress;
  }

  /**
   * {@code ip:port} of the remote candidate of the selected pair.
   *
   * @return {@code ip:port} (an IPv6 address in brackets), or {@code null} until a pair is
   *     selected
   */
  public String remoteAddress() {
    return v.remoteAddress;
  }

  /**
   * {@code udp} or {@code tcp}: how this peer sends on the selected path; for a {@code relay} candidate, how
   * it reaches its TURN server.
   *
   * @return {@code udp} or {@code tcp}, or {@code null} until a pair is selected
   */
  public String candidateProtocol() {
    return v.candidateProtocol;
  }

  /**
   * From the call's start (call or accept) to CONNECTED, in ms; -1 before the call first connected.
   *
   * @return milliseconds; -1 while the call has not yet connected (also a {@link Builder}'s default)
   */
  public long connectMs() {
    return v.connectMs;
  }

  /**
   * From the call's start to the first remote video frame in ms, or -1.
   *
   * @return milliseconds from the call's start (call or accept), or -1 before the first remote
   *     frame
   */
  public long firstFrameMs() {
    return v.firstFrameMs;
  }

  /**
   * Codec of the sent video ({@code VP8}, {@code VP9}, {@code H264}, {@code AV1}); {@code null} until known.
   *
   * @return the codec name as in its MIME type ({@code video/VP8} gives {@code VP8}), or {@code null}
   *     without sent video
   */
  public String videoCodec() {
    return v.videoCodec;
  }

  /**
   * Average time to encode one sent video frame, in ms.
   *
   * @return milliseconds, averaged over every frame encoded since the call started; 0 before the
   *     first
   */
  public double encodeMsPerFrame() {
    return v.encodeMsPerFrame;
  }

  /**
   * Average time to decode one received video frame, in ms.
   *
   * @return milliseconds, averaged over every frame decoded since the call started; 0 before the
   *     first
   */
  public double decodeMsPerFrame() {
    return v.decodeMsPerFrame;
  }

  /**
   * Average time a received video frame waited in the jitter buffer, in ms.
   *
   * @return milliseconds, averaged over every frame that left the jitter buffer since the call
   *     started; 0 until one has
   */
  public double jitterBufferDelayMs() {
    return v.jitterBufferDelayMs;
  }

  /**
   * Received video frames dropped before they were decoded or shown.
   *
   * @return frames of the remote video dropped since the call started
   */
  public long framesDropped() {
    return v.framesDropped;
  }

  /**
   * Average quantization parameter of the sent video frames (higher: coarser picture).
   *
   * @return the sum of the frames' QP divided by the frames encoded since the call started (the
   *     codec's scale: 0..127 for VP8, 0..51 for H.264); 0 until a frame is encoded
   */
  public double qpPerFrame() {
    return v.qpPerFrame;
  }

  /**
   * Why the sent video is held back: {@code none}, {@code cpu}, {@code bandwidth} or {@code other}; {@code
   * null} until known.
   *
   * @return libwebrtc's {@code qualityLimitationReason} of the video sender, or {@code null}
   *     while no video is sent
   */
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
    private long connectMs = -1;
    private long firstFrameMs = -1;
    private String videoCodec;
    private double encodeMsPerFrame;
    private double decodeMsPerFrame;
    private double jitterBufferDelayMs;
    private long framesDropped;
    private double qpPerFrame;
    private String qualityLimitation;

    private Builder() {}

    /**
     * Sets {@link CallStats#at()}.
     *
     * @param at when the snapshot was taken; not {@code null}
     * @return this builder
     * @throws NullPointerException when {@code at} is {@code null}
     */
    public Builder at(Instant at) {
      this.at = Objects.requireNonNull(at, "at == null");
      return this;
    }

    /**
     * Sets {@link CallStats#rttMs()}.
     *
     * @param rttMs round-trip time in milliseconds; 0: not known
     * @return this builder
     */
    public Builder rttMs(double rttMs) { this.rttMs = rttMs; return this; }

    /**
     * Sets {@link CallStats#bitrateInBps()}.
     *
     * @param bitrateInBps received bits per second
     * @return this builder
     */
    public Builder bitrateInBps(long bitrateInBps) { this.bitrateInBps = bitrateInBps; return this; }

    /**
     * Sets {@link CallStats#bitrateOutBps()}.
     *
     * @param bitrateOutBps sent bits per second
     * @return this builder
     */
    public Builder bitrateOutBps(long bitrateOutBps) { this.bitrateOutBps = bitrateOutBps; return this; }

    /**
     * Sets {@link CallStats#fps()}.
     *
     * @param fps frames per second of the received video
     * @return this builder
     */
    public Builder fps(double fps) { this.fps = fps; return this; }

    /**
     * Sets {@link CallStats#width()}.
     *
     * @param width width of the received video in pixels; 0: none
     * @return this builder
     */
    public Builder width(int width) { this.width = width; return this; }

    /**
     * Sets {@link CallStats#height()}.
     *
     * @param height height of the received video in pixels; 0: none
     * @return this builder
     */
    public Builder height(int height) { this.height = height; return this; }

    /**
     * Sets {@link CallStats#framesReceived()}.
     *
     * @param framesReceived video frames received since the call started
     * @return this builder
     */
    public Builder framesReceived(long framesReceived) { this.framesReceived = framesReceived; return this; }

    /**
     * Sets {@link CallStats#framesSent()}.
     *
     * @param framesSent video frames sent since the call started
     * @return this builder
     */
    public Builder framesSent(long framesSent) { this.framesSent = framesSent; return this; }

    /**
     * Sets {@link CallStats#audioPacketsReceived()}.
     *
     * @param audioPacketsReceived audio RTP packets received since the call started
     * @return this builder
     */
    public Builder audioPacketsReceived(long audioPacketsReceived) { this.audioPacketsReceived = audioPacketsReceived; return this; }

    /**
     * Sets {@link CallStats#audioPacketsSent()}.
     *
     * @param audioPacketsSent audio RTP packets sent since the call started
     * @return this builder
     */
    public Builder audioPacketsSent(long audioPacketsSent) { this.audioPacketsSent = audioPacketsSent; return this; }

    /**
     * Sets {@link CallStats#packetsLost()}.
     *
     * @param packetsLost RTP packets lost, all received streams summed
     * @return this builder
     */
    public Builder packetsLost(long packetsLost) { this.packetsLost = packetsLost; return this; }

    /**
     * Sets {@link CallStats#jitterMs()}.
     *
     * @param jitterMs jitter of the received audio in milliseconds
     * @return this builder
     */
    public Builder jitterMs(double jitterMs) { this.jitterMs = jitterMs; return this; }

    /**
     * Sets {@link CallStats#audioLevel()}.
     *
     * @param audioLevel level of the received audio, 0..1
     * @return this builder
     */
    public Builder audioLevel(double audioLevel) { this.audioLevel = audioLevel; return this; }

    /**
     * Sets {@link CallStats#localCandidateType()}.
     *
     * @param localCandidateType {@code host}, {@code srflx}, {@code prflx}, {@code relay}, or {@code null}: not known
     * @return this builder
     */
    public Builder localCandidateType(String localCandidateType) { this.localCandidateType = localCandidateType; return this; }

    /**
     * Sets {@link CallStats#remoteCandidateType()}.
     *
     * @param remoteCandidateType {@code host}, {@code srflx}, {@code prflx}, {@code relay}, or {@code null}: not known
     * @return this builder
     */
    public Builder remoteCandidateType(String remoteCandidateType) { this.remoteCandidateType = remoteCandidateType; return this; }

    /**
     * Sets {@link CallStats#localAddress()}.
     *
     * @param localAddress {@code ip:port} of the local candidate, or {@code null}: not known
     * @return this builder
     */
    public Builder localAddress(String localAddress) { this.localAddress = localAddress; return this; }

    /**
     * Sets {@link CallStats#remoteAddress()}.
     *
     * @param remoteAddress {@code ip:port} of the remote candidate, or {@code null}: not known
     * @return this builder
     */
    public Builder remoteAddress(String remoteAddress) { this.remoteAddress = remoteAddress; return this; }

    /**
     * Sets {@link CallStats#candidateProtocol()}.
     *
     * @param candidateProtocol {@code udp}, {@code tcp}, or {@code null}: not known
     * @return this builder
     */
    public Builder candidateProtocol(String candidateProtocol) { this.candidateProtocol = candidateProtocol; return this; }

    /**
     * Sets {@link CallStats#connectMs()}.
     *
     * @param connectMs milliseconds from the call's start to CONNECTED; -1: not connected yet
     * @return this builder
     */
    public Builder connectMs(long connectMs) { this.connectMs = connectMs; return this; }

    /**
     * Sets {@link CallStats#firstFrameMs()}.
     *
     * @param firstFrameMs milliseconds from the call's start to the first remote frame; -1: none yet
     * @return this builder
     */
    public Builder firstFrameMs(long firstFrameMs) { this.firstFrameMs = firstFrameMs; return this; }

    /**
     * Sets {@link CallStats#videoCodec()}.
     *
     * @param videoCodec name of the sent video's codec, such as {@code VP8}, or {@code null}: not known
     * @return this builder
     */
    public Builder videoCodec(String videoCodec) { this.videoCodec = videoCodec; return this; }

    /**
     * Sets {@link CallStats#encodeMsPerFrame()}.
     *
     * @param encodeMsPerFrame average encode time per sent frame, in milliseconds
     * @return this builder
     */
    public Builder encodeMsPerFrame(double encodeMsPerFrame) { this.encodeMsPerFrame = encodeMsPerFrame; return this; }

    /**
     * Sets {@link CallStats#decodeMsPerFrame()}.
     *
     * @param decodeMsPerFrame average decode time per received frame, in milliseconds
     * @return this builder
     */
    public Builder decodeMsPerFrame(double decodeMsPerFrame) { this.decodeMsPerFrame = decodeMsPerFrame; return this; }

    /**
     * Sets {@link CallStats#jitterBufferDelayMs()}.
     *
     * @param jitterBufferDelayMs average jitter buffer wait per received frame, in milliseconds
     * @return this builder
     */
    public Builder jitterBufferDelayMs(double jitterBufferDelayMs) { this.jitterBufferDelayMs = jitterBufferDelayMs; return this; }

    /**
     * Sets {@link CallStats#framesDropped()}.
     *
     * @param framesDropped received video frames dropped since the call started
     * @return this builder
     */
    public Builder framesDropped(long framesDropped) { this.framesDropped = framesDropped; return this; }

    /**
     * Sets {@link CallStats#qpPerFrame()}.
     *
     * @param qpPerFrame average quantization parameter per sent frame
     * @return this builder
     */
    public Builder qpPerFrame(double qpPerFrame) { this.qpPerFrame = qpPerFrame; return this; }

    /**
     * Sets {@link CallStats#qualityLimitation()}.
     *
     * @param qualityLimitation {@code none}, {@code cpu}, {@code bandwidth}, {@code other}, or {@code null}: not known
     * @return this builder
     */
    public Builder qualityLimitation(String qualityLimitation) { this.qualityLimitation = qualityLimitation; return this; }

    /**
     * Makes the snapshot. The builder can go on being used: later changes do not reach it.
     *
     * @return a new immutable {@link CallStats} with the values set so far
     */
    public CallStats build() {
      return new CallStats(new Values(at, rttMs, bitrateInBps, bitrateOutBps, fps, width, height, framesReceived, framesSent,
          audioPacketsReceived, audioPacketsSent, packetsLost, jitterMs, audioLevel, localCandidateType,
          remoteCandidateType, localAddress, remoteAddress, candidateProtocol, connectMs, firstFrameMs,
          videoCodec, encodeMsPerFrame, decodeMsPerFrame, jitterBufferDelayMs, framesDropped, qpPerFrame,
          qualityLimitation));
    }
  }
}
