package dev.simplecall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Two real peer connections; bob's answers to alice's renegotiation (she opens a data channel in a
 * connected video call) reach her wrong, the way a broken remote stack answers. The call must stay
 * connected with video flowing, and alice must be told.
 */
class WrongRemoteAnswerTest {
  private static final Pattern SETUP = Pattern.compile("a=setup:(active|passive)");
  private static final Pattern FINGERPRINT = Pattern.compile("(a=fingerprint:sha-256 )([0-9A-F]{2})");

  /** Bob claims alice's DTLS role: repaired, so the change itself succeeds. */
  @Test
  void anAnswerClaimingOurDtlsRoleIsAppliedWithTheAgreedRoles() throws Exception {
    try (Call call = new Call("claims-role", WrongRemoteAnswerTest::flipSetup)) {
      DataChannel ch = call.alice.openDataChannel("late", DataChannelOptions.ordered());
      BlockingQueue<String> got = new LinkedBlockingQueue<>();
      DataChannel atBob = call.bl.channels.poll(15, TimeUnit.SECONDS);
      assertNotNull(atBob, "the data channel never reached bob; alice: " + call.al.progress);
      atBob.setListener(new DataChannel.Listener() {
        @Override
        public void onText(DataChannel c, String text) {
          got.add(text);
        }
      });
      awaitOpen(ch);
      ch.send("hello");
      assertEquals("hello", got.poll(10, TimeUnit.SECONDS));
      assertTrue(call.rewrite.rewritten.get() >= 1, "no answer was rewritten");
      assertTrue(call.al.progress.stream().anyMatch(p -> p.contains("claimed this side's DTLS role (passive)")),
          "alice was not told: " + call.al.progress);
      call.assertStillFlowing();
    }
  }

  /**
   * An answer libwebrtc refuses before applying anything: alice rolls back and offers again. Bob applied
   * his own answer, so he now holds a session alice never agreed to and refuses her second offer
   * without a word; alice gives the change up when its answer does not come, and the call goes on.
   */
  @Test
  void anAnswerThatCannotBeAppliedIsRolledBackAndTheChangeGivenUp() throws Exception {
    try (Call call = new Call("refused", WrongRemoteAnswerTest::reverseMediaSections)) {
      call.alice.openDataChannel("late", DataChannelOptions.ordered());
      call.awaitAliceProgress("their answer could not be applied; offering again", 10);
      call.assertStillFlowing();
      call.awaitAliceProgress("our offer got no answer; the call goes on as agreed before", 15);
      assertEquals(1, call.rewrite.rewritten.get(), "answers rewritten");
      call.assertStillFlowing();
    }
  }

  private static void awaitOpen(DataChannel ch) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!ch.isOpen() && System.nanoTime() < deadline) Thread.sleep(20);
    assertTrue(ch.isOpen(), "alice's channel did not open");
  }

  private static String flipSetup(String text) {
    Matcher m = SETUP.matcher(text);
    return m.replaceAll(r -> "a=setup:" + ("active".equals(r.group(1)) ? "passive" : "active"));
  }

  private static String otherFingerprint(String text) {
    Matcher m = FINGERPRINT.matcher(text);
    return m.replaceAll(r -> r.group(1) + ("00".equals(r.group(2)) ? "01" : "00"));
  }

  /** The SDP's media sections in reverse order: "the order of m-lines in answer doesn't match". */
  private static String reverseMediaSections(String text) {
    String[] parts = text.split(Pattern.quote("\\r\\nm="));
    if (parts.length < 3) return text;
    int last = parts.length - 1;
    String tail = parts[last].substring(parts[last].indexOf('"'));
    parts[last] = parts[last].substring(0, parts[last].indexOf('"'));
    List<String> sections = new ArrayList<>(List.of(parts).subList(1, parts.length));
    Collections.reverse(sections);
    StringBuilder out = new StringBuilder(parts[0]);
    for (String s : sections) out.append("\\r\\nm=").append(s.endsWith("\\r\\n") ? s.substring(0, s.length() - 4) : s);
    return out.append("\\r\\n").append(tail).toString();
  }

  /** alice calls bob (video both ways, bob's later answers rewritten) and both see frames. */
  private static final class Call implements AutoCloseable {
    final InMemorySignaling hub = new InMemorySignaling();
    final RewritingSignaling rewrite;
    final CallClient client;
    final RecordingListener al = new RecordingListener();
    final RecordingListener bl = new RecordingListener();
    final CallSession alice;
    final CallSession bob;
    final AtomicLong atAlice = new AtomicLong();
    final AtomicLong atBob = new AtomicLong();

    Call(String room, UnaryOperator<String> laterAnswers) throws InterruptedException {
      rewrite = new RewritingSignaling(hub.transportFactory(), "bob", 2, laterAnswers);
      client = CallClient.builder().addTransportFactory(rewrite)
          .media(MediaOptions.builder().video(VideoSource.testPattern(320, 240, 15)).audio(AudioSource.none()).build())
          .build();
      alice = client.newSession(options(room, "alice"), al);
      bob = client.newSession(options(room, "bob"), bl);
      alice.addRemoteVideoSink(f -> atAlice.incrementAndGet());
      bob.addRemoteVideoSink(f -> atBob.incrementAndGet());
      bob.start();
      assertNotNull(bl.joined.poll(5, TimeUnit.SECONDS));
      alice.call("bob");
      al.awaitState(CallState.CONNECTED, 15);
      bl.awaitState(CallState.CONNECTED, 15);
    }

    private static SessionOptions options(String room, String peer) {
      return SessionOptions.builder().signaling(URI.create("memory://test")).room(room).peerId(peer)
          .iceFailureTimeout(Duration.ofSeconds(10)).build();
    }

    void awaitAliceProgress(String step, int seconds) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      while (al.progress.stream().noneMatch(p -> p.contains(step)) && System.nanoTime() < deadline) Thread.sleep(20);
      assertTrue(al.progress.stream().anyMatch(p -> p.contains(step)), "alice never said \"" + step + "\": " + al.progress);
    }

    /** Both still connected, not ended, and frames arrive both ways over the next second. */
    void assertStillFlowing() throws InterruptedException {
      long a = atAlice.get();
      long b = atBob.get();
      Thread.sleep(1000);
      assertTrue(atAlice.get() - a >= 5 && atBob.get() - b >= 5,
          "frames in the last second: at alice " + (atAlice.get() - a) + ", at bob " + (atBob.get() - b));
      assertEquals(CallState.CONNECTED, alice.state());
      assertEquals(CallState.CONNECTED, bob.state());
      assertTrue(al.ended.isEmpty() && bl.ended.isEmpty(), "ended: " + al.ended + " " + bl.ended);
    }

    @Override
    public void close() {
      client.close();
    }
  }
}
