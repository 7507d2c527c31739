package dev.simplecall.internal.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The capture pump keeps to its slots: a slow producer drops slots instead of running back to back. */
@Tag("fast")
class FramePumpTest {
  private static final long PERIOD = TimeUnit.MILLISECONDS.toNanos(10);

  @Test
  void slowProducerDropsSlotsInsteadOfQueueing() throws Exception {
    CountDownLatch twenty = new CountDownLatch(20);
    String[] thread = new String[1];
    boolean[] daemon = new boolean[1];
    FramePump pump = new FramePump("test-pump", PERIOD, n -> {
      thread[0] = Thread.currentThread().getName();
      daemon[0] = Thread.currentThread().isDaemon();
      Thread.sleep(25); // a capture that takes two and a half slots
      twenty.countDown();
      return true;
    });
    long start = System.nanoTime();
    pump.start();
    assertTrue(twenty.await(10, TimeUnit.SECONDS), "20 frames within 10 s");
    pump.stop();
    long slots = (System.nanoTime() - start) / PERIOD + 1;
    assertEquals("test-pump", thread[0]);
    assertTrue(daemon[0], "the pump thread is a daemon");
    // each frame takes >= 2.5 slots: at most slots / 2.5 frames, and the rest of the slots dropped
    assertTrue(pump.produced() * 5 <= slots * 2 + 5, pump.produced() + " frames in " + slots + " slots");
    assertTrue(pump.dropped() >= pump.produced(), "dropped " + pump.dropped() + ", produced " + pump.produced());
    assertTrue(pump.produced() + pump.dropped() <= slots + 1, "more frames than slots: " + pump.produced() + "+"
        + pump.dropped() + " in " + slots);
  }

  @Test
  void producerThatEndsStopsThePumpAndStopIsIdempotent() throws Exception {
    CountDownLatch done = new CountDownLatch(1);
    FramePump pump = new FramePump("test-pump-once", PERIOD, n -> {
      if (n == 3) {
        done.countDown();
        return false;
      }
      return true;
    });
    pump.start();
    assertTrue(done.await(10, TimeUnit.SECONDS));
    pump.stop();
    pump.stop();
    assertEquals(3, pump.produced());
  }
}
