package dev.simplecall.transport.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.AudioSource;
import dev.simplecall.CallClient;
import dev.simplecall.CallException;
import dev.simplecall.CallSession;
import dev.simplecall.CallState;
import dev.simplecall.DataChannel;
import dev.simplecall.DataChannelOptions;
import dev.simplecall.EndReason;
import dev.simplecall.MediaOptions;
import dev.simplecall.SessionOptions;
import dev.simplecall.VideoSource;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A real WebRTC call (two webrtc-java peers in one JVM) signaled over a real mosquitto; mosquitto is
 * killed in the middle of the call and comes back: the call stays up and the hang-up still arrives.
 */
class MqttCallTest {
  private static final MediaOptions SMALL = MediaOptions.builder()
      .video(VideoSource.testPattern(160, 120, 15)).audio(AudioSource.tone(440)).build();

  static final class Events extends CallSession.Listener {
    final BlockingQueue<Set<String>> joined = new LinkedBlockingQueue<>();
    final BlockingQueue<CallState> states = new LinkedBlockingQueue<>();
    final BlockingQueue<DataChannel> channels = new LinkedBlockingQueue<>();
    final BlockingQueue<String> signaling = new LinkedBlockingQueue<>();
    final BlockingQueue<EndReason> ended = new LinkedBlockingQueue<>();

    @Override public void onJoined(CallSession s, Set<String> peers) { joined.add(peers); }
    @Override public void onStateChanged(CallSession s, CallState state) { states.add(state); }
    @Override public void onDataChannel(CallSession s, DataChannel ch) { channels.add(ch); }
    @Override public void onSignalingReconnecting(CallSession s) { signaling.add("reconnecting"); }
    @Override public void onSignalingReconnected(CallSession s) { signaling.add("reconnected"); }
    @Override public void onEnded(CallSession s, EndReason reason, CallException error) { ended.add(reason); }

    void awaitState(CallState want) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < deadline) {
        CallState s = states.poll(1, TimeUnit.SECONDS);
        if (s == want) return;
      }
      throw new AssertionError("state " + want + " not reached within 30 s");
    }
  }

  @Test
  void aCallOverMosquittoSurvivesABrokerCrashAndTheHangUpStillArrives() throws Exception {
    try (MosquittoBroker broker = MosquittoBroker.builder().build().start();
        CallClient client = CallClient.builder().addTransportFactory(new MqttTransportFactory()).media(SMALL).build()) {
      Events al = new Events();
      Events bl = new Events();
      SessionOptions.Builder o = SessionOptions.builder().signaling(broker.uri()).room("call")
          .iceFailureTimeout(Duration.ofSeconds(20));
      CallSession alice = client.newSession(o.peerId("alice").build(), al);
      CallSession bob = client.newSession(o.peerId("bob").build(), bl);
      alice.start();
      assertNotNull(al.joined.poll(10, TimeUnit.SECONDS), "alice joined");
      bob.start();
      assertEquals(Set.of("alice"), bl.joined.poll(10, TimeUnit.SECONDS), "bob's welcome");

      alice.call("bob");
      al.awaitState(CallState.CONNECTED);
      bl.awaitState(CallState.CONNECTED);
      DataChannel ch = alice.openDataChannel("chat", DataChannelOptions.ordered());
      DataChannel remote = bl.channels.poll(15, TimeUnit.SECONDS);
      assertNotNull(remote, "bob got the data channel");

      broker.kill();
      assertEquals("reconnecting", al.signaling.poll(10, TimeUnit.SECONDS));
      assertEquals("reconnecting", bl.signaling.poll(10, TimeUnit.SECONDS));
      // media and data are peer to peer: the call does not need the broker while it is down
      BlockingQueue<String> got = new LinkedBlockingQueue<>();
      remote.setListener(new DataChannel.Listener() {
        @Override public void onText(DataChannel c, String s) { got.add(s); }
      });
      assertTrue(ch.send("while the broker is down"));
      assertEquals("while the broker is down", got.poll(10, TimeUnit.SECONDS));
      assertEquals(CallState.CONNECTED, alice.state());
      assertEquals(CallState.CONNECTED, bob.state());

      broker.start();
      assertEquals("reconnected", al.signaling.poll(15, TimeUnit.SECONDS));
      assertEquals("reconnected", bl.signaling.poll(15, TimeUnit.SECONDS));
      assertTrue(al.ended.isEmpty() && bl.ended.isEmpty(), "the call must survive the broker crash");

      alice.hangUp();
      assertEquals(EndReason.HANGUP, al.ended.poll(10, TimeUnit.SECONDS));
      assertEquals(EndReason.REMOTE_HANGUP, bl.ended.poll(15, TimeUnit.SECONDS), "the bye came through the restarted broker");
    }
  }
}
