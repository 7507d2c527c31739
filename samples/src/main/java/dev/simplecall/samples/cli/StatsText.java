package dev.simplecall.samples.cli;

import dev.simplecall.CallStats;
import java.util.Locale;

/** One-line human text for a {@link CallStats} snapshot: the live status line and the GUI overlay. */
public final class StatsText {
  private StatsText() {}

  public static String of(String state, CallStats s) {
    return String.format(Locale.ROOT, "%s  %4.1f fps  %dx%d  in %s  out %s  rtt %s  %s/%s %s",
        state, s.fps(), s.width(), s.height(), bitrate(s.bitrateInBps()), bitrate(s.bitrateOutBps()),
        s.rttMs() < 0 ? "-" : String.format(Locale.ROOT, "%.1f ms", s.rttMs()),
        orDash(s.localCandidateType()), orDash(s.remoteCandidateType()), orDash(s.candidateProtocol()));
  }

  /** The short form for the live line: {@code 29.8fps 640x480 in 1.2M out 1.1M rtt 0.6ms host/host udp}. */
  public static String compact(CallStats s) {
    return String.format(Locale.ROOT, "%.1ffps %dx%d in %s out %s rtt %s %s/%s %s", s.fps(), s.width(), s.height(),
        shortRate(s.bitrateInBps()), shortRate(s.bitrateOutBps()),
        s.rttMs() < 0 ? "-" : String.format(Locale.ROOT, "%.1fms", s.rttMs()),
        orDash(s.localCandidateType()), orDash(s.remoteCandidateType()), orDash(s.candidateProtocol()));
  }

  private static String shortRate(long bps) {
    if (bps < 0) return "-";
    if (bps >= 1_000_000) return String.format(Locale.ROOT, "%.1fM", bps / 1e6);
    return (bps / 1000) + "k";
  }

  /** Four short lines for the GUI's overlay; {@code shownFps} is what the window actually painted. */
  public static String overlay(String state, CallStats s, double shownFps) {
    return String.format(Locale.ROOT, "%s  %dx%d  %.1f fps (shown %.1f)%nin %s  out %s%nrtt %s%n%s/%s %s",
        state, s.width(), s.height(), s.fps(), shownFps, bitrate(s.bitrateInBps()), bitrate(s.bitrateOutBps()),
        s.rttMs() < 0 ? "-" : String.format(Locale.ROOT, "%.1f ms", s.rttMs()),
        orDash(s.localCandidateType()), orDash(s.remoteCandidateType()), orDash(s.candidateProtocol()));
  }

  static String bitrate(long bps) {
    if (bps < 0) return "-";
    if (bps >= 1_000_000) return String.format(Locale.ROOT, "%.1f Mbit/s", bps / 1e6);
    return String.format(Locale.ROOT, "%d kbit/s", bps / 1000);
  }

  private static String orDash(String s) {
    return s == null || s.isBlank() ? "-" : s;
  }
}
