package dev.simplecall;

import java.time.Instant;

/**
 * A snapshot of a call's statistics, from {@link CallSession#stats()} or {@link
 * CallSession.Listener#onStats}. Values not known yet are 0 (or {@code null} for strings; -1 for
 * {@code firstFrameMs}).
 *
 * <pre>{@code
 * CallStats s = session.stats().get(5, TimeUnit.SECONDS);
 * System.out.printf("rtt=%.1fms candidate=%s fps=%.1f%n", s.rttMs(), s.localCandidateType(), s.fps());
 * }</pre>
 *
 * @param rttMs round-trip time of the selected candidate pair
 * @param fps frames per second of the received video
 * @param width received video width
 * @param audioLevel received audio level, 0..1
 * @param localCandidateType {@code host}, {@code srflx}, {@code prflx} or {@code relay}
 * @param candidateProtocol {@code udp} or {@code tcp}: how this peer sends on the selected path; for a
 *     {@code relay} candidate the transport to the TURN server ({@code tls} for {@code turns:})
 * @param connectMs from the call's start (call or accept) to CONNECTED
 * @param firstFrameMs from the call's start to the first remote video frame, or -1
 */
public record CallStats(Instant at, double rttMs, long bitrateInBps, long bitrateOutBps, double fps, int width,
    int height, long framesReceived, long framesSent, long audioPacketsReceived, long audioPacketsSent,
    long packetsLost, double jitterMs, double audioLevel, String localCandidateType, String remoteCandidateType,
    String localAddress, String remoteAddress, String candidateProtocol, long connectMs, long firstFrameMs) {}
