package dev.simplecall.server.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.protocol.EnvelopeException;
import dev.simplecall.protocol.MqttNames;
import dev.simplecall.protocol.MqttPresence;
import dev.simplecall.protocol.corpus.HostileEnvelopes;
import dev.simplecall.spi.support.NoDelaySocketFactory;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;

/**
 * Sends the hostile corpus to the MQTT bridge through the broker it reads: mallory, a raw Paho client
 * with presence in room {@code hostile-mqtt}, publishes on the bridged topics at QoS 0, 1 or 2 (at
 * times retained, at times a burst of many at once), and every case is followed by a marker offer
 * from mallory to the victim, a WebSocket peer in that room. What the victim received before the
 * marker must be exactly what the case's documented answer says (usually nothing), in order; packets
 * Paho would not send go on fresh raw connections ({@link RawPackets}) and must be closed by the broker.
 *
 * <p>The answers, from MqttBridge and PacketGuard: on {@code simplecall/v1/ROOM/to/TO/from/FROM} the
 * bridge takes a payload only when TO is a server peer and FROM an MQTT peer with presence, the payload
 * is UTF-8, decodes, is an offer, answer, candidate or bye, and its {@code to} is TO: then TO gets it
 * with {@code from} and {@code room} from the topic; everything else is dropped. On {@code
 * simplecall/v1/ROOM/presence/PEER} (PEER not a server peer, the payload not the bridge's own mirror)
 * {@code {"state":"online"}} makes PEER a member, any other JSON object takes it out, anything else is
 * ignored ({@link MqttPresence#parse}). Topics whose levels are not valid names are ignored. The
 * broker closes a connection that sends a packet over {@link EmbeddedBroker#MAX_PACKET_BYTES}, a topic
 * Paho cannot read, or a packet that breaks MQTT. The bridge never answers on MQTT.
 */
final class MqttCorpus implements AutoCloseable {
  static final String ROOM = "hostile-mqtt";
  static final String VICTIM = HostileEnvelopes.TARGET;
  static final String MALLORY = "mallory";
  private static final String TO_VICTIM = MqttNames.messageTopic(ROOM, VICTIM, MALLORY);
  private static final String[] BAD_NAMES = {"with space", "caf\u00e9", "x".repeat(65), "a\u202eb", "a:b", "a%2Fb", "a@b",
    "\u00a0", "\u20ac", "x".repeat(2000)};
  private static final String[] PRESENCE_JUNK = {"online", " ", "{", "[]", "null", "\"online\"", "{}", "{\"State\":\"online\"}",
    "{\"state\":null}", "{\"state\":1}", "{\"state\":[\"online\"]}", "{\"state\":{\"online\":true}}", "{\"state\":\"offline\"}",
    "{\"state\":\"ONLINE\"}", "{\"state\":\"online \"}", "{\"state\":\"online\",\"extra\":[1,{}]}", "{\"x\":1,\"state\":\"online\"}",
    "{\"state\":\"offline\",\"state\":\"online\"}", "{\"state\":\"online\"", "{\"state\":\"online\"}x", "\ufeff{\"state\":\"online\"}",
    "{\"state\":\"online\",\"bridge\":\"someone-else\"}", "{\"state\":\"online\",\"bridge\":5}", "{\"state\":\"on\\u006cine\"}"};

  private final int brokerPort;
  private final long seed;
  private final Random random;
  private final HostileEnvelopes envelopes;
  private final MqttBridgeTest.RawWsPeer victim = new MqttBridgeTest.RawWsPeer();
  private final RawMqtt mallory;
  private final String bridgeId;
  /** MQTT peers the bridge holds as members of ROOM, as the model has it. */
  private final Set<String> members = new HashSet<>();
  /** Answers seen, by class of case and answer. */
  final Map<String, Integer> answers = new TreeMap<>();
  int sent;
  int published;
  int fresh;
  int bursts;
  /** Relayed messages published at QoS 0 that the broker dropped on the way to the bridge. */
  int qos0Lost;
  private int serial;

  MqttCorpus(OkHttpClient http, int serverPort, int brokerPort, long seed) throws Exception {
    this.brokerPort = brokerPort;
    this.seed = seed;
    this.random = new Random(seed);
    this.envelopes = new HostileEnvelopes(seed);
    victim.ws = http.newWebSocket(new Request.Builder().url("ws://127.0.0.1:" + serverPort + "/v1/ws").build(), victim);
    victim.ws.send(EnvelopeCodec.encode(new Envelope.Join("vj", ROOM, VICTIM, null)));
    victim.next(Envelope.Welcome.class);
    MqttConnectOptions o = RawMqtt.options(null, null, true);
    o.setMaxInflight(1000); // bursts
    o.setSocketFactory(NoDelaySocketFactory.INSTANCE); // as the SDK's transport: Paho with Nagle waits ~40 ms per publish
    mallory = RawMqtt.connect("tcp://127.0.0.1:" + brokerPort, "hostile-" + MALLORY, o);
    // the bridge's id is in the presence it mirrors for the victim: an attacker can read it, and so can we
    mallory.subscribe(MqttNames.presenceTopic(ROOM, VICTIM));
    String mirror = mallory.next();
    assertNotNull(mirror, "the victim's mirrored presence");
    bridgeId = MqttPresence.parse(mirror.substring(mirror.indexOf(' ') + 1).getBytes(StandardCharsets.UTF_8)).bridge();
    mallory.client.unsubscribe(MqttNames.presenceTopic(ROOM, VICTIM)).waitForCompletion(10_000);
    mallory.subscribe(MqttNames.inboxFilter(ROOM, MALLORY));
    mallory.publish(MqttNames.presenceTopic(ROOM, MALLORY), "{\"state\":\"online\"}", true);
    members.add(MALLORY);
    assertEquals(MALLORY, victim.next(Envelope.PeerJoined.class).peer());
  }

  /** One publish of a case, on mallory's connection. */
  private record Publish(String topic, byte[] payload, int qos, boolean retained) {}

  /** Sends case number {@code i}; returns after its answer was checked. */
  void send(int i) throws Exception {
    sent++;
    String where = "seed " + seed + " mqtt case " + i + ": ";
    int kind = random.nextInt(40);
    if (kind < 18) {
      HostileEnvelopes.Case c = envelopes.next();
      byte[] payload = c.text().getBytes(StandardCharsets.UTF_8);
      int qos = random.nextInt(3);
      if (remainingLength(TO_VICTIM, qos, payload) > EmbeddedBroker.MAX_PACKET_BYTES) {
        attack("over the packet limit", where + c, RawPackets.publish(RawPackets.utf8(TO_VICTIM), qos, 1, payload, false), "closed");
      } else {
        run("envelope", where + c, List.of(new Publish(TO_VICTIM, payload, qos, random.nextInt(10) == 0)));
      }
    } else if (kind < 21) {
      run("bytes", where, List.of(new Publish(TO_VICTIM, badUtf8(), random.nextInt(3), false)));
    } else if (kind < 23) {
      run("spoofed payload", where, List.of(new Publish(TO_VICTIM, spoofedPayload(), random.nextInt(3), false)));
    } else if (kind < 26) {
      Publish p = new Publish(spoofedTopic(), validOffer(VICTIM), random.nextInt(3), random.nextInt(10) == 0);
      run("spoofed topic", where + p.topic(), List.of(p));
    } else if (kind < 29) {
      String topic = badTopic();
      run("bad topic", where + abbreviate(topic), List.of(new Publish(topic, validOffer(VICTIM), random.nextInt(3), false)));
    } else if (kind < 33) {
      run("presence", where, presenceCase());
    } else if (kind == 33) {
      // mallory's own presence said gone and then online again: she leaves and comes back
      String junk = "{\"state\":\"" + (random.nextBoolean() ? "away" : "offline") + "\"}";
      String own = MqttNames.presenceTopic(ROOM, MALLORY);
      run("own presence", where, List.of(new Publish(own, junk.getBytes(StandardCharsets.UTF_8), 1, true),
          new Publish(own, MqttPresence.onlinePayload(), 1, true)));
    } else if (kind < 36) {
      burst(where);
    } else {
      freshConnection(where);
    }
    if (sent % 64 == 0) assertInboxEmpty(where);
  }

  /** Publishes {@code publishes} one after another on mallory's connection, then checks the victim got what the model says. */
  private void run(String kind, String where, List<Publish> publishes) throws Exception {
    List<Expected> expected = new ArrayList<>();
    for (Publish p : publishes) {
      Answer a = expect(p.topic(), p.payload());
      // a QoS 0 presence the broker dropped would leave the model unsure who is in the room
      int qos = p.qos() == 0 && a.presence() && !a.victimGets().isEmpty() ? 1 : p.qos();
      for (Object item : a.victimGets()) expected.add(new Expected(item, qos == 0));
      answers.merge(kind + ": " + a.name(), 1, Integer::sum);
      IMqttDeliveryToken t = mallory.client.publish(p.topic(), p.payload(), qos, p.retained());
      published++;
      if (qos > 0) t.waitForCompletion(10_000);
    }
    assertVictimGets(expected, where);
  }

  /** Many envelope cases at once, all at one QoS (MQTT orders messages per QoS), then one marker. */
  private void burst(String where) throws Exception {
    bursts++;
    int n = 10 + random.nextInt(190);
    int qos = random.nextInt(3);
    List<Expected> expected = new ArrayList<>();
    List<IMqttDeliveryToken> tokens = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      byte[] payload = envelopes.next().text().getBytes(StandardCharsets.UTF_8);
      if (remainingLength(TO_VICTIM, qos, payload) > EmbeddedBroker.MAX_PACKET_BYTES) continue;
      Answer a = expect(TO_VICTIM, payload);
      for (Object item : a.victimGets()) expected.add(new Expected(item, qos == 0));
      answers.merge("burst: " + a.name(), 1, Integer::sum);
      tokens.add(mallory.client.publish(TO_VICTIM, payload, qos, false));
      published++;
    }
    for (IMqttDeliveryToken t : tokens) if (qos > 0) t.waitForCompletion(10_000);
    assertVictimGets(expected, where + "a burst of " + tokens.size() + " at QoS " + qos);
  }

  /** What a case is called in the summary, and what reaches the victim for it; whether it is about presence. */
  private record Answer(String name, List<Object> victimGets, boolean presence) {
    Answer(String name, List<Object> victimGets) {
      this(name, victimGets, false);
    }
  }

  /**
   * One thing the victim must receive; {@code droppable} when it came from a QoS 0 publish, which the
   * broker may drop (MQTT allows it; Moquette does when the bridge's socket is not writable).
   */
  private record Expected(Object item, boolean droppable) {}

  /**
   * The bridge's documented answer to a publish on {@code topic}: what the victim receives (routed
   * envelopes as it receives them, presence as "joined P" / "left P"), updating the model's members.
   */
  private Answer expect(String topic, byte[] payload) {
    MqttNames.Topic t = MqttNames.parseTopic(topic);
    if (t == null) return new Answer("ignored (topic)", List.of());
    if (t.kind() == MqttNames.Topic.Kind.PRESENCE) {
      if (!t.room().equals(ROOM)) throw new IllegalStateException("the corpus sends valid presence only in " + ROOM + ": " + topic);
      if (t.from().equals(VICTIM)) return new Answer("ignored (a server peer's)", List.of());
      MqttPresence p = MqttPresence.parse(payload);
      if (p == null) return new Answer("ignored (not a JSON object)", List.of());
      if (bridgeId.equals(p.bridge())) return new Answer("ignored (the bridge's own)", List.of());
      boolean online = Boolean.TRUE.equals(p.online());
      if (online && members.add(t.from())) return new Answer("joined", List.of("joined " + t.from()), true);
      if (!online && members.remove(t.from())) return new Answer("left", List.of("left " + t.from()), true);
      return new Answer(online ? "already in" : "not in", List.of(), true);
    }
    if (!t.room().equals(ROOM) || !t.to().equals(VICTIM)) return new Answer("dropped (not for a server peer)", List.of());
    if (!members.contains(t.from())) return new Answer("dropped (no presence)", List.of());
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(payload)).toString();
    } catch (CharacterCodingException e) {
      return new Answer("dropped (not UTF-8)", List.of());
    }
    Envelope e;
    try {
      e = EnvelopeCodec.decode(text);
    } catch (EnvelopeException ex) {
      return new Answer("dropped (" + ex.code().wire() + ")", List.of());
    }
    if (!(e instanceof Envelope.Routed routed)) return new Answer("dropped (type " + e.type() + ")", List.of());
    if (!routed.to().equals(t.to())) return new Answer("dropped (to " + (routed.to().equals(MALLORY) ? "herself" : "another") + ")", List.of());
    return new Answer("relayed", List.of(routed.withSender(ROOM, t.from())));
  }

  /**
   * Publishes a marker offer from mallory to the victim and checks that what the victim received
   * before it is {@code expected}, in order, less droppable items the broker dropped: the bridge
   * handles one publish at a time, in the order the broker delivers them, which for one publisher is
   * the order sent (per QoS).
   */
  private void assertVictimGets(List<Expected> expected, String where) throws Exception {
    String id = "mk" + serial++;
    Envelope.Offer marker = new Envelope.Offer(id, ROOM, MALLORY, VICTIM, "marker");
    mallory.client.publish(TO_VICTIM, EnvelopeCodec.encode(marker).getBytes(StandardCharsets.UTF_8), 1, false).waitForCompletion(10_000);
    List<Object> got = new ArrayList<>();
    while (true) {
      String text = victim.frames.poll(10, TimeUnit.SECONDS);
      assertNotNull(text, where + ": the marker did not reach the victim within 10 s; before it: " + summary(got));
      Envelope e = EnvelopeCodec.decode(text);
      if (e.equals(marker)) break;
      got.add(e instanceof Envelope.PeerJoined j ? "joined " + j.peer() : e instanceof Envelope.PeerLeft l ? "left " + l.peer() : e);
    }
    int at = 0;
    int lost = 0;
    for (Object g : got) {
      while (at < expected.size() && !expected.get(at).item().equals(g) && expected.get(at).droppable()) {
        at++;
        lost++;
      }
      if (at == expected.size() || !expected.get(at).item().equals(g)) mismatch(expected, got, where);
      at++;
    }
    for (; at < expected.size(); at++, lost++) if (!expected.get(at).droppable()) mismatch(expected, got, where);
    qos0Lost += lost;
  }

  /**
   * Fails with both lists, and with what reached the victim in the 7 s after the marker: a message the
   * broker dropped and resent (it does so after 5 s) shows up there.
   */
  private void mismatch(List<Expected> expected, List<Object> got, String where) throws InterruptedException {
    List<String> late = new ArrayList<>();
    long t0 = System.nanoTime();
    for (String text; (text = victim.frames.poll(7, TimeUnit.SECONDS)) != null; ) {
      late.add("+" + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms " + abbreviate(text));
    }
    where += "; after the marker: " + (late.isEmpty() ? "nothing within 7 s" : String.join(", ", late));
    assertEquals(summary(expected.stream().map(e -> e.droppable() ? "(QoS 0) " + text(e.item()) : e.item()).toList()), summary(got), where);
    throw new AssertionError(where); // the summaries may coincide when only the QoS 0 marks differ
  }

  private static String text(Object o) {
    return o instanceof Envelope e ? EnvelopeCodec.encode(e) : o.toString();
  }

  /** Each item, long ones cut, one a line: a failure shows where the lists part. */
  private static String summary(List<?> items) {
    StringBuilder b = new StringBuilder(items.size() + " items");
    for (Object o : items) b.append('\n').append(abbreviate(text(o)));
    return b.toString();
  }

  /**
   * The victim sends mallory an answer; it must be the next thing in her inbox: the bridge publishes in
   * order, so anything it had published to her for the corpus (it never should) would come first.
   */
  void assertInboxEmpty(String where) throws Exception {
    Envelope.Answer back = new Envelope.Answer("back" + serial++, ROOM, VICTIM, MALLORY, "v=0");
    victim.ws.send(EnvelopeCodec.encode(back));
    String got = mallory.next();
    assertNotNull(got, where + "the victim's answer did not reach mallory");
    assertEquals(MqttNames.messageTopic(ROOM, MALLORY, VICTIM) + " " + EnvelopeCodec.encode(back), got, where + "mallory's inbox");
    assertNull(mallory.received.poll(), where + "mallory's inbox");
  }

  /** A fresh connection sends one packet Paho would not (or, oversized, a PUBLISH); the broker must close it, or answer as documented. */
  private void freshConnection(String where) throws Exception {
    byte[] valid = RawPackets.utf8(TO_VICTIM);
    byte[] offer = validOffer(VICTIM);
    switch (random.nextInt(14)) {
      case 0 -> attack("over the packet limit", where, RawPackets.publish(valid, random.nextInt(3), 1,
          new byte[EmbeddedBroker.MAX_PACKET_BYTES + random.nextInt(20_000)], false), "closed");
      case 1 -> {
        String bad = pickOf("\u0000", "\u0001", "\n", "\u001f", "\u007f", "\u0085", "\ufdd0", "\ufeff", "\uff21", "\ufffd",
            "\uffff", "\ud83d\ude00");
        String[] topics = {"simplecall/v1/" + ROOM + "/to/v" + bad + "/from/" + MALLORY, "simplecall/v1/" + ROOM + "/to/" + VICTIM + "/from/m" + bad,
          "simplecall/v1/r" + bad + "/to/" + VICTIM + "/from/" + MALLORY, "simplecall/v1/" + ROOM + "/presence/g" + bad};
        attack("a topic Paho cannot read", where, RawPackets.publish(RawPackets.utf8(topics[random.nextInt(topics.length)]),
            random.nextInt(3), 1, offer, random.nextBoolean()), "closed");
      }
      case 2 -> {
        byte[] topic = RawPackets.utf8(TO_VICTIM + "x");
        byte[] bad = pickOf(new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xC0, (byte) 0xAF}, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80});
        byte[] t = new byte[topic.length - 1 + bad.length];
        System.arraycopy(topic, 0, t, 0, topic.length - 1);
        System.arraycopy(bad, 0, t, topic.length - 1, bad.length);
        attack("a topic that is not UTF-8", where, RawPackets.publish(t, 1, 1, offer, false), "closed");
      }
      case 3 -> attack("a wildcard in a topic name", where, RawPackets.publish(RawPackets.utf8(pickOf(
          "simplecall/v1/" + ROOM + "/to/+/from/" + MALLORY, "simplecall/v1/#", "#", "+")), 1, 1, offer, false), "closed");
      case 4 -> attack("an empty topic", where, RawPackets.publish(new byte[0], random.nextInt(3), 1, offer, false), "closed");
      case 5 -> attack("QoS 3", where, RawPackets.publish(valid, 3, 1, offer, false), "closed");
      case 6 -> attack("packet id 0", where, RawPackets.publish(valid, 1 + random.nextInt(2), 0, offer, false), "closed");
      case 7 -> attack("a broken length", where, pickOf(new byte[] {0x30, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F},
          RawPackets.packet(0x32, RawPackets.string(valid))), "closed");
      case 8 -> attack("a reserved packet type", where, pickOf(new byte[] {0, 0}, new byte[] {(byte) 0xF0, 0}), "closed");
      case 9 -> attackUnconnected("a PUBLISH before CONNECT", where, RawPackets.publish(valid, 1, 1, offer, false));
      case 10 -> attack("a second CONNECT", where, RawPackets.connect("again-" + serial++, null), "closed");
      case 11 -> attackUnconnected("not MQTT", where, RawPackets.utf8("GET /v1/ws HTTP/1.1\r\nHost: x\r\n\r\n"));
      case 12 -> {
        fresh++;
        byte[] will = RawPackets.utf8(MqttNames.presenceTopic(ROOM, "w" + pickOf("\u0000", "\u0007", "\ud83d\ude00", "\ufffe")));
        String got = RawPackets.attack(brokerPort, RawPackets.connect("will-" + serial++, will), new byte[0]);
        assertEquals("closed", got, where + "a Will on a topic Paho cannot read");
        answers.merge("fresh connection, a Will on a topic Paho cannot read: closed", 1, Integer::sum);
        assertVictimGets(List.of(), where);
      }
      default -> {
        String prefix = "simplecall/v1/" + ROOM + "/to/" + VICTIM + "/from/";
        attack("a 65,535-byte topic", where, RawPackets.publish(RawPackets.utf8(prefix + "x".repeat(65_535 - prefix.length())), 1, 1,
            offer, false), "open");
      }
    }
  }

  private void attack(String what, String where, byte[] bytes, String want) throws Exception {
    fresh++;
    String got = RawPackets.attack(brokerPort, RawPackets.connect("raw-" + serial++, null), bytes);
    assertEquals(want, got, where + what);
    answers.merge("fresh connection, " + what + ": " + got, 1, Integer::sum);
    assertVictimGets(List.of(), where + what);
  }

  private void attackUnconnected(String what, String where, byte[] bytes) throws Exception {
    fresh++;
    String got = RawPackets.attack(brokerPort, null, bytes);
    assertEquals("closed", got, where + what);
    answers.merge("fresh connection, " + what + ": " + got, 1, Integer::sum);
    assertVictimGets(List.of(), where + what);
  }

  /** Presence on a ghost's topic: maybe online first, then junk, then the empty payload that clears it. */
  private List<Publish> presenceCase() {
    List<Publish> out = new ArrayList<>();
    int pick = random.nextInt(6);
    String peer = pick == 0 ? VICTIM : "g" + serial++; // the victim is a server peer: its presence is the bridge's
    String topic = MqttNames.presenceTopic(ROOM, peer);
    if (pick == 1) topic = MqttNames.presenceTopic(pickOf(BAD_NAMES), peer);
    if (pick == 2) topic = MqttNames.presenceTopic(ROOM, pickOf(BAD_NAMES));
    if (random.nextBoolean()) out.add(new Publish(topic, MqttPresence.onlinePayload(), random.nextInt(3), true));
    for (int k = 1 + random.nextInt(3); k > 0; k--) out.add(new Publish(topic, presenceJunk(), random.nextInt(3), random.nextBoolean()));
    if (!peer.equals(VICTIM)) out.add(new Publish(topic, MqttPresence.gonePayload(), 1, true)); // clears the retained junk
    return out;
  }

  private byte[] presenceJunk() {
    return switch (random.nextInt(8)) {
      case 0 -> ("{\"state\":\"online\",\"x\":" + "[".repeat(100 + random.nextInt(5000))).getBytes(StandardCharsets.UTF_8);
      case 1 -> ("{\"state\":\"online\",\"x\":\"" + "y".repeat(random.nextInt(70_000)) + "\"}").getBytes(StandardCharsets.UTF_8);
      case 2 -> ("{\"state\":\"online\",\"bridge\":\"" + bridgeId + "\"}").getBytes(StandardCharsets.UTF_8);
      case 3 -> {
        byte[] b = "{\"state\":\"online\",\"x\":\"ab\"}".getBytes(StandardCharsets.UTF_8);
        b[b.length - 4] = (byte) 0xFF;
        yield b;
      }
      case 4 -> MqttPresence.gonePayload();
      default -> pickOf(PRESENCE_JUNK).getBytes(StandardCharsets.UTF_8);
    };
  }

  /** A valid offer to the victim with a byte sequence that is not UTF-8 in its sdp (or, as a control, multi-byte UTF-8). */
  private byte[] badUtf8() {
    byte[] offer = validOffer(VICTIM);
    byte[] bad = pickOf(new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xFE}, new byte[] {(byte) 0x80}, new byte[] {(byte) 0xC0, (byte) 0xAF},
        new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
        new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, new byte[] {(byte) 0xE2, (byte) 0x82},
        new byte[] {(byte) 0xF0, (byte) 0x9F, (byte) 0x98}, RawPackets.utf8("\u20ac\ud83d\ude00\u00e9"));
    int at = new String(offer, StandardCharsets.UTF_8).indexOf("v=0") + 3; // inside the sdp string
    byte[] out = new byte[offer.length + bad.length];
    System.arraycopy(offer, 0, out, 0, at);
    System.arraycopy(bad, 0, out, at, bad.length);
    System.arraycopy(offer, at, out, at + bad.length, offer.length - at);
    return out;
  }

  /** A payload whose {@code from}, {@code room} or {@code to} says other than the topic. */
  private byte[] spoofedPayload() {
    String from = pickOf(VICTIM, MqttHealthyPair.DEVICE, MqttHealthyPair.BROWSER, "alice", MALLORY);
    String room = pickOf(MqttHealthyPair.ROOM, ROOM, "elsewhere");
    String to = pickOf(VICTIM, VICTIM, MALLORY, MqttHealthyPair.BROWSER, MqttHealthyPair.DEVICE, "nobody");
    String type = pickOf("offer", "answer", "bye", "candidate");
    String body = switch (type) {
      case "offer", "answer" -> "\"sdp\":\"v=0 spoofed\"";
      case "bye" -> "\"reason\":\"hangup\"";
      default -> "\"candidate\":null";
    };
    return ("{\"v\":1,\"type\":\"" + type + "\",\"id\":\"s" + serial++ + "\",\"room\":\"" + room + "\",\"from\":\"" + from
        + "\",\"to\":\"" + to + "\"," + body + "}").getBytes(StandardCharsets.UTF_8);
  }

  /** A topic whose room, recipient or sender is not one mallory may speak for or the bridge delivers to. */
  private String spoofedTopic() {
    return switch (random.nextInt(6)) {
      case 0 -> MqttNames.messageTopic(ROOM, VICTIM, pickOf("alice", "nobody", VICTIM)); // no presence, or a server peer
      case 1 -> MqttNames.messageTopic(ROOM, VICTIM, MqttHealthyPair.DEVICE); // a member of another room
      case 2 -> MqttNames.messageTopic(MqttHealthyPair.ROOM, MqttHealthyPair.BROWSER, MALLORY); // into the healthy call
      case 3 -> MqttNames.messageTopic(ROOM, pickOf("eve", "nobody", MqttHealthyPair.BROWSER), MALLORY); // not a server peer here
      case 4 -> MqttNames.messageTopic("elsewhere", VICTIM, MALLORY);
      default -> MqttNames.messageTopic(ROOM, VICTIM, VICTIM); // from the victim itself, a server peer
    };
  }

  /** A topic with a bad name, a wrong literal, or a level too many or too few somewhere. */
  private String badTopic() {
    String bad = pickOf(BAD_NAMES);
    return switch (random.nextInt(12)) {
      case 0 -> MqttNames.messageTopic(bad, VICTIM, MALLORY);
      case 1 -> MqttNames.messageTopic(ROOM, bad, MALLORY);
      case 2 -> MqttNames.messageTopic(ROOM, VICTIM, bad);
      case 3 -> MqttNames.messageTopic("", VICTIM, MALLORY);
      case 4 -> MqttNames.messageTopic(ROOM, "", MALLORY);
      case 5 -> MqttNames.messageTopic(ROOM, VICTIM, "");
      case 6 -> TO_VICTIM.replace("/to/", pickOf("/To/", "/t0/", "/to/x/"));
      case 7 -> TO_VICTIM.replace("/from/", pickOf("/From/", "/fromm/", "//from/"));
      case 8 -> TO_VICTIM + pickOf("/", "/x", "/from/" + MALLORY);
      case 9 -> TO_VICTIM.replace("simplecall/v1/", pickOf("simplecall/v2/", "Simplecall/v1/", "/simplecall/v1/", "simplecall/v1//",
          "simplecall/"));
      case 10 -> MqttNames.presenceTopic(ROOM, MALLORY) + pickOf("/", "/x");
      default -> "simplecall/v1/" + ROOM + "/presence";
    };
  }

  private byte[] validOffer(String to) {
    return ("{\"v\":1,\"type\":\"offer\",\"id\":\"o" + serial++ + "\",\"to\":\"" + to + "\",\"sdp\":\"v=0\"}").getBytes(StandardCharsets.UTF_8);
  }

  private static int remainingLength(String topic, int qos, byte[] payload) {
    return 2 + topic.getBytes(StandardCharsets.UTF_8).length + (qos > 0 ? 2 : 0) + payload.length;
  }

  private static String abbreviate(String s) {
    return s.length() > 120 ? s.substring(0, 120) + "...(" + s.length() + " chars)" : s;
  }

  @SafeVarargs
  private <T> T pickOf(T... choices) {
    return choices[random.nextInt(choices.length)];
  }

  /** The victim and mallory are still served, and nothing unexpected is queued on either side. */
  void assertStillServed() throws Exception {
    assertVictimGets(List.of(), "seed " + seed + " at the end");
    assertInboxEmpty("seed " + seed + " at the end: ");
    assertTrue(mallory.client.isConnected(), "mallory is still connected");
    assertNull(victim.frames.poll(), "the victim got an extra frame");
  }

  @Override
  public void close() {
    try {
      mallory.disconnect(); // a clean DISCONNECT is quick; RawMqtt.close alone waits a second for a forced one
    } catch (Exception e) {
      // already gone: close() below still releases the client
    }
    mallory.close();
    victim.ws.cancel();
  }
}
