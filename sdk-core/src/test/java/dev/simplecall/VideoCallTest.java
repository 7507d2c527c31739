package dev.simplecall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.internal.media.TestPattern;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class VideoCallTest {
  /** Collects the frame counters read from received test-pattern frames. */
  static final class CounterSink implements VideoFrameSink {
    final BlockingQueue<Long> counters = new LinkedBlockingQueue<>();

    @Override
    public void onFrame(VideoFrameData frame) {
      long n = TestPattern.readCounter(frame);
      if (n >= 0) counters.add(n);
    }

    /** Waits for {@code count} decodable frames and returns the highest counter seen. */
    long await(int count, long seconds) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      long max = -1;
      for (int i = 0; i < count; i++) {
        Long n = counters.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        assertNotNull(n, "only " + i + " of " + count + " counter frames within " + seconds + " s");
        max = Math.max(max, n);
      }
      return max;
    }
  }

  @Test
  void videoFramesArriveBothWaysWithIncreasingCounters() throws Exception {
    try (Peers p = new Peers("video")) {
      RecordingListener al = new RecordingListener();
      RecordingListener bl = new RecordingListener();
      CallSession alice = p.session("alice", al);
      CallSession bob = p.session("bob", bl);
      CounterSink atAlice = new CounterSink();
      CounterSink atBob = new CounterSink();
      alice.addRemoteVideoSink(atAlice);
      bob.addRemoteVideoSink(atBob);
      bob.start();
      bl.joined.poll(5, TimeUnit.SECONDS);
      alice.call("bob");
      al.awaitState(CallState.CONNECTED, 15);
      bl.awaitState(CallState.CONNECTED, 15);
      long first = atBob.await(10, 15);
      long later = atBob.await(20, 15);
      assertTrue(later > first, "counter at bob must grow: " + first + " then " + later);
      long a1 = atAlice.await(10, 15);
      long a2 = atAlice.await(20, 15);
      assertTrue(a2 > a1, "counter at alice must grow: " + a1 + " then " + a2);
      assertEquals("bob", alice.remotePeerId());
      assertEquals("alice", bob.remotePeerId());
      alice.hangUp();
      assertEquals(EndReason.HANGUP, al.awaitEnded(10).reason());
      assertEquals(EndReason.REMOTE_HANGUP, bl.awaitEnded(10).reason());
      al.assertEndedOnce();
      bl.assertEndedOnce();
    }
  }
}
