package dev.simplecall;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Real peers over the in-memory hub: glare, hang-ups, vanishing remotes, garbage, timeouts, declines. */
class CallLifecycleTest {
  private static final MediaOptions SMALL = MediaOptions.builder()
      .video(VideoSource.testPattern(160, 120, 15)).audio(AudioSource.tone(440)).build();

  private static void joinBoth(RecordingListener al, CallSession alice, RecordingListener bl, CallSession bob)
      throws InterruptedException {
    alice.start();
    bob.start();
    assertNotNull(al.joined.poll(5, TimeUnit.SECONDS));
    assertNotNull(bl.joined.poll(5, TimeUnit.SECONDS));
  }

  @Test
  void glareBothCallAtOnceGivesExactlyOneCall() throws Exception {
    try (Peers p = new Peers("glare", SMALL)) {
      RecordingListener al = new RecordingListener();
      RecordingListener bl = new RecordingListener();
      CallSession alice = p.session("alice", al);
      CallSession bob = p.session("bob", bl);
      joinBoth(al, alice, bl, bob);
      CyclicBarrier go = new CyclicBarrier(2);
      Thread t = new Thread(() -> {
        try {
          go.await(5, TimeUnit.SECONDS);
          bob.call("alice");
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      t.start();
      go.await(5, TimeUnit.SECONDS);
      alice.call("bob");
      t.join(5000);
      al.awaitState(CallState.CONNECTED, 15);
      bl.awaitState(CallState.CONNECTED, 15);
      assertEquals("bob", alice.remotePeerId());
      assertEquals("alice", bob.remotePeerId());
      assertTrue(al.ended.isEmpty() && bl.ended.isEmpty(), "no call may end in glare");
      // the call carries data both ways, proving one working connection resulted
      DataChannel ch = alice.openDataChannel("after-glare", DataChannelOptions.ordered());
      DataChannel remote = bl.channels.poll(10, TimeUnit.SECONDS);
      assertNotNull(remote);
      assertEquals("after-glare", remote.label());
      assertEquals(CallState.CONNECTED, alice.state());
      assertEquals(CallState.CONNECTED, bob.state());
      alice.hangUp();
      al.awaitEnded(10);
      assertEquals(EndReason.REMOTE_HANGUP, bl.awaitEnded(10).reason());
      assertTrue(!ch.isOpen(), "channel closed with the call");
    }
  }

  @Test
  void calleeHangsUpAndCallerSeesRemoteHangup() throws Exception {
    try (Peers p = new Peers("hangup", SMALL)) {
      RecordingListener al = new RecordingListener();
      RecordingListener bl = new RecordingListener();
      CallSession alice = p.session("alice", al);
      CallSession bob = p.session("bob", bl);
      joinBoth(al, alice, bl, bob);
      alice.call("bob");
      bl.awaitState(CallState.CONNECTED, 15);
      bob.close();
      assertEquals(EndReason.HANGUP, bl.awaitEnded(10).reason());
      RecordingListener.Ended e = al.awaitEnded(10);
      assertEquals(EndReason.REMOTE_HANGUP, e.reason());
      assertNull(e.error());
      bob.close(); // idempotent
      alice.close();
      assertNull(bl.ended.poll(300, TimeUnit.MILLISECONDS), "a second onEnded");
      al.assertEndedOnce();
      bl.assertEndedOnce();
      assertEquals(CallState.ENDED, alice.state());
    }
  }

  @Test
  void vanishedRemoteEndsWithRemoteGoneWithinBound() throws Exception {
    try (Peers p = new Peers("vanish", SMALL)) {
      RecordingListener al = new RecordingListener();
      RecordingListener bl = new RecordingListener();
      CallSession alice = p.session("alice", al);
      CallSession bob = p.session("bob", bl);
      joinBoth(al, alice, bl, bob);
      alice.call("bob");
      al.awaitState(CallState.CONNECTED, 15);
      bl.awaitState(CallState.CONNECTED, 15);
      long t0 = System.nanoTime();
      p.hub.disconnect("bob"); // bob's signaling vanishes silently...
      bob.cancel();            // ...and so does its media (no bye reaches alice: its link is dead)
      RecordingListener.Ended e = al.awaitEnded(20);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertEquals(EndReason.REMOTE_GONE, e.reason(), "error: " + e.error());
      assertNotNull(e.error());
      assertTrue(ms < 20_000, "took " + ms + " ms");
      assertEquals(EndReason.CLIENT_CLOSED, bl.awaitEnded(5).reason());
    }
  }

  @Test
  void garbledSignalingIsDroppedAndTheCallGoesOn() throws Exception {
    try (Peers p = new Peers("garbled", SMALL)) {
      RecordingListener al = new RecordingListener();
      RecordingListener bl = new RecordingListener();
      CallSession alice = p.session("alice", al);
      CallSession bob = p.session("bob", bl);
      joinBoth(al, alice, bl, bob);
      alice.call("bob");
      al.awaitState(CallState.CONNECTED, 15);
      assertTrue(p.hub.inject("alice", "{this is not json"));
      assertTrue(p.hub.inject("alice", "{\"v\":1,\"type\":\"teleport\",\"id\":\"x1\",\"room\":\"garbled\"}"));
      assertTrue(p.hub.inject("alice", "{\"v\":7,\"type\":\"bye\",\"id\":\"x2\",\"room\":\"garbled\",\"from\":\"bob\"}"));
      // a well-formed message that repeats an id already seen is a duplicate and is dropped:
      // carol joins, then a peer-left reusing that id must not remove her
      assertTrue(p.hub.inject("alice", "{\"v\":1,\"type\":\"peer-joined\",\"id\":\"dup-1\",\"room\":\"garbled\",\"peer\":\"carol\"}"));
      assertTrue(p.hub.inject("alice", "{\"v\":1,\"type\":\"peer-left\",\"id\":\"dup-1\",\"room\":\"garbled\",\"peer\":\"carol\"}"));
      // the call still works after the garbage: data flows
      DataChannel ch = alice.openDataChannel("still-alive", DataChannelOptions.ordered());
      DataChannel remote = bl.channels.poll(10, TimeUnit.SECONDS);
      assertNotNull(remote, "call did not survive garbage");
      assertTrue(alice.roomPeers().contains("carol"), "duplicate peer-left was applied: " + alice.roomPeers());
      assertEquals(CallState.CONNECTED, alice.state());
      assertTrue(al.ended.isEmpty());
      ch.close();
      alice.hangUp();
      assertEquals(EndReason.HANGUP, al.awaitEnded(10).reason());
      assertEquals(EndReason.REMOTE_HANGUP, bl.awaitEnded(10).reason());
    }
  }

  @Test
  void anAudioSourceTheCallsEngineCannotMakeLeavesTheCallItsAudio() throws Exception {
    try (Peers p = new Peers("audio-switch", SMALL)) {
      RecordingListener al = new RecordingListener();
      RecordingListener bl = new RecordingListener();
      CallSession alice = p.session("alice", al);
      CallSession bob = p.session("bob", bl);
      joinBoth(al, alice, bl, bob);
      AtomicLong heard = new AtomicLong();
      bob.addRemoteAudioSink((pcm, rate, channels) -> heard.addAndGet(pcm.length / channels));
      alice.call("bob");
      al.awaitState(CallState.CONNECTED, 15);
      await().atMost(Duration.ofSeconds(10)).alias("bob hears alice's tone").until(() -> heard.get() > 4_800);

      alice.addAudio(AudioSource.microphone()); // this call's engine is the headless one: no microphone
      await().atMost(Duration.ofSeconds(10)).alias("alice hears why")
          .until(() -> al.progress.stream().anyMatch(s -> s.contains("unavailable") && s.contains("keeps its audio")));
      long at = heard.get();
      await().atMost(Duration.ofSeconds(10)).alias("the tone goes on").until(() -> heard.get() > at + 48_000);
      assertEquals(CallState.CONNECTED, alice.state());
      assertTrue(al.ended.isEmpty() && bl.ended.isEmpty(), "a source the engine cannot make ended the call");
      alice.hangUp();
      assertEquals(EndReason.HANGUP, al.awaitEnded(10).reason());
    }
  }

  @Test
  void unansweredCallEndsWithNoAnswer() throws Exception {
    try (Peers p = new Peers("noanswer", SMALL)) {
      RecordingListener al = new RecordingListener();
      RecordingListener bl = new RecordingListener();
      CallSession alice = p.client.newSession(p.options("alice").noAnswerTimeout(Duration.ofSeconds(2)).build(), al);
      CallSession bob = p.client.newSession(p.options("bob").answerMode(AnswerMode.ASK).build(), bl);
      joinBoth(al, alice, bl, bob);
      long t0 = System.nanoTime();
      alice.call("bob");
      IncomingCall in = bl.incoming.poll(5, TimeUnit.SECONDS);
      assertNotNull(in, "bob was not asked");
      assertEquals("alice", in.from());
      // bob never decides
      RecordingListener.Ended e = al.awaitEnded(10);
      assertEquals(EndReason.NO_ANSWER, e.reason());
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertTrue(ms >= 1900 && ms < 8000, "took " + ms + " ms");
      assertTrue(bl.ended.isEmpty(), "bob keeps waiting for calls");
      in.accept(); // too late: the caller gave up, nothing happens
      assertNull(bl.states.poll(500, TimeUnit.MILLISECONDS));
      bob.close();
      assertEquals(EndReason.HANGUP, bl.awaitEnded(5).reason());
    }
  }

  @Test
  void declineInAskModeEndsCallerWithDeclined() throws Exception {
    try (Peers p = new Peers("decline", SMALL)) {
      RecordingListener al = new RecordingListener();
      RecordingListener bl = new RecordingListener();
      CallSession alice = p.session("alice", al);
      CallSession bob = p.client.newSession(p.options("bob").answerMode(AnswerMode.ASK).build(), bl);
      joinBoth(al, alice, bl, bob);
      alice.call("bob");
      IncomingCall in = bl.incoming.poll(5, TimeUnit.SECONDS);
      assertNotNull(in);
      in.decline();
      assertEquals(EndReason.DECLINED, al.awaitEnded(10).reason());
      assertEquals(CallState.NEW, bob.state());
      assertNull(bob.remotePeerId());
      bob.close();
      bl.awaitEnded(5);
    }
  }

  @Test
  void acceptInAskModeConnects() throws Exception {
    try (Peers p = new Peers("accept", SMALL)) {
      RecordingListener al = new RecordingListener();
      RecordingListener bl = new RecordingListener();
      CallSession alice = p.session("alice", al);
      CallSession bob = p.client.newSession(p.options("bob").answerMode(AnswerMode.ASK).build(), bl);
      joinBoth(al, alice, bl, bob);
      alice.call("bob");
      IncomingCall in = bl.incoming.poll(5, TimeUnit.SECONDS);
      assertNotNull(in);
      in.accept();
      al.awaitState(CallState.CONNECTED, 15);
      bl.awaitState(CallState.CONNECTED, 15);
      alice.hangUp();
      assertEquals(EndReason.REMOTE_HANGUP, bl.awaitEnded(10).reason());
    }
  }

  @Test
  void callingAnAbsentPeerFailsWithAClearMessage() throws Exception {
    try (Peers p = new Peers("absent", SMALL)) {
      RecordingListener al = new RecordingListener();
      CallSession alice = p.session("alice", al);
      alice.call("nobody");
      RecordingListener.Ended e = al.awaitEnded(10);
      assertEquals(EndReason.FAILED, e.reason());
      assertTrue(e.error().getMessage().contains("nobody"), e.error().getMessage());
    }
  }

  @Test
  void aThirdCallerGetsBusyAndTheCallGoesOn() throws Exception {
    try (Peers p = new Peers("busy", SMALL)) {
      RecordingListener al = new RecordingListener();
      RecordingListener bl = new RecordingListener();
      RecordingListener cl = new RecordingListener();
      CallSession alice = p.session("alice", al);
      CallSession bob = p.session("bob", bl);
      CallSession carol = p.session("carol", cl);
      joinBoth(al, alice, bl, bob);
      alice.call("bob");
      bl.awaitState(CallState.CONNECTED, 15);
      carol.call("bob");
      assertEquals(EndReason.BUSY, cl.awaitEnded(10).reason());
      assertEquals(CallState.CONNECTED, bob.state());
      assertEquals("alice", bob.remotePeerId());
      assertTrue(al.ended.isEmpty() && bl.ended.isEmpty());
      alice.hangUp();
      assertEquals(EndReason.REMOTE_HANGUP, bl.awaitEnded(10).reason());
    }
  }
}
