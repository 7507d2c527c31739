package dev.simplecall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code onEnded} is promised exactly once, also when the app's callback executor refuses the task
 * (shut down, or saturated with an abort policy): the SDK then runs the callbacks on its own thread.
 * No native engine: the {@code disco:} test transport fails on creation, which ends the session.
 */
class CallbackExecutorRejectionTest {
  @Test
  void onEndedArrivesWhenTheAppExecutorIsShutDown() throws Exception {
    ExecutorService app = Executors.newSingleThreadExecutor();
    app.shutdown();
    assertEndedDeliveredBySdkThread(app);
  }

  @Test
  void onEndedArrivesWhenTheAppExecutorIsSaturated() throws Exception {
    ThreadPoolExecutor app = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new SynchronousQueue<>(),
        new ThreadPoolExecutor.AbortPolicy());
    CountDownLatch busy = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    app.execute(() -> {
      busy.countDown();
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    try {
      assertTrue(busy.await(5, TimeUnit.SECONDS));
      assertEndedDeliveredBySdkThread(app);
    } finally {
      release.countDown();
      app.shutdown();
    }
  }

  private static void assertEndedDeliveredBySdkThread(ExecutorService app) throws Exception {
    BlockingQueue<String> endedOn = new LinkedBlockingQueue<>();
    List<String> events = new ArrayList<>(); // written by one callback at a time
    RecordingListener l = new RecordingListener() {
      @Override
      public void onStateChanged(CallSession s, CallState state) {
        super.onStateChanged(s, state);
        events.add("state " + state);
      }

      @Override
      public void onEnded(CallSession s, EndReason reason, CallException error) {
        super.onEnded(s, reason, error);
        events.add("ended " + reason);
        endedOn.add(Thread.currentThread().getName());
      }
    };
    try (CallClient client = CallClient.builder().callbackExecutor(app).build()) {
      CallSession session = client.newSession(SessionOptions.builder().signaling(URI.create("disco://nowhere"))
          .room("refused").peerId("alice").build(), l);
      session.start();
      assertEquals(EndReason.SIGNALING_FAILED, l.awaitEnded(5).reason());
      String thread = endedOn.poll(5, TimeUnit.SECONDS);
      assertTrue(thread != null && thread.startsWith("simplecall-callback-fallback"), "onEnded ran on " + thread);
      // the callbacks before it were not lost either, and came in order
      assertEquals(List.of("state ENDED", "ended SIGNALING_FAILED"), List.copyOf(events.subList(events.size() - 2, events.size())));
    }
    l.assertEndedOnce();
  }
}
