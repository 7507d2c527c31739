package dev.simplecall.internal.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The random-loss floor's rules on sample series shaped like the NAT lab's (stats once a second): 20 %
 * random loss at a 1 ms round-trip time, and a 150 kbit/s link whose queue holds up to 0.8 s.
 */
@Tag("fast")
class LossFloorTest {
  private static final int FLOOR = 300_000;
  private final LossFloor floor = new LossFloor(FLOOR);
  private long t;

  private int sample(double loss, double rttMs, double targetBps) {
    t += 1000;
    return floor.next(new LossFloor.Sample(t, loss, rttMs, targetBps));
  }

  @Test
  void randomLossWithoutAQueueSetsTheFloor() {
    double[] loss = {0.14, 0.25, 0.25, 0.30, 0.17};
    int last = 0;
    for (int i = 0; i < loss.length; i++) {
      last = sample(loss[i], 1, 200_000);
      if (i < loss.length - 1) assertEquals(0, last, "not before five samples, at " + i);
    }
    assertEquals(FLOOR, last);
    assertTrue(floor.why().contains("random loss"), floor.why());
    // noisy reports (60 %, five at 33 % on average) are no growth: the mean of ten decides
    for (double l : new double[] {0.6, 0.2, 0.0, 0.25, 0.2, 0.15, 0.3, 0.35, 0.4, 0.3, 0.3, 0.1, 0.2}) {
      assertEquals(FLOOR, sample(l, 1, 300_000), "after " + l);
    }
  }

  @Test
  void lossWhileAQueueFillsOrDrainsIsCongestion() {
    // the 150 kbit/s link: loss while the round-trip time moves between 0.5 and 0.8 s
    double[][] series = {{0, 793}, {0.39, 748}, {0.28, 627}, {0, 527}, {0.25, 527}, {0.25, 512}, {0, 270}, {0.1, 228}};
    for (double[] s : series) assertEquals(0, sample(s[0], s[1], 30_000), "at " + s[1] + " ms");
  }

  @Test
  void lossInAQueueTheCallStartedIntoIsNotTakenForRandom() {
    // the same link, seen by a call whose first report came with the queue already full: steady 0.8 s
    double[][] series = {{0.17, 787}, {0.2, 850}, {0.15, 865}, {0.2, 800}, {0.17, 830}, {0.2, 840}, {0.18, 812}};
    for (double[] s : series) assertEquals(0, sample(s[0], s[1], 30_000), "at " + s[1] + " ms");
  }

  @Test
  void noFloorWithoutARoundTripTimeOrWhenTheTargetIsAboveIt() {
    for (int i = 0; i < 8; i++) assertEquals(0, sample(0.2, -1, 50_000));
    for (int i = 0; i < 8; i++) assertEquals(0, sample(0.2, 1, 500_000));
    assertEquals(FLOOR, sample(0.2, 1, 200_000));
  }

  @Test
  void aQueueLiftsTheFloorAndItIsNotTriedAgainForThirtySeconds() {
    engage();
    assertEquals(0, sample(0.2, 150, FLOOR)); // 1 ms lowest: 150 ms is a queue
    assertTrue(floor.why().contains("a queue"), floor.why());
    long liftedAt = t;
    while (t - liftedAt < LossFloor.FIRST_BACKOFF_MS - 1000) assertEquals(0, sample(0.2, 1, 100_000), "at " + (t - liftedAt));
    assertEquals(FLOOR, sample(0.2, 1, 100_000));
    // the second congestion keeps it off twice as long
    assertEquals(0, sample(0.2, 400, FLOOR));
    liftedAt = t;
    while (t - liftedAt < 2 * LossFloor.FIRST_BACKOFF_MS - 1000) assertEquals(0, sample(0.2, 1, 100_000));
    assertEquals(FLOOR, sample(0.2, 1, 100_000));
  }

  @Test
  void lossThatGrowsWithTheFloorIsCongestion() {
    engage();
    int last = FLOOR;
    int seconds = 0;
    while (last != 0 && seconds < 20) { // a policer: what the floor adds is dropped
      last = sample(0.55, 1, FLOOR);
      seconds++;
    }
    assertEquals(0, last);
    assertTrue(seconds <= 6, "lifted after " + seconds + " s");
    assertTrue(floor.why().contains("congestion"), floor.why());
  }

  @Test
  void theFloorIsLiftedTenSecondsAfterTheLossEnds() {
    engage();
    for (int i = 0; i < LossFloor.RELEASE_SAMPLES - 1; i++) assertEquals(FLOOR, sample(0.01, 1, FLOOR));
    assertEquals(0, sample(0.0, 1, FLOOR));
    assertEquals("the loss has ended", floor.why());
    // no back-off after this: random loss sets it again at once
    int last = 0;
    for (int i = 0; i < LossFloor.SAMPLES; i++) last = sample(0.2, 1, 100_000);
    assertEquals(FLOOR, last);
  }

  @Test
  void aFloorMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> new LossFloor(0));
  }

  private void engage() {
    int last = 0;
    for (int i = 0; i < LossFloor.SAMPLES; i++) last = sample(0.2, 1, 100_000);
    assertEquals(FLOOR, last);
  }
}
