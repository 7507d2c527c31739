package dev.simplecall.internal;

import dev.simplecall.IceServer;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TURN REST credentials a session got from the server, kept fresh: a refresh from {@code GET
 * /v1/turn-credentials} at {@value TurnRefresh#REFRESH_AT} of their lifetime, retried every few seconds
 * while the old ones still hold; a welcome after a re-join brings fresh ones too. Only ws/http
 * signaling has an HTTP endpoint to ask ({@code credentialsUri} is {@code null} otherwise). Confined
 * to the session thread.
 */
final class TurnCredentials {
  private static final Logger log = LoggerFactory.getLogger(TurnCredentials.class);

  /** What refreshing needs from the session. */
  interface Host {
    /** Fetches fresh ICE servers; may complete on any thread. */
    CompletableFuture<List<IceServer>> fetch(URI uri);

    /** Runs {@code task} on the session thread. */
    void onSession(Runnable task);

    /** Fresh credentials arrived (by {@code via}) mid-call: put them into use. */
    void refreshed(List<IceServer> fresh, String via);

    void progress(String step);
  }

  private final URI credentialsUri;
  private final SessionTimers timers;
  private final Host host;
  private List<IceServer> servers = List.of();
  private Instant receivedAt = Instant.EPOCH;
  private ScheduledFuture<?> timer;
  private boolean stopped;

  TurnCredentials(URI credentialsUri, SessionTimers timers, Host host) {
    this.credentialsUri = credentialsUri;
    this.timers = timers;
    this.host = host;
  }

  /** The ICE servers of the last welcome or refresh. */
  List<IceServer> servers() {
    return servers;
  }

  /**
   * A welcome's ICE servers. During a call, fresh TURN credentials in it are put into use ({@link
   * Host#refreshed}); otherwise they are kept for the next call.
   */
  void welcome(List<IceServer> fromWelcome, boolean inCall) {
    if (inCall && TurnRefresh.earliestExpiry(fromWelcome) != null) {
      take(fromWelcome, "welcome");
    } else {
      servers = List.copyOf(fromWelcome);
      receivedAt = timers.now();
      schedule();
    }
  }

  private void take(List<IceServer> fresh, String via) {
    servers = List.copyOf(fresh);
    receivedAt = timers.now();
    host.progress("TURN credentials refreshed via " + via + ", valid until " + TurnRefresh.earliestExpiry(fresh));
    schedule();
    host.refreshed(servers, via);
  }

  private void schedule() {
    cancel();
    if (stopped) return;
    Instant expiry = TurnRefresh.earliestExpiry(servers);
    if (expiry == null) return;
    if (credentialsUri == null) {
      log.debug("TURN credentials expire at {}; this signaling has no HTTP endpoint to refresh them", expiry);
      return;
    }
    Duration delay = TurnRefresh.refreshDelay(receivedAt, expiry, timers.now());
    log.debug("TURN credentials expire at {}; refreshing in {} ms", expiry, delay.toMillis());
    timer = timers.schedule(delay, () -> fetch(expiry));
  }

  private void fetch(Instant expiry) {
    if (stopped) return;
    host.fetch(credentialsUri).whenComplete((fresh, err) -> host.onSession(() -> fetched(expiry, fresh, err)));
  }

  private void fetched(Instant expiry, List<IceServer> fresh, Throwable err) {
    if (stopped) return;
    if (err == null && TurnRefresh.earliestExpiry(fresh) != null) {
      take(fresh, "GET /v1/turn-credentials");
      return;
    }
    Throwable cause = err != null && err.getCause() != null ? err.getCause() : err;
    String why = cause == null ? "the answer holds no TURN credentials"
        : cause.getMessage() != null ? cause.getMessage() : cause.toString(); // ConnectException often has none
    log.warn("TURN credential refresh failed: {}", why);
    host.progress("TURN credential refresh failed: " + why);
    Duration left = Duration.between(timers.now(), expiry);
    if (left.compareTo(Duration.ofSeconds(2)) > 0) { // retry while the old ones still hold
      Duration half = left.dividedBy(2);
      timer = timers.schedule(half.compareTo(Duration.ofSeconds(5)) < 0 ? half : Duration.ofSeconds(5), () -> fetch(expiry));
    }
  }

  /** The session ended: no more refreshes. Idempotent. */
  void stop() {
    stopped = true;
    cancel();
  }

  private void cancel() {
    if (timer != null) timer.cancel(false);
    timer = null;
  }
}
