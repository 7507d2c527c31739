package dev.simplecall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@link CallSession#stats()} on a session that has ended fails at once instead of returning a future
 * that never completes. No native engine: the {@code disco:} transport (registered for the tests)
 * fails on creation, which ends a started session before any media engine is made.
 */
@Tag("fast")
class SessionStatsTest {
  private static SessionOptions options(String peer) {
    return SessionOptions.builder().signaling(URI.create("disco://nowhere")).room("stats").peerId(peer).build();
  }

  @Test
  void statsOfAnEndedSessionFailsAtOnce() throws Exception {
    try (CallClient client = CallClient.builder().build()) {
      RecordingListener l = new RecordingListener();
      CallSession session = client.newSession(options("alice"), l);
      session.start();
      assertEquals(EndReason.SIGNALING_FAILED, l.awaitEnded(5).reason());
      assertEquals(CallState.ENDED, session.state());

      assertEndedFailure(session.stats());
      l.assertEndedOnce();
    }
  }

  @Test
  void statsOfAClosedUnstartedSessionFailsAtOnce() throws Exception {
    try (CallClient client = CallClient.builder().build()) {
      CallSession session = client.newSession(options("bob"), new CallSession.Listener() {});
      session.close();
      assertEndedFailure(session.stats());
    }
  }

  private static void assertEndedFailure(CompletableFuture<CallStats> f) {
    assertTrue(f.isDone(), "stats() of an ended session must complete at once");
    ExecutionException e = assertThrows(ExecutionException.class, f::get);
    assertInstanceOf(IllegalStateException.class, e.getCause());
    assertTrue(e.getCause().getMessage().contains("ended"), e.getCause().getMessage());
  }
}
