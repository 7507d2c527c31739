package dev.simplecall.samples.cli;

import java.util.Locale;

/**
 * What one member of a group call measured, printed as its RESULT line (the last line of stdout).
 * {@code peersOk} counts the other members with which video, audio and data flowed both ways;
 * {@code fpsMin} is the lowest video rate received from any of them; {@code upKbps} and {@code downKbps}
 * the bitrates sent to and received from all of them together, the mean of samples every 2 s of the
 * streaming window. Unknown numbers are -1.
 *
 * @param exitCode the process exit code this result means, see {@link ExitCodes}
 */
public record GroupResult(String peer, String transport, boolean ok, int peersOk, int peersExpected,
    long connectedMs, double fpsMin, long framesReceived, long upKbps, long downKbps, String reason, int exitCode) {

  static GroupResult failed(String peer, String transport, int expected, String reason, int exitCode) {
    return new GroupResult(peer, transport, false, 0, expected, -1, -1, 0, -1, -1, reason, exitCode);
  }

  public String toLine() {
    StringBuilder b = new StringBuilder("RESULT");
    b.append(" peer=").append(peer)
        .append(" transport=").append(transport)
        .append(" group=true")
        .append(" ok=").append(ok)
        .append(" peers_ok=").append(peersOk).append('/').append(peersExpected)
        .append(" connected_ms=").append(connectedMs)
        .append(" fps_min=").append(fpsMin < 0 ? "-1" : String.format(Locale.ROOT, "%.1f", fpsMin))
        .append(" frames_received=").append(framesReceived)
        .append(" up_kbps=").append(upKbps)
        .append(" down_kbps=").append(downKbps);
    if (!ok && reason != null) {
      b.append(" reason=\"").append(reason.replace('"', '\'').replace('\n', ' ')).append('"');
    }
    return b.toString();
  }
}
