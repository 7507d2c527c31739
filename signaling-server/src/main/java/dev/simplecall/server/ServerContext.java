package dev.simplecall.server;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.ErrorCode;
import java.time.Instant;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * What every endpoint shares: the hub, the token check, the per-connection limits, the per-address join
 * rate, which proxies name the client address, and the timer that ends members whose token expired.
 */
final class ServerContext {
  /** The outcome of checking a join's token: an error to answer with, or until when the member may stay. */
  record Admission(Envelope.Error error, Instant expiresAt) {
    static final Admission FOREVER = new Admission(null, null);
  }

  private final SignalingHub hub;
  private final TokenVerifier verifier; // null: no auth
  private final double ratePerSecond;
  private final int rateBurst;
  private final ScheduledExecutorService timer;
  private final TrustedProxies proxies;
  private final JoinRate joinRate;

  /**
   * The per-address join rate: {@code buckets} of {@code burst} refilled at {@code perMinute}, and where
   * refusals are counted.
   */
  record JoinRate(AddressBuckets buckets, double perMinute, int burst, RefusalLog refused) {
    /** Whole seconds until one more join is allowed after a refusal, for {@code Retry-After}. */
    long retryAfterSeconds() {
      return Math.max(1, (long) Math.ceil(60 / perMinute));
    }
  }

  ServerContext(SignalingHub hub, TokenVerifier verifier, double ratePerSecond, int rateBurst,
      ScheduledExecutorService timer, TrustedProxies proxies, JoinRate joinRate) {
    this.proxies = proxies;
    this.joinRate = joinRate;
    this.hub = hub;
    this.verifier = verifier;
    this.ratePerSecond = ratePerSecond;
    this.rateBurst = rateBurst;
    this.timer = timer;
  }

  /** Whose {@code X-Forwarded-For} names the client address the per-address limits count. */
  TrustedProxies proxies() {
    return proxies;
  }

  /** The server's one timer thread, {@code simplecall-server-timer}, a daemon; a cancelled task leaves its queue at once. */
  static ScheduledExecutorService newTimer() {
    ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
      Thread th = new Thread(r, "simplecall-server-timer");
      th.setDaemon(true);
      return th;
    });
    t.setRemoveOnCancelPolicy(true);
    return t;
  }

  SignalingHub hub() {
    return hub;
  }

  /** Forgets idle per-address join buckets once a minute, so that map stays small. */
  void startSweeping() {
    timer.scheduleAtFixedRate(joinRate.buckets()::evictIdle, 1, 1, TimeUnit.MINUTES);
  }

  /** Joins refused over the per-address join rate since start. */
  long joinsRateLimited() {
    return joinRate.refused().count();
  }

  /** Seconds a client refused over the join rate should wait ({@code Retry-After}). */
  long joinRetryAfterSeconds() {
    return joinRate.retryAfterSeconds();
  }

  private static String formatRate(double perMinute) {
    return perMinute == Math.rint(perMinute) ? Long.toString((long) perMinute) : Double.toString(perMinute);
  }

  TokenVerifier verifier() {
    return verifier;
  }

  TokenBucket newBucket() {
    return new TokenBucket(ratePerSecond, rateBurst);
  }

  /**
   * Checks that a join may claim its peer id: with auth on, {@code token} (the join's own, or the
   * long-poll {@code Authorization: Bearer}) must name that peer and room. Without auth a member never
   * expires.
   */
  Admission admit(Envelope.Join join, String token) {
    if (verifier == null) return Admission.FOREVER;
    TokenVerifier.Result r = verifier.check(token, join.from(), join.room());
    if (r.problem() != null) {
      return new Admission(SignalingHub.error(join, join.from(), ErrorCode.UNAUTHORIZED, r.problem()), null);
    }
    return new Admission(null, r.identity().expiresAt());
  }

  /**
   * Authorizes and joins a client at {@code address} (a {@link ClientAddress} key, counted against the
   * per-address limits; {@code null}: not counted); the result carries the member (its token expiry
   * set) or the error. An address over its join rate gets {@code rate-limited} before the token is
   * looked at.
   */
  SignalingHub.JoinResult join(Envelope.Join join, String token, PeerConnection connection, String address) {
    if (address != null && !joinRate.buckets().tryTake(address)) {
      String why = "too many joins from address " + address + " (joins-per-minute-per-ip " + formatRate(joinRate.perMinute())
          + ", join-burst-per-ip " + joinRate.burst() + "); try again in " + joinRate.retryAfterSeconds() + " s";
      joinRate.refused().record(why);
      return new SignalingHub.JoinResult(null, SignalingHub.error(join, join.from(), ErrorCode.RATE_LIMITED, why));
    }
    Admission admission = admit(join, token);
    if (admission.error() != null) return new SignalingHub.JoinResult(null, admission.error());
    SignalingHub.JoinResult result = hub.join(join, connection, new SignalingHub.Client(address, admission.expiresAt()));
    if (result.member() != null) result.member().tokenExpiresAt(admission.expiresAt());
    return result;
  }

  /**
   * A repeated join of {@code member}'s own identity on its own connection: with a valid token it moves
   * the member's expiry and sends a fresh {@code welcome}. Returns the refusal, or {@code null} when done
   * (also when the member meanwhile left: the connection then simply is not joined).
   */
  Envelope.Error refresh(Member member, Envelope.Join join, String token) {
    Admission admission = admit(join, token);
    if (admission.error() != null) return admission.error();
    Instant old = member.tokenExpiresAt();
    // never shortens: a stale token replayed on the connection must not cut a refreshed member short
    if (old != null && admission.expiresAt() != null && admission.expiresAt().isAfter(old)) {
      member.tokenExpiresAt(admission.expiresAt());
    }
    hub.welcomeAgain(member, admission.expiresAt()); // TURN credentials bound to the token just shown
    return null;
  }

  /**
   * Runs {@code expire} on the timer once {@code member}'s token has expired (plus the verifier's
   * leeway), unless a refresh moved the expiry meanwhile: the check then re-arms for the new time. Does
   * nothing for a member without expiry. Called once per member, right after it joined.
   */
  void watchExpiry(Member member, Runnable expire) {
    Instant at = member.tokenExpiresAt();
    if (at == null || !member.active()) return;
    long delayMillis = at.plusSeconds(TokenVerifier.LEEWAY_SECONDS).toEpochMilli() - System.currentTimeMillis();
    try {
      timer.schedule(() -> {
        if (!member.active()) return;
        Instant now = member.tokenExpiresAt();
        if (now != null && now.plusSeconds(TokenVerifier.LEEWAY_SECONDS).isAfter(Instant.now())) {
          watchExpiry(member, expire); // refreshed meanwhile
          return;
        }
        expire.run();
      }, Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // server closed
    }
  }

  /** The error a member whose token expired hears just before it is taken out of its room. */
  static Envelope.Error tokenExpired(Member member) {
    return new Envelope.Error(dev.simplecall.protocol.Ids.newId(), member.room(), member.peer(), ErrorCode.UNAUTHORIZED,
        "token expired: send join with a fresh token before it expires to stay", null);
  }
}
