package dev.simplecall.internal.webrtc;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * Decides, once a second, whether the video sender needs a bitrate floor because its path loses packets
 * at random. libwebrtc's loss-based bandwidth estimation takes any loss for congestion: under 20 % random
 * loss each way it cut a 640x480 sender's video to 40-70 kbit/s and the far end decoded 7-14 fps. Loss
 * from congestion comes with a queue (the round-trip time grows) and grows with what is sent; random loss
 * does neither. So the floor is set when the remote peer reports loss (5 % or more over 5 s) while the
 * round-trip time stays near the lowest seen on the call and under 250 ms, and the encoder's target is
 * under the floor; it is lifted when the round-trip time grows (a queue), when the loss grows with the
 * floor in place (sending more loses more), or when the loss has ended. A floor lifted for congestion is
 * not tried again for a while (30 s, doubling up to 4 min).
 *
 * <p>Pure logic on samples the caller takes from the stats; not thread-safe (the session thread).
 */
final class LossFloor {
  /** One second's view of the sending path; {@code rttMs < 0}: no measurement yet. */
  record Sample(long atMs, double loss, double rttMs, double targetBps) {}

  static final double ENGAGE_LOSS = 0.05;
  static final double RELEASE_LOSS = 0.02;
  /**
   * Loss this much above its level when the floor went on means the floor itself is being dropped. One
   * report's fraction is noisy (under 20 % random loss single reports ranged 0-60 %, means of five
   * 13-33 %), so both levels are means of the last {@link #RELEASE_SAMPLES} samples.
   */
  static final double GROWTH = 0.15;
  static final int SAMPLES = 5;
  static final int RELEASE_SAMPLES = 10;
  /**
   * Above this round-trip time the floor is never set. A call that starts into a full queue sees that
   * queue's delay as its lowest round-trip time (a 150 kbit/s link with 0.4 s of buffer each way: 0.79 s
   * from the first report on), which no rule on the round-trip time can tell from a long path; the
   * floor pushed into such a link stalled the video for seconds after it was lifted again.
   */
  static final double MAX_RTT_MS = 250;
  static final long FIRST_BACKOFF_MS = 30_000;
  static final long MAX_BACKOFF_MS = 240_000;

  private final int floorBps;
  private final Deque<Sample> recent = new ArrayDeque<>();
  private double baseRttMs = Double.MAX_VALUE;
  private boolean on;
  private double lossWhenOn;
  private long blockedUntilMs = Long.MIN_VALUE;
  private long backoffMs = FIRST_BACKOFF_MS;
  private String why = "";

  /** @param floorBps the floor to set, bits per second (positive) */
  LossFloor(int floorBps) {
    if (floorBps <= 0) throw new IllegalArgumentException("floor " + floorBps);
    this.floorBps = floorBps;
  }

  /** Takes one sample; returns the floor to have in place now, 0 for none. */
  int next(Sample s) {
    if (s.rttMs() >= 0) baseRttMs = Math.min(baseRttMs, s.rttMs());
    recent.addLast(s);
    while (recent.size() > RELEASE_SAMPLES) recent.removeFirst();
    if (on) {
      if (queueing(s)) {
        release(s, String.format(Locale.ROOT, "round-trip time %.0f ms against %.0f ms: a queue, so congestion",
            s.rttMs(), baseRttMs), true);
      } else if (meanLoss(RELEASE_SAMPLES) > lossWhenOn + GROWTH) {
        release(s, String.format(Locale.ROOT, "loss grew from %.0f %% to %.0f %% with the floor: congestion",
            lossWhenOn * 100, meanLoss(RELEASE_SAMPLES) * 100), true);
      } else if (recent.size() >= RELEASE_SAMPLES && maxLoss(RELEASE_SAMPLES) < RELEASE_LOSS) {
        release(s, "the loss has ended", false);
      }
    } else if (s.atMs() >= blockedUntilMs && recent.size() >= SAMPLES && s.targetBps() < floorBps
        && meanLoss(SAMPLES) >= ENGAGE_LOSS && noQueue(SAMPLES)) {
      on = true;
      lossWhenOn = meanLoss(RELEASE_SAMPLES);
      why = String.format(Locale.ROOT,
          "%.0f %% loss with the round-trip time at %.0f ms (lowest %.0f ms): random loss", lossWhenOn * 100,
          s.rttMs(), baseRttMs);
    }
    return on ? floorBps : 0;
  }

  /** Why the floor last went on or off. */
  String why() {
    return why;
  }

  private void release(Sample s, String reason, boolean congestion) {
    on = false;
    why = reason;
    if (congestion) {
      blockedUntilMs = s.atMs() + backoffMs;
      backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
    }
  }

  /** A queue: the round-trip time is more than max(100 ms, 2x) above the lowest seen. */
  private boolean queueing(Sample s) {
    return s.rttMs() >= 0 && s.rttMs() > baseRttMs + Math.max(100, baseRttMs);
  }

  /**
   * The last {@code n} samples show no queue: each round-trip time is known, at most {@link #MAX_RTT_MS}
   * and within max(30 ms, 1/4) of the lowest seen, and they spread by no more than that among themselves
   * (a queue filling or draining moves it; at the start of a call the lowest seen may itself be a queue's).
   */
  private boolean noQueue(int n) {
    double lo = Double.MAX_VALUE;
    double hi = 0;
    int i = 0;
    for (var it = recent.descendingIterator(); it.hasNext() && i < n; i++) {
      double rtt = it.next().rttMs();
      if (rtt < 0 || rtt > MAX_RTT_MS || rtt > baseRttMs + Math.max(30, baseRttMs / 4)) return false;
      lo = Math.min(lo, rtt);
      hi = Math.max(hi, rtt);
    }
    return hi - lo <= Math.max(30, lo / 4);
  }

  private double meanLoss(int n) {
    double sum = 0;
    int i = 0;
    for (var it = recent.descendingIterator(); it.hasNext() && i < n; i++) sum += it.next().loss();
    return i == 0 ? 0 : sum / i;
  }

  private double maxLoss(int n) {
    double max = 0;
    int i = 0;
    for (var it = recent.descendingIterator(); it.hasNext() && i < n; i++) max = Math.max(max, it.next().loss());
    return max;
  }
}
