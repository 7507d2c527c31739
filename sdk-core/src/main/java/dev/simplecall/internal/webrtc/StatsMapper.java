package dev.simplecall.internal.webrtc;

import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCStats;
import dev.onvoid.webrtc.RTCStatsReport;
import dev.onvoid.webrtc.RTCStatsType;
import dev.simplecall.CallStats;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a native stats report into {@link CallStats}. Keeps the previous byte totals to compute
 * bitrates, so one instance per peer connection. Native values arrive as BigInteger, Long, Integer or
 * Double.
 */
public final class StatsMapper {
  private static final Logger log = LoggerFactory.getLogger(StatsMapper.class);
  /** One line per mapped report with the raw fields that explain the video's rate (debug level). */
  private static final Logger raw = LoggerFactory.getLogger("dev.simplecall.stats");
  private static final List<String> OUT_FIELDS = List.of("targetBitrate", "framesPerSecond", "frameWidth",
      "frameHeight", "qualityLimitationReason", "qualityLimitationResolutionChanges", "framesEncoded",
      "framesSent", "hugeFramesSent", "retransmittedBytesSent", "nackCount", "pliCount", "firCount",
      "encoderImplementation", "qpSum", "keyFramesEncoded", "bytesSent", "headerBytesSent", "packetsSent",
      "retransmittedPacketsSent", "totalEncodeTime");
  private static final List<String> SOURCE_FIELDS = List.of("width", "height", "framesPerSecond", "frames");
  private static final List<String> IN_FIELDS = List.of("framesPerSecond", "frameWidth", "frameHeight",
      "framesReceived", "framesDecoded", "keyFramesDecoded", "framesDropped", "packetsLost", "nackCount", "pliCount",
      "firCount", "jitterBufferDelay", "jitterBufferEmittedCount", "freezeCount", "totalFreezesDuration",
      "packetsReceived");
  private static final List<String> PAIR_FIELDS = List.of("availableOutgoingBitrate", "currentRoundTripTime");
  private static final List<String> REMOTE_IN_FIELDS = List.of("fractionLost", "packetsLost", "roundTripTime",
      "roundTripTimeMeasurements");
  private long prevBytesIn = -1;
  private long prevBytesOut;
  private long prevAtUs;
  private long lastInBps;
  private long lastOutBps;
  private long prevFramesDecoded;
  private double lastFps;
  private long mappedAtNanos; // 0: never

  /** A stats report of {@code pc}; the future completes on libwebrtc's thread. */
  static CompletableFuture<RTCStatsReport> report(RTCPeerConnection pc) {
    CompletableFuture<RTCStatsReport> f = new CompletableFuture<>();
    pc.getStats(report -> {
      try {
        f.complete(report);
      } catch (Throwable t) { // a throw into libwebrtc's callback would abort the JVM
        log.warn("stats callback", t);
      }
    });
    return f;
  }

  /**
   * A snapshot with bitrates. They are measured against the previous report; with none mapped in the
   * last 5 s (a one-shot {@code stats()}), a first report is taken and the answer 250 ms later, its next
   * one requested on {@code session} (where the peer connection is closed, so never after that).
   * Reports are mapped where they arrive (a native thread): a throw stays in the future.
   */
  CompletableFuture<CallStats> snapshot(Supplier<CompletableFuture<RTCStatsReport>> reports, Executor session,
      long connectMs, long firstFrameMs) {
    if (mappedWithin(5_000)) return reports.get().thenApply(r -> map(r, connectMs, firstFrameMs));
    return reports.get().thenApply(first -> map(first, connectMs, firstFrameMs))
        .thenComposeAsync(ignored -> reports.get(), CompletableFuture.delayedExecutor(250, TimeUnit.MILLISECONDS, session))
        .thenApply(r -> map(r, connectMs, firstFrameMs));
  }

  private synchronized boolean mappedWithin(long ms) {
    return mappedAtNanos != 0 && System.nanoTime() - mappedAtNanos < ms * 1_000_000L;
  }

  public synchronized CallStats map(RTCStatsReport report, long connectMs, long firstFrameMs) {
    mappedAtNanos = System.nanoTime();
    Map<String, RTCStats> all = report.getStats();
    RTCStats pair = selectedPair(all);
    double rttMs = 0;
    String localType = null, remoteType = null, localAddr = null, remoteAddr = null, protocol = null;
    if (pair != null) {
      rttMs = dbl(pair, "currentRoundTripTime") * 1000;
      long responses = lng(pair, "responsesReceived");
      if (rttMs == 0 && responses > 0) rttMs = dbl(pair, "totalRoundTripTime") * 1000 / responses;
      RTCStats lc = all.get(str(pair, "localCandidateId"));
      RTCStats rc = all.get(str(pair, "remoteCandidateId"));
      if (lc != null) {
        localType = str(lc, "candidateType");
        localAddr = address(lc);
        protocol = str(lc, "protocol");
        // A relay candidate's own protocol is that of the relayed address (always UDP towards the
        // other peer); what the user needs to know is how this peer reaches its TURN server.
        String relayProtocol = str(lc, "relayProtocol");
        if ("relay".equals(localType) && relayProtocol != null) protocol = relayProtocol;
      }
      if (rc != null) {
        remoteType = str(rc, "candidateType");
        remoteAddr = address(rc);
      }
    }
    long bytesIn = 0, bytesOut = 0, framesReceived = 0, framesDecoded = 0, framesSent = 0, audioIn = 0, audioOut = 0;
    long lost = 0;
    double fps = 0, jitterMs = 0, audioLevel = 0;
    int width = 0, height = 0;
    VideoQuality quality = new VideoQuality();
    for (RTCStats s : all.values()) {
      String kind = str(s, "kind");
      if (s.getType() == RTCStatsType.INBOUND_RTP) {
        bytesIn += lng(s, "bytesReceived");
        lost += lng(s, "packetsLost");
        if ("video".equals(kind)) {
          fps = dbl(s, "framesPerSecond");
          width = (int) lng(s, "frameWidth");
          height = (int) lng(s, "frameHeight");
          framesReceived = lng(s, "framesReceived");
          framesDecoded = lng(s, "framesDecoded");
          quality.received(s);
        } else if ("audio".equals(kind)) {
          audioIn = lng(s, "packetsReceived");
          audioLevel = dbl(s, "audioLevel");
          jitterMs = dbl(s, "jitter") * 1000;
        }
      } else if (s.getType() == RTCStatsType.OUTBOUND_RTP) {
        bytesOut += lng(s, "bytesSent");
        if ("video".equals(kind)) {
          framesSent = lng(s, "framesSent");
          quality.sent(s, all);
        }
        else if ("audio".equals(kind)) audioOut = lng(s, "packetsSent");
      }
    }
    // The transports' totals count every byte (media, RTCP, data channels, ICE) and never go down; the
    // selected pair's do when ICE switches pairs (seen early in a call), which made bitrates read 0.
    bytesIn = Math.max(bytesIn, transportBytes(all, "bytesReceived"));
    bytesOut = Math.max(bytesOut, transportBytes(all, "bytesSent"));
    long nowUs = report.getTimestamp();
    // libwebrtc caches a report for a few tens of ms: a second request in that window gets the same
    // timestamp, so it reuses the last rates instead of computing 0 from a zero interval
    if (prevBytesIn >= 0 && nowUs > prevAtUs) {
      double secs = (nowUs - prevAtUs) / 1e6;
      lastInBps = (long) (Math.max(0, bytesIn - prevBytesIn) * 8 / secs);
      lastOutBps = (long) (Math.max(0, bytesOut - prevBytesOut) * 8 / secs);
      // frames decoded over the interval, counted: libwebrtc's own framesPerSecond is no count over a
      // fixed second (a status line once read 217 fps from a 30 fps sender)
      lastFps = Math.max(0, framesDecoded - prevFramesDecoded) / secs;
    } else if (prevBytesIn < 0) {
      lastFps = fps;
    }
    if (prevBytesIn < 0 || nowUs > prevAtUs) {
      prevFramesDecoded = framesDecoded;
      prevBytesIn = bytesIn;
      prevBytesOut = bytesOut;
      prevAtUs = nowUs;
    }
    long inBps = lastInBps, outBps = lastOutBps;
    fps = lastFps;
    if (raw.isDebugEnabled()) raw.debug("raw out_bps={} in_bps={} {}", outBps, inBps, rawFields(all, pair));
    return CallStats.builder().at(Instant.now()).rttMs(rttMs).bitrateInBps(inBps).bitrateOutBps(outBps)
        .fps(fps).width(width).height(height).framesReceived(framesReceived).framesSent(framesSent)
        .audioPacketsReceived(audioIn).audioPacketsSent(audioOut).packetsLost(lost).jitterMs(jitterMs)
        .audioLevel(audioLevel).localCandidateType(localType).remoteCandidateType(remoteType)
        .localAddress(localAddr).remoteAddress(remoteAddr).candidateProtocol(protocol)
        .connectMs(connectMs).firstFrameMs(firstFrameMs).videoCodec(quality.codec)
        .encodeMsPerFrame(quality.encodeMs).decodeMsPerFrame(quality.decodeMs).jitterBufferDelayMs(quality.jitterBufferMs)
        .framesDropped(quality.dropped).qpPerFrame(quality.qp).qualityLimitation(quality.limitation).build();
  }

  /** {@code out.targetBitrate=… in.framesPerSecond=… pair.availableOutgoingBitrate=…} for the video streams. */
  static String rawFields(Map<String, RTCStats> all, RTCStats pair) {
    StringBuilder b = new StringBuilder();
    for (RTCStats s : all.values()) {
      if (!"video".equals(str(s, "kind"))) continue;
      if (s.getType() == RTCStatsType.OUTBOUND_RTP) append(b, "out", s, OUT_FIELDS);
      else if (s.getType() == RTCStatsType.MEDIA_SOURCE) append(b, "src", s, SOURCE_FIELDS);
      else if (s.getType() == RTCStatsType.INBOUND_RTP) append(b, "in", s, IN_FIELDS);
      else if (s.getType() == RTCStatsType.REMOTE_INBOUND_RTP) append(b, "rin", s, REMOTE_IN_FIELDS);
    }
    if (pair != null) append(b, "pair", pair, PAIR_FIELDS);
    return b.toString().trim();
  }

  private static void append(StringBuilder b, String prefix, RTCStats s, List<String> fields) {
    for (String f : fields) {
      Object v = s.getAttributes().get(f);
      if (v != null) b.append(prefix).append('.').append(f).append('=').append(v).append(' ');
    }
  }

  /**
   * The video sender's path as {@link LossFloor} reads it: the loss the remote peer reports for our
   * video, the round-trip time (the larger of RTCP's and ICE's, -1 with neither), the encoder's target;
   * {@code null} when no video is sent or no report has come back yet.
   */
  static LossFloor.Sample pathSample(RTCStatsReport report, long atMs) {
    Map<String, RTCStats> all = report.getStats();
    RTCStats remoteIn = null;
    RTCStats out = null;
    for (RTCStats s : all.values()) {
      if (!"video".equals(str(s, "kind"))) continue;
      if (s.getType() == RTCStatsType.REMOTE_INBOUND_RTP) remoteIn = s;
      else if (s.getType() == RTCStatsType.OUTBOUND_RTP) out = s;
    }
    if (remoteIn == null || out == null || !remoteIn.getAttributes().containsKey("fractionLost")) return null;
    double rttMs = -1;
    if (lng(remoteIn, "roundTripTimeMeasurements") > 0) rttMs = dbl(remoteIn, "roundTripTime") * 1000;
    RTCStats pair = selectedPair(all);
    if (pair != null && pair.getAttributes().containsKey("currentRoundTripTime")) {
      rttMs = Math.max(rttMs, dbl(pair, "currentRoundTripTime") * 1000);
    }
    return new LossFloor.Sample(atMs, dbl(remoteIn, "fractionLost"), rttMs, dbl(out, "targetBitrate"));
  }

  /** Every byte received on the call so far (media, RTCP, data channels): it grows while the remote peer lives. */
  public static long bytesReceived(RTCStatsReport report) {
    Map<String, RTCStats> all = report.getStats();
    long sum = 0;
    for (RTCStats s : all.values()) if (s.getType() == RTCStatsType.INBOUND_RTP) sum += lng(s, "bytesReceived");
    return Math.max(sum, transportBytes(all, "bytesReceived"));
  }

  /** {@code key} summed over the transports (with BUNDLE, one). */
  private static long transportBytes(Map<String, RTCStats> all, String key) {
    long sum = 0;
    for (RTCStats s : all.values()) if (s.getType() == RTCStatsType.TRANSPORT) sum += lng(s, key);
    return sum;
  }

  private static RTCStats selectedPair(Map<String, RTCStats> all) {
    for (RTCStats s : all.values()) {
      if (s.getType() == RTCStatsType.TRANSPORT) {
        RTCStats p = all.get(str(s, "selectedCandidatePairId"));
        if (p != null) return p;
      }
    }
    RTCStats best = null;
    for (RTCStats s : all.values()) {
      if (s.getType() == RTCStatsType.CANDIDATE_PAIR && "succeeded".equals(str(s, "state"))) {
        if (best == null || Boolean.TRUE.equals(s.getAttributes().get("nominated"))) best = s;
      }
    }
    return best;
  }

  private static String address(RTCStats c) {
    String ip = str(c, "address");
    if (ip == null) ip = str(c, "ip");
    if (ip == null) return null;
    long port = lng(c, "port");
    return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port;
  }

  static String str(RTCStats s, String key) {
    Object v = s.getAttributes().get(key);
    return v == null ? null : v.toString();
  }

  /** The video's coding figures: per-frame averages from libwebrtc's running totals. */
  private static final class VideoQuality {
    String codec;
    String limitation;
    double encodeMs;
    double decodeMs;
    double jitterBufferMs;
    double qp;
    long dropped;

    void sent(RTCStats out, Map<String, RTCStats> all) {
      long encoded = lng(out, "framesEncoded");
      if (encoded > 0) {
        encodeMs = dbl(out, "totalEncodeTime") * 1000 / encoded;
        qp = dbl(out, "qpSum") / encoded;
      }
      limitation = str(out, "qualityLimitationReason");
      RTCStats codecStats = all.get(str(out, "codecId"));
      String mime = codecStats == null ? null : str(codecStats, "mimeType"); // "video/VP8"
      if (mime != null) codec = mime.substring(mime.indexOf('/') + 1);
    }

    void received(RTCStats in) {
      long decoded = lng(in, "framesDecoded");
      if (decoded > 0) decodeMs = dbl(in, "totalDecodeTime") * 1000 / decoded;
      long emitted = lng(in, "jitterBufferEmittedCount");
      if (emitted > 0) jitterBufferMs = dbl(in, "jitterBufferDelay") * 1000 / emitted;
      dropped = lng(in, "framesDropped");
    }
  }

  static long lng(RTCStats s, String key) {
    Object v = s.getAttributes().get(key);
    if (v instanceof BigInteger b) return b.longValue();
    if (v instanceof Number n) return n.longValue();
    return 0;
  }

  static double dbl(RTCStats s, String key) {
    Object v = s.getAttributes().get(key);
    if (v instanceof Number n) return n.doubleValue();
    return 0;
  }

  /**
   * The local microphone's level, 0..1, from the audio "media-source" stats (libwebrtc measures it
   * on the captured audio before encoding); 0 when there is no local audio.
   */
  public static double microphoneLevel(RTCStatsReport report) {
    for (RTCStats s : report.getStats().values()) {
      if (s.getType() == RTCStatsType.MEDIA_SOURCE && "audio".equals(str(s, "kind"))) return dbl(s, "audioLevel");
    }
    return 0;
  }
}
