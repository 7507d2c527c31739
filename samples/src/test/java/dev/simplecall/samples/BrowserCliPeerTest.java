package dev.simplecall.samples;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.server.HeadlessChromium;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The README's browser path: the page in Chromium and {@code simplecall peer} call each other. The
 * peer's RESULT line must say ok=true, which needs video, audio, a data-channel echo on channel
 * "ping" and the page's report of what it received.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrowserCliPeerTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private InteropServer server;
  private HeadlessChromium browser;

  @BeforeAll
  void start() {
    server = InteropServer.start();
    browser = HeadlessChromium.launch("web");
  }

  @AfterAll
  void stop() {
    try (InteropServer s = server; HeadlessChromium b = browser) {
      // closes both
    }
  }

  @Test
  void cliPeerCallsTheBrowserOverWebSocket() throws Exception {
    browser.openAndStart(server.baseUrl() + "/?room=cli-ws&id=web&autostart=1&autoanswer=1&video=320x240&transport=ws");
    browser.await(WAIT, "browser joined", b -> "joined".equals(b.js("return simplecall.signaling")));
    String result = CompletableFuture.supplyAsync(() -> runPeer("--signaling", server.webSocketUri().toString(),
        "--room", "cli-ws", "--id", "cli", "--call", "web", "--duration", "3s", "--video", "320x240@30"))
        .get(WAIT.toSeconds() + 30, TimeUnit.SECONDS);
    assertTrue(result.contains(" ok=true "), result);
    assertTrue(browser.jsLong("return simplecall.pingsAnswered") > 0, "the page answered no pings");
    browser.await(WAIT, "the CLI's hang-up", b -> "REMOTE_HANGUP".equals(b.js("return simplecall.endReason")));
    Map<?, ?> report = (Map<?, ?>) browser.js("return simplecall.remoteReport");
    assertNotNull(report, "the CLI sent no report");
    assertTrue(((Number) report.get("frames")).longValue() > 0, "CLI report " + report);
  }

  @Test
  void browserCallsTheCliPeerOverLongPoll() throws Exception {
    CompletableFuture<String> peer = CompletableFuture.supplyAsync(() -> runPeer(
        "--signaling", server.httpUri().toString(), "--room", "cli-poll", "--id", "cli",
        "--duration", "3s", "--video", "320x240@30", "--wait", "60s"));
    browser.openAndStart(server.baseUrl() + "/?room=cli-poll&id=web&autostart=1&video=320x240&transport=poll&call=cli");
    browser.awaitState(WAIT, "CONNECTED");
    String result = peer.get(WAIT.toSeconds() + 30, TimeUnit.SECONDS);
    assertTrue(result.contains(" ok=true "), result);
    assertTrue(browser.jsLong("return simplecall.pingsAnswered") > 0, "the page answered no pings");
    browser.await(WAIT, "the call to end", b -> "ENDED".equals(b.js("return simplecall.state")));
  }

  /** Runs {@code simplecall peer ...} in this JVM; returns its RESULT line, which must say exit code 0. */
  private static String runPeer(String... args) {
    String result = CliRun.peer(args);
    assertTrue(result.startsWith("RESULT ") && !result.contains(" (exit "), result);
    System.out.println("CLI peer with the browser page: " + result);
    return result;
  }
}
