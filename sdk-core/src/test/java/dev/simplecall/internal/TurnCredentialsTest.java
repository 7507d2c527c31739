package dev.simplecall.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.IceServer;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** TURN credential refresh on a virtual clock: when it asks, what it does with the answer, how it retries. */
@Tag("fast")
class TurnCredentialsTest {
  private static final URI ENDPOINT = URI.create("http://127.0.0.1:8080/v1/turn-credentials?peer=alice");

  private final VirtualTimers clock = new VirtualTimers();
  private final Host host = new Host();

  @Test
  void refreshesAtEightyPercentOfTheLifetimeAndPutsFreshOnesIntoUseMidCall() {
    TurnCredentials turn = new TurnCredentials(ENDPOINT, clock, host);
    turn.welcome(servers(Duration.ofSeconds(100)), false);
    assertEquals(List.of(), host.events, "a welcome's own credentials are simply kept");

    clock.advance(Duration.ofSeconds(80).minusMillis(1));
    assertEquals(0, host.fetches);
    clock.advance(Duration.ofMillis(1));
    assertEquals(1, host.fetches, "asked at 80 % of 100 s");

    List<IceServer> fresh = servers(Duration.ofSeconds(100));
    host.answer(fresh);
    assertEquals(fresh, turn.servers());
    assertTrue(host.events.get(0).startsWith("progress TURN credentials refreshed via GET /v1/turn-credentials"), host.events.toString());
    assertEquals("refreshed GET /v1/turn-credentials", host.events.get(1));

    clock.advance(Duration.ofSeconds(80));
    assertEquals(2, host.fetches, "the next refresh at 80 % of the fresh ones' lifetime");
  }

  @Test
  void aWelcomeDuringACallIsARefresh() {
    TurnCredentials turn = new TurnCredentials(ENDPOINT, clock, host);
    turn.welcome(servers(Duration.ofSeconds(100)), false);
    clock.advance(Duration.ofSeconds(50));
    List<IceServer> fresh = servers(Duration.ofSeconds(100));
    turn.welcome(fresh, true);
    assertEquals("refreshed welcome", host.last());
    clock.advance(Duration.ofSeconds(79));
    assertEquals(0, host.fetches, "the clock restarted with the welcome's credentials");
    clock.advance(Duration.ofSeconds(1));
    assertEquals(1, host.fetches);
  }

  @Test
  void aFailedRefreshIsRetriedWhileTheOldCredentialsHoldThenGivenUp() {
    TurnCredentials turn = new TurnCredentials(ENDPOINT, clock, host);
    turn.welcome(servers(Duration.ofSeconds(20)), false); // refresh at 16 s, expiry at 20 s
    clock.advance(Duration.ofSeconds(16));
    assertEquals(1, host.fetches);
    host.fail(new ConnectException());
    assertTrue(host.last().startsWith("progress TURN credential refresh failed: java.net.ConnectException"), host.last());

    // 4 s left: retry after 2 s (half of what is left, at most 5 s)
    clock.advance(Duration.ofSeconds(2));
    assertEquals(2, host.fetches);
    host.fail(new IllegalStateException("GET /v1/turn-credentials answered 503"));
    assertTrue(host.last().endsWith("answered 503"), host.last());
    clock.advance(Duration.ofSeconds(60));
    assertEquals(2, host.fetches, "2 s left: no more retries");
  }

  @Test
  void anAnswerWithoutTurnCredentialsIsAFailure() {
    TurnCredentials turn = new TurnCredentials(ENDPOINT, clock, host);
    turn.welcome(servers(Duration.ofSeconds(100)), false);
    clock.advance(Duration.ofSeconds(80));
    host.answer(List.of(IceServer.builder().urls(List.of("stun:127.0.0.1:3478")).build()));
    assertEquals("progress TURN credential refresh failed: the answer holds no TURN credentials", host.last());
    assertEquals(1, turn.servers().size());
    assertTrue(turn.servers().get(0).username().contains(":"), "the old credentials are kept");
  }

  @Test
  void withoutAnHttpEndpointOrTurnRestCredentialsNothingIsScheduled() {
    new TurnCredentials(null, clock, host).welcome(servers(Duration.ofSeconds(100)), false);
    new TurnCredentials(ENDPOINT, clock, host).welcome(
        List.of(IceServer.builder().urls(List.of("turn:127.0.0.1:3478")).username("static").credential("pw").build()), false);
    assertEquals(0, clock.pending());
  }

  @Test
  void afterStopNoRefreshAndALateAnswerIsIgnored() {
    TurnCredentials turn = new TurnCredentials(ENDPOINT, clock, host);
    turn.welcome(servers(Duration.ofSeconds(100)), false);
    clock.advance(Duration.ofSeconds(80));
    turn.stop();
    host.answer(servers(Duration.ofSeconds(100)));
    assertEquals(List.of(), host.events);
    assertEquals(0, clock.pending());
  }

  /** One TURN server with REST credentials that expire {@code lifetime} from the virtual now. */
  private List<IceServer> servers(Duration lifetime) {
    Instant expiry = clock.now().plus(lifetime);
    return List.of(IceServer.builder().urls(List.of("turn:127.0.0.1:3478"))
        .username(expiry.getEpochSecond() + ":alice").credential("secret-" + expiry.getEpochSecond()).build());
  }

  private static final class Host implements TurnCredentials.Host {
    final List<String> events = new ArrayList<>();
    int fetches;
    CompletableFuture<List<IceServer>> pending;

    @Override public CompletableFuture<List<IceServer>> fetch(URI uri) {
      assertEquals(ENDPOINT, uri);
      fetches++;
      pending = new CompletableFuture<>();
      return pending;
    }

    @Override public void onSession(Runnable task) {
      task.run();
    }

    @Override public void refreshed(List<IceServer> fresh, String via) {
      events.add("refreshed " + via);
    }

    @Override public void progress(String step) {
      events.add("progress " + step);
    }

    void answer(List<IceServer> servers) {
      pending.complete(servers);
    }

    void fail(Throwable cause) {
      pending.completeExceptionally(new java.util.concurrent.CompletionException(cause));
    }

    String last() {
      return events.get(events.size() - 1);
    }
  }
}
