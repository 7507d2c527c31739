package dev.simplecall.samples.cli;

import java.util.Locale;

/**
 * What one peer's run measured, printed as the RESULT line of DESIGN.md (the last line of stdout;
 * the NAT lab and CI parse it). Unknown numbers are -1, unknown words {@code none}.
 *
 * @param exitCode the process exit code this result means, see {@link ExitCodes}
 */
public record PeerResult(String peer, String transport, boolean ok, long connectedMs, long firstFrameMs,
    long framesReceived, double fps, int width, int height, long audioPackets, double rttMs,
    String candidate, String remoteCandidate, String candidateProtocol, double dcEchoMs,
    String reason, int exitCode) {

  /** A result for a run that failed before any call: only the reason is known. */
  static PeerResult failed(String peer, String transport, String reason, int exitCode) {
    return new PeerResult(peer, transport, false, -1, -1, 0, 0, 0, 0, 0, -1, "none", "none", "none", -1,
        reason, exitCode);
  }

  public String toLine() {
    StringBuilder b = new StringBuilder("RESULT");
    b.append(" peer=").append(peer)
        .append(" transport=").append(transport)
        .append(" ok=").append(ok)
        .append(" connected_ms=").append(connectedMs)
        .append(" first_frame_ms=").append(firstFrameMs)
        .append(" frames_received=").append(framesReceived)
        .append(" fps=").append(num(fps))
        .append(" width=").append(width)
        .append(" height=").append(height)
        .append(" audio_packets=").append(audioPackets)
        .append(" rtt_ms=").append(num(rttMs))
        .append(" candidate=").append(word(candidate))
        .append(" remote_candidate=").append(word(remoteCandidate))
        .append(" candidate_protocol=").append(word(candidateProtocol))
        .append(" dc_echo_ms=").append(num(dcEchoMs));
    if (!ok && reason != null) {
      b.append(" reason=\"").append(reason.replace('"', '\'').replace('\n', ' ')).append('"');
    }
    return b.toString();
  }

  private static String num(double v) {
    return v < 0 ? "-1" : String.format(Locale.ROOT, "%.1f", v);
  }

  private static String word(String s) {
    return s == null || s.isBlank() ? "none" : s.replaceAll("\\s+", "_");
  }
}
