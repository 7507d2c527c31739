package dev.simplecall.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.simplecall.AudioSource;
import dev.simplecall.CallClient;
import dev.simplecall.CallException;
import dev.simplecall.CallSession;
import dev.simplecall.CallState;
import dev.simplecall.CallStats;
import dev.simplecall.DataChannel;
import dev.simplecall.DataChannelOptions;
import dev.simplecall.EndReason;
import dev.simplecall.MediaOptions;
import dev.simplecall.SessionOptions;
import dev.simplecall.VideoSource;
import dev.simplecall.server.HeadlessChromium;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Java SDK and a real headless Chromium in one call, through the real signaling server: Java
 * calls the browser and the browser calls Java, over WebSocket and over long-poll. Video and audio
 * flow both ways, a data-channel message makes a round trip each way, and a hang-up on either side
 * ends both. The peer ids are chosen so the Java side is the impolite peer in two cases and the polite
 * one in the other two.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrowserInteropTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String WEB = "web";

  private InteropServer server;
  private CallClient client;
  private HeadlessChromium browser;

  @BeforeAll
  void start() {
    server = InteropServer.start();
    client = CallClient.builder()
        .media(MediaOptions.builder().video(VideoSource.testPattern(320, 240, 30)).audio(AudioSource.tone(440)).build())
        .build();
    browser = HeadlessChromium.launch("web");
  }

  @AfterAll
  void stop() throws InterruptedException {
    try (InteropServer s = server; HeadlessChromium b = browser) {
      if (client == null) return;
      // bounded: a CallClient.close() stuck in native code must fail this test, not hang the build
      Thread closer = new Thread(client::close, "interop-client-close");
      closer.setDaemon(true);
      closer.start();
      closer.join(WAIT.toMillis());
      if (closer.isAlive()) fail("CallClient.close() did not return within " + WAIT.toSeconds() + " s");
    }
  }

  @ParameterizedTest(name = "{0} calls over {1}")
  @CsvSource({"java, ws, java", "java, poll, zjava", "browser, ws, zjava", "browser, poll, java"})
  void javaAndBrowserCallEachOther(String caller, String transport, String javaId) throws Exception {
    String room = "interop-" + caller + "-" + transport;
    URI signaling = "ws".equals(transport) ? server.webSocketUri() : server.httpUri();
    Recorder rec = new Recorder();
    CallSession session = client.newSession(
        SessionOptions.builder().signaling(signaling).room(room).peerId(javaId).build(), rec);
    CountDownLatch javaFrames = new CountDownLatch(30);
    AtomicInteger javaWidth = new AtomicInteger();
    session.addRemoteVideoSink(frame -> {
      javaWidth.set(frame.width());
      javaFrames.countDown();
    });
    session.setStatsInterval(Duration.ofMillis(250));
    try {
      session.start();
      rec.awaitJoined();
      boolean javaCalls = "java".equals(caller);
      browser.openAndStart(server.baseUrl() + "/?room=" + room + "&id=" + WEB + "&autostart=1&video=320x240&transport=" + transport
          + (javaCalls ? "&autoanswer=1" : "&call=" + javaId));
      browser.await(WAIT, "browser joined", b -> "joined".equals(b.js("return simplecall.signaling")));
      assertEquals(transport, browser.js("return simplecall.transport"));
      if (javaCalls) {
        rec.awaitPeer(WEB);
        session.call(WEB);
      }
      rec.awaitState(CallState.CONNECTED);
      browser.awaitState(WAIT, "CONNECTED");
      assertEquals(javaId.compareTo(WEB) < 0, browser.js("return simplecall.polite"),
          "the greater id is polite: " + javaId + " vs " + WEB);

      // video both ways: Chromium decodes the Java test pattern, the Java sink sees Chromium's fake camera
      browser.await(WAIT, "30 frames decoded from Java", b -> b.jsLong("return simplecall.framesDecoded()") >= 30);
      Object sample = browser.await(WAIT, "a picture from Java", b -> b.js("return simplecall.remoteVideoSample()"));
      assertNotNull(sample);
      assertTrue(javaFrames.await(WAIT.toSeconds(), TimeUnit.SECONDS),
          "30 frames from the browser in the Java sink; got " + (30 - javaFrames.getCount()));
      assertTrue(javaWidth.get() > 0, "frame width " + javaWidth.get());

      // audio both ways
      browser.await(WAIT, "audio packets from Java", b -> b.jsLong("return simplecall.stats().then(s => s.audioPacketsReceived)") > 20);
      CallStats stats = rec.awaitStats(s -> s.audioPacketsReceived() > 20 && s.framesReceived() > 0);
      assertTrue(stats.audioPacketsSent() > 0, stats.toString());
      Object web = browser.js("return simplecall.stats().then(s => [s.connectMs, s.firstFrameMs, s.fps, s.rttMs, s.localCandidateType].join(' '))");
      System.out.printf("INTEROP caller=%s transport=%s java: connect_ms=%d first_frame_ms=%d fps=%.1f %dx%d rtt_ms=%.1f candidate=%s"
          + " | browser: connect_ms first_frame_ms fps rtt_ms candidate = %s%n", caller, transport, stats.connectMs(),
          stats.firstFrameMs(), stats.fps(), stats.width(), stats.height(), stats.rttMs(), stats.localCandidateType(), web);

      // a data-channel round trip each way; the page answers "ping..." with "pong...", so does Java here
      DataChannel channel = javaCalls ? session.openDataChannel("chat", DataChannelOptions.ordered()) : rec.awaitChannel("chat");
      rec.watch(channel);
      rec.awaitOpen(channel);
      browser.await(WAIT, "the browser's data channel", b -> b.js("return simplecall.channels().some(c => c.state === 'open')"));
      assertTrue(channel.send("ping from java"));
      assertEquals("pong from java", rec.awaitText());
      assertEquals("ping from java", browser.js("return simplecall.lastChat"));
      assertEquals(Boolean.TRUE, browser.js("return simplecall.send('ping from web')"));
      browser.await(WAIT, "Java's pong", b -> "pong from web".equals(b.js("return simplecall.lastChat")));
      if ("java".equals(caller) && "ws".equals(transport)) {
        browser.saveScreenshot("browser-java.png");   // the browser page with the Java test pattern
      }


      // hang-up from either side ends both: the caller's peer hangs up
      if (javaCalls) {
        browser.js("simplecall.hangUp()");
        assertEquals(EndReason.REMOTE_HANGUP, rec.awaitEnd());
      } else {
        session.hangUp();
        assertEquals(EndReason.HANGUP, rec.awaitEnd());
        browser.await(WAIT, "the browser's call to end", b -> "REMOTE_HANGUP".equals(b.js("return simplecall.endReason")));
      }
      assertEquals("ENDED", browser.await(WAIT, "browser ENDED", b -> "ENDED".equals(b.js("return simplecall.state")) ? "ENDED" : null));
    } finally {
      session.close();
    }
  }

  /** Records what the Java session reports; every wait is bounded and asserted. */
  private static final class Recorder extends CallSession.Listener implements DataChannel.Listener {
    final BlockingQueue<CallState> states = new LinkedBlockingQueue<>();
    final BlockingQueue<String> peers = new LinkedBlockingQueue<>();
    final BlockingQueue<DataChannel> channels = new LinkedBlockingQueue<>();
    final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    final BlockingQueue<DataChannel> opened = new LinkedBlockingQueue<>();
    final BlockingQueue<CallStats> stats = new LinkedBlockingQueue<>();
    final CompletableFuture<Void> joined = new CompletableFuture<>();
    final CompletableFuture<EndReason> ended = new CompletableFuture<>();

    @Override
    public void onStateChanged(CallSession s, CallState state) {
      states.add(state);
    }

    @Override
    public void onJoined(CallSession s, java.util.Set<String> present) {
      peers.addAll(present);
      joined.complete(null);
    }

    @Override
    public void onPeerJoined(CallSession s, String peer) {
      peers.add(peer);
    }

    @Override
    public void onDataChannel(CallSession s, DataChannel ch) {
      channels.add(ch);
    }

    @Override
    public void onStats(CallSession s, CallStats st) {
      stats.add(st);
    }

    @Override
    public void onEnded(CallSession s, EndReason reason, CallException error) {
      ended.complete(reason);
    }

    @Override
    public void onOpen(DataChannel c) {
      opened.add(c);
    }

    @Override
    public void onText(DataChannel c, String text) {
      texts.add(text);
      if (text.startsWith("ping")) c.send("pong" + text.substring(4));
    }

    void awaitJoined() throws Exception {
      joined.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    void awaitPeer(String peer) throws InterruptedException {
      for (String p; (p = peers.poll(WAIT.toSeconds(), TimeUnit.SECONDS)) != null; ) {
        if (p.equals(peer)) return;
      }
      fail("Java never saw " + peer + " in the room");
    }

    void awaitState(CallState wanted) throws InterruptedException {
      for (CallState s; (s = states.poll(WAIT.toSeconds(), TimeUnit.SECONDS)) != null; ) {
        if (s == wanted) return;
        if (s == CallState.ENDED) fail("Java call ended before " + wanted + ": " + ended.getNow(null));
      }
      fail("Java call never reached " + wanted);
    }

    /** The browser, as caller, opens "chat" (and "ping", for the CLI). */
    DataChannel awaitChannel(String label) throws InterruptedException {
      for (DataChannel ch; (ch = channels.poll(WAIT.toSeconds(), TimeUnit.SECONDS)) != null; ) {
        if (label.equals(ch.label())) return ch;
      }
      fail("the browser's data channel " + label + " never reached Java");
      return null;
    }

    void watch(DataChannel ch) {
      ch.setListener(this);
      if (ch.isOpen()) opened.add(ch);   // it may have opened before the listener was set
    }

    void awaitOpen(DataChannel ch) throws InterruptedException {
      assertNotNull(opened.poll(WAIT.toSeconds(), TimeUnit.SECONDS), "data channel " + ch.label() + " never opened");
    }

    String awaitText() throws InterruptedException {
      for (String t; (t = texts.poll(WAIT.toSeconds(), TimeUnit.SECONDS)) != null; ) {
        if (t.startsWith("pong")) return t;
      }
      fail("no pong reached Java");
      return null;
    }

    CallStats awaitStats(Predicate<CallStats> good) throws InterruptedException {
      long deadline = System.nanoTime() + WAIT.toNanos();
      CallStats last = null;
      for (CallStats s; (s = stats.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) != null; ) {
        last = s;
        if (good.test(s)) return s;
      }
      fail("Java stats never matched; last " + last);
      return last;
    }

    EndReason awaitEnd() throws Exception {
      return ended.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }
  }
}
