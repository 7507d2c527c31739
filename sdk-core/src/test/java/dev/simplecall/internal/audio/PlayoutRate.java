package dev.simplecall.internal.audio;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bounds for a received audio rate (frames a remote sink got per wall-clock second, over the
 * sample rate).
 *
 * <p>A sink is called once per tick of the receiving headless audio module's 10 ms playout thread, so
 * this rate is that thread's tick rate. In webrtc-java 0.14.0 the thread re-anchors each tick to the
 * moment it woke ({@code sleep(10 ms - elapsed)}), so a tick that is late is lost, never caught up: on a
 * quiet machine the rate is 0.99-1.00x, and on a starved one it falls (0.89-0.94x was seen once, in a
 * whole-suite run, for three tests at once). The SDK cannot correct that clock. What the bounds catch
 * are the SDK's own faults: a second puller of the remote mix (2x, measured before the engine had one
 * puller), a sink fed every other tick (0.5x), or audio dumped at once (far above 1x).
 */
public final class PlayoutRate {
  /** Lowest accepted rate: a starved 0.14.0 playout clock, with room below the 0.89x seen. */
  public static final double MIN = 0.80;
  /** Highest accepted rate: the clock cannot run fast; 1.05 allows its 1 ms rounding. */
  public static final double MAX = 1.05;

  private PlayoutRate() {}

  /** Fails unless {@code ratio} is within [{@link #MIN}, {@link #MAX}]; {@code what} names it. */
  public static void assertRealTime(double ratio, String what) {
    assertTrue(ratio >= MIN && ratio <= MAX,
        what + ": received rate " + ratio + "x of the sample rate, outside [" + MIN + ", " + MAX + "]");
  }
}
