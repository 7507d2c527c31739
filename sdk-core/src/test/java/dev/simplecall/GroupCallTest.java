package dev.simplecall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** Rooms of real WebRTC members in one JVM over an {@link InMemorySignaling} hub: the mesh, members coming and going. */
class GroupCallTest {
  private static final MediaOptions SMALL = MediaOptions.builder().video(VideoSource.testPattern(160, 120, 15)).build();

  /** One member: its room session, the frames and audio it gets from each other member, the messages. */
  static final class Member extends RoomSession.Listener {
    final String id;
    final Map<String, AtomicLong> frames = new ConcurrentHashMap<>();
    final Map<String, AtomicLong> audio = new ConcurrentHashMap<>();
    final Map<String, Integer> widths = new ConcurrentHashMap<>();
    final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    final BlockingQueue<String> left = new LinkedBlockingQueue<>();
    final BlockingQueue<EndReason> ended = new LinkedBlockingQueue<>();
    final BlockingQueue<String> errors = new LinkedBlockingQueue<>();
    RoomSession room;

    Member(String id) {
      this.id = id;
    }

    @Override
    public void onJoined(RoomSession r, List<Participant> participants) {
      for (Participant p : participants) watch(p);
    }

    @Override
    public void onParticipantJoined(RoomSession r, Participant p) {
      watch(p);
    }

    private void watch(Participant p) {
      AtomicLong f = frames.computeIfAbsent(p.peerId(), k -> new AtomicLong());
      AtomicLong a = audio.computeIfAbsent(p.peerId(), k -> new AtomicLong());
      p.addVideoSink(frame -> {
        f.incrementAndGet();
        widths.put(p.peerId(), frame.width());
      });
      p.addAudioSink((samples, rate, channels) -> a.addAndGet(samples.length));
    }

    @Override
    public void onParticipantLeft(RoomSession r, Participant p) {
      left.add(p.peerId());
    }

    @Override
    public void onMessage(RoomSession r, Participant from, String text) {
      messages.add(from.peerId() + ":" + text);
    }

    @Override
    public void onEnded(RoomSession r, EndReason reason, CallException error) {
      ended.add(reason);
      if (error != null) errors.add(error.getMessage());
    }

    Set<String> connected() {
      Set<String> s = new TreeSet<>();
      for (Participant p : room.participants()) if (p.state() == CallState.CONNECTED) s.add(p.peerId());
      return s;
    }

    long framesFrom(String peer) {
      AtomicLong f = frames.get(peer);
      return f == null ? 0 : f.get();
    }

    long audioFrom(String peer) {
      AtomicLong a = audio.get(peer);
      return a == null ? 0 : a.get();
    }
  }

  private static final class Room implements AutoCloseable {
    final InMemorySignaling hub = new InMemorySignaling();
    final CallClient client = CallClient.builder().addTransportFactory(hub.transportFactory()).media(SMALL).build();
    final String name;

    Room(String name) {
      this.name = name;
    }

    Member join(String id) {
      Member m = new Member(id);
      SessionOptions s = SessionOptions.builder().signaling(URI.create("memory://test")).room(name).peerId(id)
          .iceRestartAfter(Duration.ofSeconds(1)).iceFailureTimeout(Duration.ofSeconds(10)).build();
      m.room = client.joinRoom(RoomOptions.builder().session(s).build(), m);
      return m;
    }

    @Override
    public void close() {
      client.close();
    }
  }

  private static void await(String what, long seconds, BooleanSupplier done) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > end) fail("timed out after " + seconds + " s: " + what);
      Thread.sleep(50);
    }
  }

  /** Every member connected to every other, gets video and audio from each, and each one's message. */
  private static void assertFullMesh(List<Member> members) throws InterruptedException {
    for (Member m : members) {
      Set<String> others = new TreeSet<>();
      for (Member o : members) if (o != m) others.add(o.id);
      await(m.id + " connected to " + others + " (has " + m.connected() + ")", 30, () -> m.connected().equals(others));
      await(m.id + " receives video and audio from " + others, 20, () -> {
        for (String o : others) if (m.framesFrom(o) < 10 || m.audioFrom(o) < 48_000 / 10) return false;
        return true;
      });
    }
    for (Member m : members) {
      String text = "hello from " + m.id;
      // a channel may still be opening: members already reached get the message again, which is counted once
      await(m.id + " reaches everyone", 10, () -> m.room.sendToAll(text) == members.size() - 1);
    }
    for (Member m : members) {
      Set<String> got = new TreeSet<>();
      while (got.size() < members.size() - 1) {
        String msg = m.messages.poll(10, TimeUnit.SECONDS);
        assertNotNull(msg, m.id + " got messages only from " + got);
        String from = msg.substring(0, msg.indexOf(':'));
        assertEquals("hello from " + from, msg.substring(msg.indexOf(':') + 1));
        got.add(from);
      }
      assertEquals(members.size() - 1, got.size());
    }
  }

  private static long patternThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("simplecall-test-pattern")).count();
  }

  @Test
  void fourMembersJoiningOneAfterAnotherFormAFullMeshAndOneLeavesAndAnotherJoins() throws Exception {
    try (Room r = new Room("mesh")) {
      List<Member> members = new ArrayList<>();
      for (String id : List.of("a", "b", "c", "d")) {
        Member m = r.join(id);
        members.add(m);
        await(id + " joined", 10, () -> m.room.state() == RoomSession.State.JOINED);
      }
      assertFullMesh(members);
      // four members: each sends to three, at half the 160x120 source's width and height
      for (Member m : members) {
        assertEquals(new RoomSession.VideoLimits(2, 300_000), m.room.videoLimits(), m.id);
        Thread.sleep(500); // frames sent before the limit applied may still be arriving
        for (Member o : members) {
          if (o != m) await(m.id + " gets " + o.id + "'s video at most 80 wide (" + m.widths + ")", 10,
              () -> m.widths.getOrDefault(o.id, 999) <= 80);
        }
      }
      // each member's test pattern is made once, however many members it goes to
      assertEquals(4, patternThreads(), "test-pattern producers for 4 members with 3 connections each");
      // the preview shows the one shared track once: no frame arrives twice (once per connection)
      Set<Long> stamps = ConcurrentHashMap.newKeySet();
      AtomicLong repeats = new AtomicLong();
      members.get(0).room.addLocalVideoSink(frame -> {
        if (!stamps.add(frame.timestampNs())) repeats.incrementAndGet();
      });
      await("a's preview shows 20 frames", 10, () -> stamps.size() >= 20);
      assertEquals(0, repeats.get(), "frames shown more than once in the preview");

      Member c = members.remove(2);
      c.room.leave();
      assertEquals(EndReason.HANGUP, c.ended.poll(15, TimeUnit.SECONDS));
      assertEquals(List.of(), c.room.participants());
      for (Member m : members) {
        assertEquals("c", m.left.poll(10, TimeUnit.SECONDS), m.id + " was not told that c left");
        assertNull(m.room.participant("c"));
        assertEquals(2, m.room.participants().size(), m.id + ": " + m.room.participants());
        assertEquals(RoomSession.VideoLimits.NONE, m.room.videoLimits(), m.id);
      }
      for (Member m : members) m.messages.clear();

      Member e = r.join("e");
      members.add(e);
      assertFullMesh(members);
    }
  }

  @Test
  void fiveMembersJoiningAtTheSameInstantMakeOneConnectionPerPair() throws Exception {
    try (Room r = new Room("burst")) {
      List<Member> members = new ArrayList<>();
      for (String id : List.of("e", "d", "c", "b", "a")) members.add(r.join(id));
      assertFullMesh(members);
      for (Member m : members) {
        for (Participant p : m.room.participants()) {
          assertTrue(p.everConnected(), m.id + " -> " + p.peerId());
          assertEquals(CallState.CONNECTED, p.state(), m.id + " -> " + p.peerId() + " (a connection made twice "
              + "would have ended one of them)");
        }
      }
    }
  }

  /**
   * A member switches its video mid-call (as to a screen share): the others get the new source, members
   * joining later too, the old source's producer stops; a source that cannot start changes nothing.
   */
  @Test
  void switchingTheRoomsVideoReachesEveryMemberAndLaterOnes() throws Exception {
    try (Room r = new Room("switch")) {
      List<Member> members = new ArrayList<>();
      for (String id : List.of("a", "b", "c")) members.add(r.join(id));
      assertFullMesh(members);
      Member a = members.get(0);
      java.util.concurrent.ExecutionException bad = org.junit.jupiter.api.Assertions.assertThrows(
          java.util.concurrent.ExecutionException.class,
          () -> a.room.setVideo(VideoSource.camera("no-such-camera", 320, 240, 15)).get(10, TimeUnit.SECONDS));
      assertTrue(bad.getCause().getMessage().contains("no-such-camera"), bad.getCause().getMessage());
      a.room.setVideo(VideoSource.testPattern(320, 240, 15)).get(10, TimeUnit.SECONDS);
      for (Member m : members.subList(1, 3)) {
        await(m.id + " gets a's new 320-wide video (" + m.widths + ")", 15, () -> m.widths.getOrDefault("a", 0) == 320);
      }
      await("a's old pattern stopped: one pattern per member", 10, () -> patternThreads() == 3);
      // a fourth member gets the new source too (at half its size: four members)
      Member d = r.join("d");
      members.add(d);
      await("d gets a's video at 160 wide, half the new source (" + d.widths + ")", 30,
          () -> d.widths.getOrDefault("a", 0) == 160);
      assertEquals(4, patternThreads());
    }
  }

  /** A bot's room: its own frames and PCM, pushed once, reach every member. */
  @Test
  void appFramesAndPcmPushedOnceReachEveryMember() throws Exception {
    try (Room r = new Room("bot")) {
      Member bot = new Member("a-bot");
      SessionOptions s = SessionOptions.builder().signaling(URI.create("memory://test")).room("bot").peerId("a-bot")
          .media(MediaOptions.builder().video(VideoSource.appFrames(160, 120, 15)).audio(AudioSource.appPcm(48_000, 1))
              .build()).build();
      bot.room = r.client.joinRoom(RoomOptions.builder().session(s).build(), bot);
      assertNotNull(bot.room.appVideo());
      assertNotNull(bot.room.appAudio());
      Member b = r.join("b");
      Member c = r.join("c");
      await("the bot connected to b and c", 30, () -> bot.connected().equals(Set.of("b", "c")));
      int[] argb = new int[160 * 120];
      short[] tenMs = new short[480];
      long pushed = 0;
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
      for (int i = 0; System.nanoTime() < end; i++) {
        java.util.Arrays.fill(argb, 0xff000000 | (i * 40 % 256) << 16);
        bot.room.appVideo().pushArgb(argb, 160, 120);
        for (int k = 0; k < 7; k++) bot.room.appAudio().pushPcm(tenMs);
        pushed++;
        Thread.sleep(66);
      }
      assertEquals(pushed, bot.room.appVideo().framesPushed(), "frames went into the shared track once each");
      for (Member m : List.of(b, c)) {
        long got = m.framesFrom("a-bot");
        assertTrue(got >= pushed / 2 && got <= pushed, m.id + " got " + got + " of " + pushed + " frames");
        assertTrue(m.audioFrom("a-bot") > 0, m.id + " got no audio from the bot");
      }
      assertNull(b.room.appVideo(), "b sends a test pattern, not app frames");
    }
  }

  @Test
  void joiningAFullRoomFailsClearly() throws Exception {
    try (Room r = new Room("small")) {
      Member a = r.join("a");
      await("a joined", 10, () -> a.room.state() == RoomSession.State.JOINED);
      Member b = new Member("b");
      SessionOptions s = SessionOptions.builder().signaling(URI.create("memory://test")).room("small").peerId("b").build();
      b.room = r.client.joinRoom(RoomOptions.builder().session(s).maxParticipants(2).build(), b);
      await("b joined", 10, () -> b.room.state() == RoomSession.State.JOINED);
      Member c = new Member("c");
      SessionOptions cs = SessionOptions.builder().signaling(URI.create("memory://test")).room("small").peerId("c").build();
      c.room = r.client.joinRoom(RoomOptions.builder().session(cs).maxParticipants(2).build(), c);
      assertEquals(EndReason.SIGNALING_FAILED, c.ended.poll(10, TimeUnit.SECONDS));
      assertEquals("room small already has 2 member(s): joining would make 3, over this app's limit of 2",
          c.errors.poll(1, TimeUnit.SECONDS));
      assertEquals(RoomSession.State.ENDED, c.room.state());
      await("a and b connected", 30, () -> a.connected().equals(Set.of("b")) && b.connected().equals(Set.of("a")));
    }
  }
}
