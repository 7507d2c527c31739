package dev.simplecall.server;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts and stops one {@link SignalingServer}'s parts, once each, under one lock. */
final class ServerLifecycle {
  private static final Logger log = LoggerFactory.getLogger(SignalingServer.class);

  private final ServerSettings settings;
  private final ServerParts parts;
  private JavalinHost http; // guarded by this
  private boolean started; // guarded by this
  private boolean closed; // guarded by this

  ServerLifecycle(ServerSettings settings, ServerParts parts) {
    this.settings = settings;
    this.parts = parts;
  }

  ServerParts parts() {
    return parts;
  }

  /** See {@link SignalingServer#start()}. */
  synchronized void start() {
    if (started) throw new IllegalStateException("already started");
    if (closed) throw new IllegalStateException("closed");
    started = true;
    JavalinHost host = new JavalinHost(settings, parts);
    try {
      parts.hub().openCluster();
      host.start();
    } catch (RuntimeException e) {
      closed = true;
      parts.shutdown(null, Duration.ZERO);
      throw new IllegalStateException("cannot serve on " + settings.bind() + ":" + settings.port() + ": " + e.getMessage(), e);
    }
    http = host;
    parts.startTimers();
    log.info("signaling server on {}:{} ({}, auth {}, TURN {})", settings.bind(), http.port(), parts.tls() != null ? "TLS" : "plain HTTP",
        settings.authSecret() != null ? "on" : "off", settings.turnSecret() != null ? "on" : "off");
  }

  synchronized int port() {
    if (http == null) throw new IllegalStateException("not started");
    return http.port();
  }

  /** See {@link SignalingServer#close()}. */
  synchronized void close() {
    if (closed) return;
    closed = true;
    long t0 = System.nanoTime();
    parts.shutdown(http, settings.drainTimeout());
    log.debug("closed in {} ms", (System.nanoTime() - t0) / 1_000_000);
  }
}
