package dev.simplecall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.protocol.IceServerInfo;
import dev.simplecall.protocol.Ids;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A {@code welcome} that arrives mid-call (what a signaling reconnect brings) with fresh TURN REST
 * credentials is put into use at once, and the call goes on. The path here is host-to-host, so no
 * ICE restart is needed and none is made (the relayed case is TurnCredentialRefreshTest in samples).
 */
class TurnWelcomeRefreshTest {
  @Test
  void freshWelcomeMidCallIsUsedAndTheCallGoesOn() throws Exception {
    try (Peers p = new Peers("welcome-turn")) {
      BlockingQueue<String> aliceSteps = new LinkedBlockingQueue<>();
      RecordingListener al = new RecordingListener() {
        @Override
        public void onProgress(CallSession s, String step) {
          super.onProgress(s, step);
          aliceSteps.add(step);
        }
      };
      RecordingListener bl = new RecordingListener();
      CallSession alice = p.session("alice", al);
      CallSession bob = p.session("bob", bl);
      BlockingQueue<Boolean> atBob = new LinkedBlockingQueue<>();
      bob.addRemoteVideoSink(f -> atBob.offer(Boolean.TRUE));
      bob.start();
      assertNotNull(bl.joined.poll(5, TimeUnit.SECONDS));
      alice.call("bob");
      al.awaitState(CallState.CONNECTED, 15);
      bl.awaitState(CallState.CONNECTED, 15);

      String user = Instant.now().plusSeconds(600).getEpochSecond() + ":alice";
      String welcome = EnvelopeCodec.encode(new Envelope.Welcome(Ids.newId(), p.room, "alice", List.of("alice", "bob"),
          List.of(IceServerInfo.of("turn:127.0.0.1:9", user, "fresh"))));
      assertTrue(p.hub.inject("alice", welcome));
      String step;
      do {
        step = aliceSteps.poll(5, TimeUnit.SECONDS);
        assertNotNull(step, "the fresh welcome was not used: " + al.progress);
      } while (!step.startsWith("TURN credentials refreshed via welcome"));
      assertTrue(step.contains(Instant.ofEpochSecond(Long.parseLong(user.split(":")[0])).toString()), step);

      atBob.clear();
      for (int i = 0; i < 10; i++) {
        assertNotNull(atBob.poll(5, TimeUnit.SECONDS), "video stopped after the fresh welcome");
      }
      assertEquals(CallState.CONNECTED, alice.state());
      assertTrue(al.progress.stream().noneMatch(s -> s.startsWith("ICE restart")), "restarted a host path: " + al.progress);
      assertTrue(al.ended.isEmpty() && bl.ended.isEmpty());
      alice.hangUp();
      assertEquals(EndReason.REMOTE_HANGUP, bl.awaitEnded(10).reason());
    }
  }
}
