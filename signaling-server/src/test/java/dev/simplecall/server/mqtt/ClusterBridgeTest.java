package dev.simplecall.server.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.protocol.MqttNames;
import dev.simplecall.server.RedisProcess;
import dev.simplecall.server.SignalingServer;
import dev.simplecall.transport.mqtt.MosquittoBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two cluster nodes on one real redis-server, each bridged to the same real mosquitto: an MQTT peer is
 * one member of the room for the WebSocket peers on both nodes (held by the bridge that joined it
 * first), every message between them, either way, arrives exactly once, and when the node holding the
 * MQTT peer stops, the other node's bridge takes it into the room again. Full tier: it starts
 * redis-server and mosquitto.
 */
class ClusterBridgeTest {
  private static final String ROOM = "cluster-mqtt";
  private RedisProcess redis;
  private MosquittoBroker broker;
  private final List<SignalingServer> nodes = new ArrayList<>();
  private final List<MqttBridge> bridges = new ArrayList<>();
  private final OkHttpClient http = new OkHttpClient();
  private RawMqtt device;

  @AfterEach
  void stop() throws Exception {
    if (device != null) device.close();
    bridges.forEach(MqttBridge::close);
    nodes.forEach(SignalingServer::close);
    if (broker != null) broker.close();
    if (redis != null) redis.close();
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  private SignalingServer bridgedNode() throws Exception {
    SignalingServer s = SignalingServer.builder().port(0).cluster(redis.uri()).drainTimeout(Duration.ofMillis(300)).build().start();
    nodes.add(s);
    bridges.add(MqttBridge.start(s, broker.uri()));
    return s;
  }

  private MqttBridgeTest.RawWsPeer ws(SignalingServer node, String peer) throws Exception {
    MqttBridgeTest.RawWsPeer p = new MqttBridgeTest.RawWsPeer();
    p.ws = http.newWebSocket(new Request.Builder().url("ws://127.0.0.1:" + node.port() + "/v1/ws").build(), p);
    p.ws.send(EnvelopeCodec.encode(new Envelope.Join("j-" + peer, ROOM, peer, null)));
    return p;
  }

  @Test
  void anMqttPeerIsOneMemberForBothNodesAndEveryMessageArrivesOnce() throws Exception {
    redis = RedisProcess.start();
    broker = MosquittoBroker.builder().build().start();
    SignalingServer a = bridgedNode();
    SignalingServer b = bridgedNode();
    MqttBridgeTest.RawWsPeer alice = ws(a, "alice");
    assertEquals(List.of(), alice.next(Envelope.Welcome.class).peers());
    MqttBridgeTest.RawWsPeer bob = ws(b, "bob");
    assertEquals(List.of("alice"), bob.next(Envelope.Welcome.class).peers());
    assertEquals("bob", alice.next(Envelope.PeerJoined.class).peer());

    device = RawMqtt.connect(broker.pahoUri(), "dev-1", RawMqtt.options(null, null, true));
    device.subscribe(MqttNames.inboxFilter(ROOM, "device"));
    device.publish(MqttNames.presenceTopic(ROOM, "device"), "{\"state\":\"online\"}", true);
    assertEquals("device", alice.next(Envelope.PeerJoined.class).peer());
    assertEquals("device", bob.next(Envelope.PeerJoined.class).peer());

    alice.ws.send(EnvelopeCodec.encode(new Envelope.Offer("o-a", ROOM, "alice", "device", "v=0 a")));
    bob.ws.send(EnvelopeCodec.encode(new Envelope.Offer("o-b", ROOM, "bob", "device", "v=0 b")));
    List<String> atDevice = new ArrayList<>();
    for (String s; (s = device.received.poll(2, TimeUnit.SECONDS)) != null; ) atDevice.add(s.substring(0, s.indexOf(' ')));
    assertEquals(List.of(MqttNames.messageTopic(ROOM, "device", "alice"), MqttNames.messageTopic(ROOM, "device", "bob")),
        atDevice.stream().sorted().toList(), "each offer reached the device once");

    device.publish(MqttNames.messageTopic(ROOM, "alice", "device"), EnvelopeCodec.encode(
        new Envelope.Answer("d-a", ROOM, "device", "alice", "v=0 d")), false);
    device.publish(MqttNames.messageTopic(ROOM, "bob", "device"), EnvelopeCodec.encode(
        new Envelope.Answer("d-b", ROOM, "device", "bob", "v=0 d")), false);
    assertEquals("d-a", alice.next(Envelope.Answer.class).id());
    assertEquals("d-b", bob.next(Envelope.Answer.class).id());
    // nothing twice: a round trip between alice and bob comes next on each side
    alice.ws.send(EnvelopeCodec.encode(new Envelope.Offer("rt", ROOM, "alice", "bob", "v=0")));
    assertEquals("rt", bob.next(Envelope.Offer.class).id());
    bob.ws.send(EnvelopeCodec.encode(new Envelope.Answer("rt", ROOM, "bob", "alice", "v=0")));
    assertEquals("rt", alice.next(Envelope.Answer.class).id());
    assertNull(alice.frames.poll(), "alice got more");
    assertNull(bob.frames.poll(), "bob got more");
    assertNull(device.received.poll(), "the device got more");


    // the node whose bridge holds the device stops: the other node's bridge takes it into the room again
    int holder = a.peerCount() == 2 ? 0 : 1;
    assertEquals(2, nodes.get(holder).peerCount(), "one node holds the device besides its WebSocket peer");
    MqttBridgeTest.RawWsPeer stays = holder == 0 ? bob : alice;
    String gone = holder == 0 ? "alice" : "bob";
    long t0 = System.nanoTime();
    bridges.get(holder).close();
    nodes.get(holder).close();
    List<String> seen = new ArrayList<>();
    while (!seen.contains("joined device")) {
      Envelope e = EnvelopeCodec.decode(stays.frames.poll(3 * MqttBridge.WAITING_RETRY.toSeconds(), TimeUnit.SECONDS));
      if (e instanceof Envelope.PeerLeft l) seen.add("left " + l.peer());
      else if (e instanceof Envelope.PeerJoined j) seen.add("joined " + j.peer());
      else seen.add(EnvelopeCodec.encode(e));
    }
    long backMs = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(List.of("joined device", "left " + gone, "left device"), seen.stream().sorted().toList(), "seen: " + seen);
    stays.ws.send(EnvelopeCodec.encode(new Envelope.Offer("o-again", ROOM, holder == 0 ? "bob" : "alice", "device", "v=0")));
    String got = device.received.poll(10, TimeUnit.SECONDS);
    assertEquals(MqttNames.messageTopic(ROOM, "device", holder == 0 ? "bob" : "alice"), got == null ? null : got.substring(0, got.indexOf(' ')));
    System.out.printf("cluster bridge: the node holding the MQTT peer stopped; the other node's bridge took it back after %d ms%n",
        backMs);

    device.publish(MqttNames.presenceTopic(ROOM, "device"), "{\"state\":\"offline\"}", true);
    assertEquals("device", stays.next(Envelope.PeerLeft.class).peer());
    assertNull(stays.frames.poll(1, TimeUnit.SECONDS), "more after the device left");
    assertNull(device.received.poll(1, TimeUnit.SECONDS), "the device got more");
  }
}
