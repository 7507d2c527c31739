package dev.simplecall.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.spi.SignalingTransport;
import dev.simplecall.spi.TransportException;
import dev.simplecall.spi.TransportOptions;
import dev.simplecall.spi.support.TransportLoop;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The contract bookkeeping transports share: one outage notice, give-up, exactly one terminal callback. */
@Tag("fast")
class TransportLoopTest {
  private static final Duration QUIET = Duration.ofMillis(300);

  private final RecordingTransportListener events = new RecordingTransportListener("t");
  private final AtomicInteger cleanups = new AtomicInteger();

  private TransportLoop loop(Duration giveUpAfter) {
    TransportOptions options = TransportOptions.builder().room("r").peerId("p").giveUpAfter(giveUpAfter).build();
    SignalingTransport transport = new SignalingTransport() {
      @Override
      public boolean send(String text) {
        return false;
      }

      @Override
      public void close() {}
    };
    return new TransportLoop("test-loop", transport, events, options, cleanups::incrementAndGet);
  }

  @Test
  void reconnectingIsReportedOncePerOutage() {
    TransportLoop loop = loop(Duration.ofMinutes(1));
    loop.execute(() -> {
      loop.disconnected(new IOException("first attempt failed"));
      loop.disconnected(new IOException("second attempt failed"));
      loop.opened();
      loop.message("m");
      loop.disconnected(new IOException("dropped"));
    });

    assertEquals("first attempt failed", events.expectReconnecting().getMessage());
    events.expectOpen();
    assertEquals("m", events.expectMessage());
    assertEquals("dropped", events.expectReconnecting().getMessage());
    events.assertNoMoreEvents(QUIET);
  }

  @Test
  void givesUpWhenNeverConnectedAndThenStaysSilent() {
    TransportLoop loop = loop(Duration.ofMillis(200));

    TransportException e = events.expectFailure(Duration.ofSeconds(5));
    assertEquals(TransportException.Kind.UNREACHABLE, e.kind());
    assertTrue(loop.isTerminated());
    assertEquals(1, cleanups.get());
    assertFalse(loop.execute(() -> loop.message("late")), "accepted a task after the end");
    assertNull(loop.schedule(() -> {}, Duration.ZERO));
    events.assertNoMoreEvents(QUIET);
  }

  @Test
  void openingStopsTheGiveUpClockAndOnlyTheFirstTerminalCounts() throws Exception {
    TransportLoop loop = loop(Duration.ofMillis(200));
    loop.execute(loop::opened);
    events.expectOpen();
    assertTrue(events.poll(Duration.ofMillis(500)) == null, "gave up while open");

    CountDownLatch done = new CountDownLatch(1);
    loop.execute(() -> {
      loop.closed();
      loop.failed(new TransportException(TransportException.Kind.PROTOCOL, "too late", null));
      loop.message("after the end");
      done.countDown();
    });
    events.expectClosed();
    assertTrue(done.await(5, TimeUnit.SECONDS));
    assertEquals(1, cleanups.get());
    events.assertNoMoreEvents(QUIET);
  }

  @Test
  void aThrowingListenerDoesNotStopTheLoop() {
    TransportOptions options = TransportOptions.builder().room("r").peerId("p").build();
    CountDownLatch second = new CountDownLatch(1);
    SignalingTransport.Listener listener = new SignalingTransport.Listener() {
      @Override
      public void onMessage(SignalingTransport t, String text) {
        if (text.equals("boom")) throw new IllegalStateException("listener bug");
        second.countDown();
      }
    };
    TransportLoop loop = new TransportLoop("test-loop", new SignalingTransport() {
      @Override
      public boolean send(String text) {
        return false;
      }

      @Override
      public void close() {}
    }, listener, options, () -> {});
    loop.execute(() -> loop.message("boom"));
    loop.execute(() -> loop.message("fine"));
    try {
      assertTrue(second.await(5, TimeUnit.SECONDS), "loop died with the listener's exception");
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    } finally {
      loop.execute(loop::closed);
    }
  }
}
