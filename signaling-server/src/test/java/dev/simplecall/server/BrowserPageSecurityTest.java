package dev.simplecall.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.Ids;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The browser page in a real headless Chromium, as a hostile link would use it: a token leaves the
 * address bar, the page runs under its own Content Security Policy without a violation, an autostart
 * link asks before it joins or opens camera and microphone, and calls ring unless auto-answer is on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrowserPageSecurityTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String SECRET = "page-security-secret";

  private SignalingServer server;
  private HeadlessChromium browser;

  @BeforeAll
  void start() {
    server = SignalingServer.builder().port(0).authSecret(SECRET).build().start();
    browser = HeadlessChromium.launch("page");
    browser.recordCspViolations();
  }

  @AfterAll
  void stop() {
    try (HeadlessChromium b = browser) {
      server.close();
    }
  }

  private String base() {
    return "http://127.0.0.1:" + server.port() + "/";
  }

  private String token(String peer, String room) {
    return new TokenIssuer(SECRET).issue(peer, room, Duration.ofMinutes(5));
  }

  @Test
  void aTokenLeavesTheAddressBarAtOnceAndStillJoins() {
    for (String transport : List.of("ws", "poll")) {
      String token = token("alice", "tok-" + transport);
      browser.open(base() + "?room=tok-" + transport + "&id=alice&token=" + token + "&transport=" + transport
          + "&autostart=1#frag");
      String href = (String) browser.js("return location.href");
      assertFalse(href.contains(token) || href.contains("token="), href);
      assertEquals(base() + "?room=tok-" + transport + "&id=alice&transport=" + transport + "&autostart=1#frag", href);
      browser.click("start-yes");
      browser.await(WAIT, "joined with the token over " + transport, b -> "joined".equals(b.js("return simplecall.signaling")));
      assertEquals(transport, browser.js("return simplecall.transport"));
      assertEquals(List.of(), browser.cspViolations());
      browser.js("simplecall.leave()");
    }
  }

  @Test
  void thePageWorksUnderItsContentSecurityPolicy() {
    browser.open(base() + "?room=csp&id=alice");
    assertEquals(List.of(), browser.cspViolations(), "page log:\n" + browser.pageLog());
    // the recorder sees violations, and the policy is enforced: an inline script is blocked
    browser.js("const s = document.createElement('script'); s.textContent = 'window.__inlineRan = true';"
        + " document.body.append(s);");
    List<?> violations = browser.await(WAIT, "the inline script's violation", b -> b.cspViolations().isEmpty() ? null : b.cspViolations());
    assertTrue(violations.get(0).toString().startsWith("script-src"), violations.toString());
    assertNull(browser.js("return window.__inlineRan === undefined ? null : window.__inlineRan"), "inline script ran");

    // signaling over WebSocket and long-poll (connect-src), camera preview (media), stats, the log
    for (String transport : List.of("ws", "poll")) {
      browser.openAndStart(base() + "?room=csp-" + transport + "&id=alice&autostart=1&video=320x240&transport=" + transport
          + "&token=" + token("alice", "csp-" + transport));
      browser.await(WAIT, "joined over " + transport, b -> "joined".equals(b.js("return simplecall.signaling")));
      assertEquals(transport, browser.js("return simplecall.transport"));
      assertEquals(Boolean.TRUE, browser.js("return simplecall.hasLocalMedia"));
      browser.await(WAIT, "the local preview playing", b -> b.jsLong("return document.getElementById('local').videoWidth") > 0);
      assertEquals(List.of(), browser.cspViolations(), "page log:\n" + browser.pageLog());
      browser.js("simplecall.leave()");
    }
  }

  @Test
  void anAutostartLinkAsksBeforeJoiningOrOpeningTheCamera() {
    String link = base() + "?room=ask&id=alice&autostart=1&call=bob&transport=ws&token=" + token("alice", "ask");
    browser.open(link);
    String question = (String) browser.js("return simplecall.startPrompt");
    assertTrue(question != null && question.contains("alice") && question.contains("camera") && question.contains("call bob"),
        String.valueOf(question));
    assertEquals("offline", browser.js("return simplecall.signaling"));
    assertEquals(Boolean.FALSE, browser.js("return simplecall.hasLocalMedia"));
    assertEquals(List.of(), server.parts().hub().peersIn("ask"), "nothing joined before the user said yes");

    browser.click("start-no");
    assertNull(browser.js("return simplecall.startPrompt"));
    assertEquals("offline", browser.js("return simplecall.signaling"));
    assertEquals(Boolean.FALSE, browser.js("return simplecall.hasLocalMedia"));
    assertEquals(List.of(), server.parts().hub().peersIn("ask"));

    browser.open(link);
    browser.click("start-yes");
    browser.await(WAIT, "joined after yes", b -> "joined".equals(b.js("return simplecall.signaling")));
    assertEquals(Boolean.TRUE, browser.js("return simplecall.hasLocalMedia"));
    browser.js("simplecall.leave()");
  }

  @Test
  void callsRingUnlessAutoAnswerIsAskedFor() throws Exception {
    browser.open(base() + "?room=ring&id=alice&video=320x240&token=" + token("alice", "ring"));
    browser.click("join");
    browser.await(WAIT, "alice joined", b -> "joined".equals(b.js("return simplecall.signaling")));
    try (WsTestClient carol = new WsTestClient(TestHttp.CLIENT, server.port())) {
      carol.join("ring", "carol", token("carol", "ring"));
      carol.send(new Envelope.Offer(Ids.newId(), "ring", "carol", "alice", "v=0\r\n"));
      browser.await(WAIT, "carol's call ringing", b -> "carol".equals(b.js("return simplecall.incoming")));
      assertEquals(0L, browser.jsLong("return simplecall.pcCount"), "nothing answered by itself");
    }
    assertEquals(Boolean.FALSE, browser.js("return simplecall.autoAnswer"));
    browser.js("simplecall.leave()");
    browser.open(base() + "?room=ring&id=alice&autoanswer=1");
    assertEquals(Boolean.TRUE, browser.js("return simplecall.autoAnswer"));
  }
}
