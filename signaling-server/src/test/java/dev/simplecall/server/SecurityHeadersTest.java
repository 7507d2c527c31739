package dev.simplecall.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Every response of the page and the API carries the security headers; the page's policy allows no inline code. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("fast")
class SecurityHeadersTest {
  private SignalingServer server;

  @BeforeAll
  void start() {
    server = SignalingServer.builder().port(0).build().start();
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @Test
  void thePageAndItsFilesCarryAStrictPolicy() throws Exception {
    for (String path : List.of("/", "/index.html", "/app.js", "/signaling.js", "/call.js", "/style.css")) {
      try (Response r = get(path)) {
        assertEquals(200, r.code(), path);
        String csp = r.header("Content-Security-Policy");
        assertNotNull(csp, path + " has no Content-Security-Policy");
        assertTrue(csp.contains("frame-ancestors 'none'"), path + ": " + csp);
        assertTrue(csp.contains("script-src 'self'"), path + ": " + csp);
        assertTrue(csp.contains("connect-src 'self'"), path + ": " + csp);
        assertFalse(csp.contains("unsafe-inline") || csp.contains("unsafe-eval"), path + ": " + csp);
        assertEquals("nosniff", r.header("X-Content-Type-Options"), path);
        assertEquals("no-referrer", r.header("Referrer-Policy"), path);
        if (path.equals("/")) theHtmlHasNoInlineScriptOrHandler(r.body().string());
      }
    }
  }

  /** What the policy would block (and the page would then lack). */
  private static void theHtmlHasNoInlineScriptOrHandler(String html) {
    assertFalse(html.matches("(?s).*<script(?![^>]*\\ssrc=)[^>]*>.*"), "an inline <script> in index.html");
    assertFalse(html.matches("(?s).*\\son[a-z]+\\s*=.*"), "an inline on...= handler in index.html");
    assertFalse(html.matches("(?s).*\\sstyle\\s*=.*"), "an inline style attribute in index.html");
  }

  @Test
  void theApiCarriesThemToo() throws Exception {
    for (String path : List.of("/healthz", "/v1/turn-credentials", "/v1/poll/sessions/nope/messages")) {
      try (Response r = get(path)) {
        assertEquals("default-src 'none'; frame-ancestors 'none'", r.header("Content-Security-Policy"), path);
        assertEquals("nosniff", r.header("X-Content-Type-Options"), path);
        assertEquals("no-referrer", r.header("Referrer-Policy"), path);
      }
    }
  }

  private Response get(String path) throws Exception {
    return TestHttp.CLIENT.newCall(new Request.Builder().url("http://127.0.0.1:" + server.port() + path).build()).execute();
  }
}
