package dev.simplecall.transport.mqtt;

import static dev.simplecall.transport.mqtt.MqttTransportTest.killable;
import static dev.simplecall.transport.mqtt.MqttTransportTest.offer;
import static dev.simplecall.transport.mqtt.MqttTransportTest.options;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.spi.SignalingTransport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** mosquitto crashes (SIGKILL) and comes back on the same port with its persisted sessions. */
class MosquittoRestartTest {
  private MosquittoBroker broker;
  private final List<SignalingTransport> opened = new ArrayList<>();

  @BeforeEach
  void startBroker() throws IOException {
    broker = MosquittoBroker.builder().build().start();
  }

  @AfterEach
  void stopAll() throws IOException {
    opened.forEach(SignalingTransport::close);
    broker.close();
  }

  private SignalingTransport open(MqttTransportFactory f, String peer, Recorder r) {
    SignalingTransport t = f.create(broker.uri(), options("r1", peer), r);
    opened.add(t);
    return t;
  }

  @Test
  void brokerKilledMidSignalingLosesNothingAndDuplicatesNothing() throws Exception {
    Recorder alice = new Recorder("alice");
    Recorder bob = new Recorder("bob");
    SignalingTransport a = open(new MqttTransportFactory(), "alice", alice);
    alice.joined();
    SignalingTransport b = open(new MqttTransportFactory(), "bob", bob);
    bob.joined();
    alice.message(Envelope.PeerJoined.class);
    a.send(offer("r1", "alice", "bob", "before"));
    assertEquals("before", bob.message(Envelope.Offer.class).sdp());

    broker.kill();
    alice.expect("reconnecting");
    bob.expect("reconnecting");
    for (int i = 0; i < 5; i++) a.send(offer("r1", "alice", "bob", "during " + i));
    b.send(offer("r1", "bob", "alice", "answer-ish"));
    broker.start();

    alice.joined();
    bob.joined();
    List<String> got = new ArrayList<>();
    for (int i = 0; i < 5; i++) got.add(bob.skipPresenceUntil(Envelope.Offer.class).sdp());
    assertEquals(List.of("during 0", "during 1", "during 2", "during 3", "during 4"), got);
    assertEquals("answer-ish", alice.skipPresenceUntil(Envelope.Offer.class).sdp());
    // a duplicate of anything above would arrive before this marker
    a.send(offer("r1", "alice", "bob", "marker"));
    assertEquals("marker", bob.skipPresenceUntil(Envelope.Offer.class).sdp());
  }

  @Test
  void aMessageQueuedForAnAbsentPeerSurvivesABrokerCrash() throws Exception {
    KillableSocketFactory bobSockets = new KillableSocketFactory();
    Recorder alice = new Recorder("alice");
    Recorder bob = new Recorder("bob");
    SignalingTransport a = open(new MqttTransportFactory(), "alice", alice);
    alice.joined();
    open(killable(bobSockets), "bob", bob);
    bob.joined();
    alice.message(Envelope.PeerJoined.class);

    bobSockets.block(true);
    bobSockets.cutAll();
    bob.expect("reconnecting");
    assertEquals("bob", alice.message(Envelope.PeerLeft.class).peer());
    a.send(offer("r1", "alice", "bob", "kept"));
    // alice's note to herself comes back after the broker has taken "kept" into bob's session
    a.send(offer("r1", "alice", "alice", "stored"));
    assertEquals("stored", alice.message(Envelope.Offer.class).sdp());

    broker.kill();
    alice.expect("reconnecting");
    broker.start();
    assertEquals(List.of(), alice.joined().peers());
    bobSockets.block(false);
    assertEquals(List.of("alice"), bob.joined().peers());
    assertEquals("kept", bob.message(Envelope.Offer.class).sdp());
    a.send(offer("r1", "alice", "bob", "marker"));
    assertEquals("marker", bob.message(Envelope.Offer.class).sdp());
    assertEquals("bob", alice.message(Envelope.PeerJoined.class).peer());
  }
}
