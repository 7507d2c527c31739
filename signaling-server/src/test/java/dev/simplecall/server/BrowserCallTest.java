package dev.simplecall.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.Ids;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two real headless Chromium browsers call each other with the page the server serves at {@code /},
 * through the real signaling server, over WebSocket and over long-poll; and both call at once (glare).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrowserCallTest {
  private static final Duration CONNECT = Duration.ofSeconds(20);

  private BrowserTestServer server;
  private HeadlessChromium alice;
  private HeadlessChromium bob;

  @BeforeAll
  void start() {
    server = BrowserTestServer.start();
    alice = HeadlessChromium.launch("alice");
    bob = HeadlessChromium.launch("bob");
    alice.recordCspViolations();
    bob.recordCspViolations();
  }

  /** Calls, media, data channels and stats all work within the page's Content Security Policy. */
  @AfterEach
  void noContentSecurityPolicyViolation() {
    assertEquals(List.of(), alice.cspViolations(), "alice");
    assertEquals(List.of(), bob.cspViolations(), "bob");
  }

  @AfterAll
  void stop() {
    try (BrowserTestServer s = server; HeadlessChromium a = alice; HeadlessChromium b = bob) {
      // closes all three, even when one close fails
    }
  }

  /** A page link that joins (once its user confirms, see {@link HeadlessChromium#openAndStart}) and auto-answers. */
  private String page(String room, String id, String query) {
    return server.baseUrl() + "/?room=" + room + "&id=" + id + "&autostart=1&autoanswer=1" + query;
  }

  @Test
  void browsersCallEachOtherOverWebSocketWithVideoAudioAndChat() throws Exception {
    alice.openAndStart(page("ws-room", "alice", "&transport=ws"));
    bob.openAndStart(page("ws-room", "bob", "&transport=ws&call=alice"));
    alice.awaitState(CONNECT, "CONNECTED");
    bob.awaitState(CONNECT, "CONNECTED");
    assertEquals("ws", alice.js("return simplecall.transport"));
    assertEquals("ws", bob.js("return simplecall.transport"));
    assertEquals(Boolean.FALSE, alice.js("return simplecall.polite"), "alice < bob: alice is impolite");
    assertEquals(Boolean.TRUE, bob.js("return simplecall.polite"), "bob > alice: bob is polite");

    mediaFlowsBothWays();
    aThirdCallerGetsBusy();
    remoteVideoIsLiveOn(alice);
    remoteVideoIsLiveOn(bob);
    chatRoundTrip();

    alice.saveScreenshot("browser.png");

    bob.js("simplecall.hangUp()");
    alice.await(CONNECT, "alice's call to end", b -> "ENDED".equals(b.js("return simplecall.state")));
    assertEquals("REMOTE_HANGUP", alice.js("return simplecall.endReason"));
    assertEquals("HANGUP", bob.js("return simplecall.endReason"));

    // an offer the browser cannot apply ends that call at once with bye "error"
    assertEquals("error", offerFromCarolTo("alice", "not sdp").reason());
    assertEquals("FAILED", alice.js("return simplecall.endReason"));
  }

  @Test
  void browsersCallEachOtherOverLongPoll() {
    alice.openAndStart(page("poll-room", "alice", "&transport=poll&video=320x240"));
    bob.openAndStart(page("poll-room", "bob", "&transport=poll&video=320x240"));
    alice.await(CONNECT, "alice sees bob", b -> ((List<?>) b.js("return simplecall.peers")).contains("bob"));
    alice.js("simplecall.call('bob')");
    alice.awaitState(CONNECT, "CONNECTED");
    bob.awaitState(CONNECT, "CONNECTED");
    assertEquals("poll", alice.js("return simplecall.transport"));
    assertEquals("poll", bob.js("return simplecall.transport"));

    mediaFlowsBothWays();
    chatRoundTrip();

    // camera off on bob's page: alice's picture turns black, and comes back when the camera is on again
    remoteVideoIsLiveOn(alice);
    bob.js("simplecall.setVideoEnabled(false)");
    alice.await(CONNECT, "a black picture from bob", b -> {
      Map<?, ?> now = (Map<?, ?>) b.js("return simplecall.remoteVideoSample()");
      return now != null && ((Number) now.get("mean")).doubleValue() < 2 && ((Number) now.get("stddev")).doubleValue() < 2;
    });
    bob.js("simplecall.setVideoEnabled(true)");
    remoteVideoIsLiveOn(alice);

    // an ICE restart renegotiates over long-poll: new credentials on both sides, media keeps flowing
    String aliceUfrag = (String) alice.js("return simplecall.iceUfrag()");
    String bobUfrag = (String) bob.js("return simplecall.iceUfrag()");
    alice.js("simplecall.restartIce()");
    alice.await(CONNECT, "alice's new ICE credentials", b -> !aliceUfrag.equals(b.js("return simplecall.iceUfrag()")));
    bob.await(CONNECT, "bob's new ICE credentials", b -> !bobUfrag.equals(b.js("return simplecall.iceUfrag()")));
    alice.awaitState(CONNECT, "CONNECTED");
    long framesAfterRestart = bob.jsLong("return simplecall.framesDecoded()");
    bob.await(CONNECT, "frames after the ICE restart", b -> b.jsLong("return simplecall.framesDecoded()") > framesAfterRestart + 10);
    assertEquals(1L, alice.jsLong("return simplecall.pcCount"), "an ICE restart keeps the peer connection");

    alice.js("simplecall.hangUp()");
    bob.await(CONNECT, "bob's call to end", b -> "ENDED".equals(b.js("return simplecall.state")));
    assertEquals("REMOTE_HANGUP", bob.js("return simplecall.endReason"));
  }

  @Test
  void fallsBackToLongPollWhenNoWebSocketCanBeOpened() {
    bob.openAndStart(page("fallback-room", "bob", "&transport=ws&video=320x240"));
    // alice's page is opened without autostart; a WebSocket that always fails stands in for a proxy
    // that refuses WebSocket upgrades, then she joins in the default 'auto' mode
    alice.open(server.baseUrl() + "/?room=fallback-room&id=alice&video=320x240&autoanswer=1");
    alice.js("window.WebSocket = class { constructor() { setTimeout(() => this.onclose({code: 1006, reason: ''}), 10); }"
        + " close() {} send() { throw new Error('not open'); } };"
        + "window.WebSocket.OPEN = 1; simplecall.join('fallback-room', 'alice', 'auto')");
    alice.await(CONNECT, "alice joined", b -> "joined".equals(b.js("return simplecall.signaling")));
    assertEquals("poll", alice.js("return simplecall.transport"));
    assertTrue(alice.pageLog().contains("falling back to long-poll"), alice.pageLog());
    bob.await(CONNECT, "bob sees alice", b -> ((List<?>) b.js("return simplecall.peers")).contains("alice"));
    bob.js("simplecall.call('alice')");       // a WebSocket peer calls a long-poll peer
    alice.awaitState(CONNECT, "CONNECTED");
    bob.awaitState(CONNECT, "CONNECTED");
    mediaFlowsBothWays();
    bob.js("simplecall.hangUp()");
    alice.await(CONNECT, "alice's call to end", b -> "REMOTE_HANGUP".equals(b.js("return simplecall.endReason")));
  }

  @Test
  void withoutAutoAnswerACallRingsAndTimesOutOrIsDeclinedOrAccepted() {
    alice.openAndStart(page("ask-room", "alice", "&video=320x240&noanswer=2"));
    bob.openAndStart(server.baseUrl() + "/?room=ask-room&id=bob&autostart=1&video=320x240"); // auto-answer is off by default
    alice.await(CONNECT, "alice sees bob", b -> ((List<?>) b.js("return simplecall.peers")).contains("bob"));

    // nobody answers: alice gives up after her no-answer time (2 s here) and bob stops ringing
    alice.js("simplecall.call('bob')");
    bob.await(CONNECT, "bob's incoming call", b -> "alice".equals(b.js("return simplecall.incoming")));
    alice.await(CONNECT, "alice's no-answer timeout", b -> "NO_ANSWER".equals(b.js("return simplecall.endReason")));
    bob.await(CONNECT, "bob to stop ringing", b -> b.js("return simplecall.incoming") == null);

    alice.js("simplecall.call('bob')");
    bob.await(CONNECT, "bob's incoming call", b -> "alice".equals(b.js("return simplecall.incoming")));
    bob.js("simplecall.decline()");
    alice.await(CONNECT, "alice's call to be declined", b -> "DECLINED".equals(b.js("return simplecall.endReason")));
    assertEquals(0L, bob.jsLong("return simplecall.pcCount"), "a declined call makes no peer connection");

    // the offer and candidates that arrive while ringing are kept and applied on accept
    alice.js("simplecall.call('bob')");
    bob.await(CONNECT, "bob's second incoming call", b -> "alice".equals(b.js("return simplecall.incoming")));
    bob.js("simplecall.accept()");
    alice.awaitState(CONNECT, "CONNECTED");
    bob.awaitState(CONNECT, "CONNECTED");
    mediaFlowsBothWays();
  }

  @Test
  void joinsWithATokenAndGivesUpWhenRefused() {
    String secret = "browser-test-secret";
    try (SignalingServer secured = SignalingServer.builder().bind("127.0.0.1").port(0).authSecret(secret).build().start()) {
      String base = "http://127.0.0.1:" + secured.port() + "/?room=auth-room&autostart=1&video=320x240";
      String token = new TokenIssuer(secret).issue("alice", "auth-room", Duration.ofMinutes(5));
      alice.openAndStart(base + "&id=alice&transport=ws&token=" + token);
      alice.await(CONNECT, "alice joined with her token", b -> "joined".equals(b.js("return simplecall.signaling")));
      for (String transport : List.of("ws", "poll")) {
        bob.openAndStart(base + "&id=bob&transport=" + transport);   // no token
        bob.await(CONNECT, "bob refused over " + transport, b -> "failed".equals(b.js("return simplecall.signaling")));
        assertTrue(bob.pageLog().contains("join refused: unauthorized"), bob.pageLog());
      }
      assertEquals(List.of(), alice.js("return simplecall.peers"), "bob never got into the room");
    }
  }

  @Test
  void bothCallingAtOnceMakesExactlyOneCall() {
    // Offers must cross for this to test glare; the page counts collisions, and an attempt where the
    // timing let one offer arrive first is repeated in a fresh room (at most three attempts).
    for (int attempt = 1; ; attempt++) {
      String room = "glare-" + attempt;
      alice.openAndStart(page(room, "alice", "&video=320x240"));
      bob.openAndStart(page(room, "bob", "&video=320x240"));
      alice.await(CONNECT, "alice sees bob", b -> ((List<?>) b.js("return simplecall.peers")).contains("bob"));
      bob.await(CONNECT, "bob sees alice", b -> ((List<?>) b.js("return simplecall.peers")).contains("alice"));
      // both pages call at the same wall-clock instant (same machine clock), 300 ms from now
      long at = System.currentTimeMillis() + 300;
      String script = "setTimeout(() => simplecall.call(arguments[0]), arguments[1] - Date.now())";
      alice.js(script, "bob", at);
      bob.js(script, "alice", at);
      try {
        alice.awaitState(CONNECT, "CONNECTED");
        bob.awaitState(CONNECT, "CONNECTED");
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "\nbob's page log:\n" + bob.pageLog(), e);
      }
      Map<?, ?> aliceGlare = (Map<?, ?>) alice.js("return simplecall.glare");
      Map<?, ?> bobGlare = (Map<?, ?>) bob.js("return simplecall.glare");
      System.out.println("glare attempt " + attempt + ": alice " + aliceGlare + ", bob " + bobGlare);
      boolean collided = ((Number) aliceGlare.get("ignored")).intValue() > 0 || ((Number) bobGlare.get("rolledBack")).intValue() > 0;
      if (!collided && attempt < 3) continue;
      assertTrue(collided, "offers never crossed in 3 attempts; alice " + aliceGlare + ", bob " + bobGlare);
      // the impolite side (alice) never rolls back, the polite side (bob) never ignores
      assertEquals(0, ((Number) aliceGlare.get("rolledBack")).intValue(), "alice is impolite: " + aliceGlare);
      assertEquals(0, ((Number) bobGlare.get("ignored")).intValue(), "bob is polite: " + bobGlare);
      // exactly one call: one peer connection per page, each talking to the other, one audio + one video transceiver
      assertEquals(1L, alice.jsLong("return simplecall.pcCount"));
      assertEquals(1L, bob.jsLong("return simplecall.pcCount"));
      assertEquals("bob", alice.js("return simplecall.remotePeer"));
      assertEquals("alice", bob.js("return simplecall.remotePeer"));
      assertEquals(2L, alice.jsLong("return simplecall.transceivers().length"), String.valueOf(alice.js("return simplecall.transceivers()")));
      assertEquals(2L, bob.jsLong("return simplecall.transceivers().length"), String.valueOf(bob.js("return simplecall.transceivers()")));
      mediaFlowsBothWays();
      chatRoundTrip();
      return;
    }
  }

  /** While alice talks to bob, an offer from carol (a plain WebSocket client) gets bye "busy". */
  private void aThirdCallerGetsBusy() throws Exception {
    assertEquals("busy", offerFromCarolTo("alice", "v=0\r\n").reason());
    assertEquals("CONNECTED", alice.js("return simplecall.state"));
    assertEquals("bob", alice.js("return simplecall.remotePeer"));
  }

  /** carol, a plain WebSocket client in ws-room, sends an offer and returns the bye that answers it. */
  private Envelope.Bye offerFromCarolTo(String peer, String sdp) throws Exception {
    try (WsTestClient carol = new WsTestClient(new OkHttpClient(), server.port())) {
      carol.join("ws-room", "carol", null);
      carol.send(new Envelope.Offer(Ids.newId(), "ws-room", "carol", peer, sdp));
      Envelope e;
      do {
        e = carol.next();
      } while (!(e instanceof Envelope.Bye));
      assertEquals(peer, e.from());
      return (Envelope.Bye) e;
    }
  }

  /** Video frames decoded and audio packets received on both pages, and still growing. */
  private void mediaFlowsBothWays() {
    for (HeadlessChromium b : List.of(alice, bob)) {
      long first = b.await(CONNECT, "30 decoded frames", x -> {
        long n = x.jsLong("return simplecall.framesDecoded()");
        return n >= 30 ? n : null;
      });
      b.await(CONNECT, "more decoded frames than " + first, x -> x.jsLong("return simplecall.framesDecoded()") > first);
      b.await(CONNECT, "audio packets", x -> x.jsLong("return simplecall.stats().then(s => s.audioPacketsReceived)") > 20);
      b.await(CONNECT, "RTT and candidate type", x -> x.js("return simplecall.stats().then(s => s.rttMs !== null && s.localCandidateType)"));
    }
  }

  /** The remote video element shows a picture (not a flat colour) that changes over time. */
  private static void remoteVideoIsLiveOn(HeadlessChromium b) {
    Map<?, ?> first = b.await(CONNECT, "a remote picture that is not flat (stddev > 5)", x -> {
      Map<?, ?> now = (Map<?, ?>) x.js("return simplecall.remoteVideoSample()");
      return now != null && ((Number) now.get("stddev")).doubleValue() > 5 ? now : null;
    });
    Map<?, ?> later = b.await(CONNECT, "a changed remote picture", x -> {
      Map<?, ?> now = (Map<?, ?>) x.js("return simplecall.remoteVideoSample()");
      return now != null && !now.get("hash").equals(first.get("hash")) ? now : null;
    });
    assertNotEquals(first.get("hash"), later.get("hash"));
    assertTrue(((Number) later.get("stddev")).doubleValue() > 5, b.name() + ": " + later);
  }

  /** Text both ways; bob's page answers "ping..." with "pong...". */
  private void chatRoundTrip() {
    bob.await(CONNECT, "bob's data channel", x -> x.js("return simplecall.channels().some(c => c.state === 'open')"));
    alice.await(CONNECT, "alice's data channel", x -> x.js("return simplecall.channels().some(c => c.state === 'open')"));
    assertEquals(Boolean.TRUE, bob.js("return simplecall.send('hello alice')"));
    alice.await(CONNECT, "bob's chat message", x -> "hello alice".equals(x.js("return simplecall.lastChat")));
    assertEquals(Boolean.TRUE, alice.js("return simplecall.send('ping 42')"));
    alice.await(CONNECT, "bob's pong", x -> "pong 42".equals(x.js("return simplecall.lastChat")));
    assertEquals("ping 42", bob.js("return simplecall.lastChat"));
  }
}
