package dev.simplecall.samples.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.AudioSource;
import dev.simplecall.CallClient;
import dev.simplecall.CallSession;
import dev.simplecall.CallState;
import dev.simplecall.EndReason;
import dev.simplecall.MediaOptions;
import dev.simplecall.SessionOptions;
import dev.simplecall.VideoSource;
import dev.simplecall.server.SignalingServer;
import dev.simplecall.testing.TestPorts;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two real Java peers calling through the real signaling server on loopback, over the network
 * transports found by ServiceLoader (no factory is passed explicitly).
 */
class SignaledCallTest {
  private SignalingServer server;
  private CallClient client;

  @BeforeEach
  void start() {
    // the restart test brings the server back on the same port
    server = SignalingServer.builder().bind("127.0.0.1").port(TestPorts.restartable()).build().start();
    client = CallClient.builder()
        .media(MediaOptions.builder().video(VideoSource.testPattern(320, 240, 30)).audio(AudioSource.tone(440)).build())
        .build();
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  private URI uri(String transport) {
    return switch (transport) {
      case "websocket" -> URI.create("ws://127.0.0.1:" + server.port() + "/v1/ws");
      case "http-poll" -> URI.create("http://127.0.0.1:" + server.port());
      default -> throw new IllegalArgumentException(transport);
    };
  }

  private CallSession session(String transport, String room, String id, CallProbe probe) {
    CallSession s = client.newSession(
        SessionOptions.builder().signaling(uri(transport)).room(room).peerId(id).build(), probe);
    s.addRemoteVideoSink(probe);
    s.addRemoteAudioSink(probe);
    return s;
  }

  @ParameterizedTest
  @ValueSource(strings = {"websocket", "http-poll"})
  void callCarriesMediaAndDataBothWays(String transport) throws Exception {
    connectAndCheck(transport, transport, "call-" + transport);
  }

  @Test
  void webSocketPeerCallsLongPollPeer() throws Exception {
    connectAndCheck("websocket", "http-poll", "mixed");
  }

  private void connectAndCheck(String aliceTransport, String bobTransport, String room) throws Exception {
    CallProbe al = new CallProbe("alice");
    CallProbe bl = new CallProbe("bob");
    CallSession alice = session(aliceTransport, room, "alice", al);
    CallSession bob = session(bobTransport, room, "bob", bl);
    CallProbe.connect(alice, al, bob, bl);
    CallProbe.assertMediaAndDataBothWays(alice, al, bl);
    assertEquals("host", alice.stats().get(10, TimeUnit.SECONDS).localCandidateType());
    bob.hangUp();
    bl.assertEndedOnce(EndReason.HANGUP);
    al.assertEndedOnce(EndReason.REMOTE_HANGUP);
  }

  @ParameterizedTest
  @ValueSource(strings = {"websocket", "http-poll"})
  void serverRestartMidCallKeepsMediaAndHangUpStillArrives(String transport) throws Exception {
    CallProbe al = new CallProbe("alice");
    CallProbe bl = new CallProbe("bob");
    CallSession alice = session(transport, "restart", "alice", al);
    CallSession bob = session(transport, "restart", "bob", bl);
    CallProbe.connect(alice, al, bob, bl);
    long before = bl.awaitCounterAbove(5, 15);

    int port = server.port();
    server.close();
    // media is peer to peer: frames keep arriving while there is no server at all
    long during = bl.awaitCounterAbove(before + 30, 15);
    assertTrue(during > before);
    server = SignalingServer.builder().bind("127.0.0.1").port(port).build().start();
    al.awaitReconnected(30);
    bl.awaitReconnected(30);
    assertEquals(CallState.CONNECTED, alice.state());
    assertEquals(CallState.CONNECTED, bob.state());
    al.awaitCounterAbove(al.maxCounter.get() + 10, 15);

    alice.hangUp();
    al.assertEndedOnce(EndReason.HANGUP);
    bl.assertEndedOnce(EndReason.REMOTE_HANGUP);
  }
}
