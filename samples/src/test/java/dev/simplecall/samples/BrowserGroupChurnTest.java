package dev.simplecall.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.simplecall.AudioSource;
import dev.simplecall.CallClient;
import dev.simplecall.CallException;
import dev.simplecall.CallState;
import dev.simplecall.EndReason;
import dev.simplecall.MediaOptions;
import dev.simplecall.Participant;
import dev.simplecall.RoomOptions;
import dev.simplecall.RoomSession;
import dev.simplecall.SessionOptions;
import dev.simplecall.VideoSource;
import dev.simplecall.server.HeadlessChromium;
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

/**
 * Five members of one room on a real server, the SDK's {@code RoomSession} over WebSocket and long-poll
 * mixed and the browser page in group mode: all five join at the same instant and every one gets every
 * other's video, audio and a text message; then a Java member leaves and another joins mid-call, and
 * the room is a full mesh again, the page included.
 */
class BrowserGroupChurnTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final MediaOptions MEDIA = MediaOptions.builder().video(VideoSource.testPattern(160, 120, 15))
      .audio(AudioSource.tone(440)).build();

  /** One Java member: its client and room session, what it got from each other member. */
  private static final class Member extends RoomSession.Listener implements AutoCloseable {
    final String id;
    final CallClient client = CallClient.builder().media(MEDIA).build();
    final Map<String, AtomicLong> frames = new ConcurrentHashMap<>();
    final Map<String, AtomicLong> audio = new ConcurrentHashMap<>();
    final Set<String> messagesFrom = ConcurrentHashMap.newKeySet();
    final BlockingQueue<String> left = new LinkedBlockingQueue<>();
    final BlockingQueue<EndReason> ended = new LinkedBlockingQueue<>();
    RoomSession room;

    Member(String id, URI signaling) {
      this.id = id;
      SessionOptions s = SessionOptions.builder().signaling(signaling).room("churn").peerId(id).build();
      room = client.joinRoom(RoomOptions.builder().session(s).build(), this);
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
      p.addVideoSink(frame -> f.incrementAndGet());
      p.addAudioSink((samples, rate, channels) -> a.addAndGet(samples.length));
    }

    @Override
    public void onMessage(RoomSession r, Participant from, String text) {
      if (text.equals("hello")) from.send("ack"); // the page's data check
      else if (text.equals("hi from " + from.peerId())) messagesFrom.add(from.peerId());
    }

    @Override
    public void onParticipantLeft(RoomSession r, Participant p) {
      left.add(p.peerId());
    }

    @Override
    public void onEnded(RoomSession r, EndReason reason, CallException error) {
      ended.add(reason);
    }

    Set<String> connected() {
      Set<String> s = new TreeSet<>();
      for (Participant p : room.participants()) if (p.state() == CallState.CONNECTED) s.add(p.peerId());
      return s;
    }

    boolean receivesFrom(String other) {
      AtomicLong f = frames.get(other);
      AtomicLong a = audio.get(other);
      return f != null && f.get() >= 10 && a != null && a.get() >= 4800;
    }

    @Override
    public void close() {
      client.close();
    }
  }

  @Test
  void fiveJoinAtOnceThenOneLeavesAndAnotherJoinsWithTheBrowserInTheRoom() throws Exception {
    try (InteropServer server = InteropServer.start(); HeadlessChromium browser = HeadlessChromium.launch("carol")) {
      URI ws = server.webSocketUri();
      URI poll = server.httpUri();
      List<Member> members = new ArrayList<>();
      try {
        // the same instant: the page's start and four Java joins, two per transport
        browser.openAndStart(server.baseUrl() + "/?room=churn&id=carol&group=1&autostart=1&video=320x240&transport=poll");
        members.add(new Member("alice", ws));
        members.add(new Member("bob", poll));
        members.add(new Member("dave", ws));
        members.add(new Member("erin", poll));
        assertFullMesh(members, browser);

        Member dave = members.remove(2);
        dave.room.leave();
        assertEquals(EndReason.HANGUP, dave.ended.poll(20, TimeUnit.SECONDS));
        dave.close();
        for (Member m : members) assertEquals("dave", m.left.poll(20, TimeUnit.SECONDS), m.id + " was not told dave left");
        await("the page saw dave leave", () -> !pageMembers(browser).contains("dave"));

        members.add(new Member("frank", ws));
        assertFullMesh(members, browser);
      } finally {
        for (Member m : members) m.close();
      }
    }
  }

  /** Every Java member is connected to the four others and gets video, audio and a message from each; so does the page. */
  private static void assertFullMesh(List<Member> members, HeadlessChromium browser) throws Exception {
    for (Member m : members) {
      Set<String> others = new TreeSet<>(Set.of("carol"));
      for (Member o : members) if (o != m) others.add(o.id);
      await(m.id + " connected to " + others + " (is to " + m.connected() + ")", () -> m.connected().equals(others));
      await(m.id + " gets video and audio from " + others, () -> others.stream().allMatch(m::receivesFrom));
    }
    for (Member m : members) {
      Set<String> others = new TreeSet<>(Set.of("carol"));
      for (Member o : members) if (o != m) others.add(o.id);
      for (Member o : members) {
        if (o == m) continue;
        await(m.id + " gets a message from " + o.id, () -> {
          Participant p = o.room.participant(m.id);
          if (p != null) p.send("hi from " + o.id);
          return m.messagesFrom.contains(o.id);
        });
      }
      await(m.id + " and the page said hello to each other", () -> {
        Participant page = m.room.participant("carol");
        if (page != null) page.send("hello");
        Map<?, ?> seen = (Map<?, ?>) browser.js("return simplecall.groupSeen");
        Map<?, ?> s = (Map<?, ?>) seen.get(m.id);
        return s != null && Boolean.TRUE.equals(s.get("hello")) && Boolean.TRUE.equals(s.get("ack"));
      });
    }
    await("the page decodes video and audio from every Java member", () -> {
      Map<?, ?> seen = (Map<?, ?>) browser.js("return simplecall.groupSeen");
      for (Member m : members) {
        Map<?, ?> s = (Map<?, ?>) seen.get(m.id);
        if (s == null || ((Number) s.get("frames")).longValue() < 10 || ((Number) s.get("audioPackets")).longValue() < 10) {
          return false;
        }
      }
      return pageMembers(browser).size() == members.size();
    });
    for (Member m : members) assertTrue(m.receivesFrom("carol"), m.id + " gets nothing from the page");
  }

  private static List<String> pageMembers(HeadlessChromium browser) {
    List<String> ids = new ArrayList<>();
    for (Object o : (List<?>) browser.js("return simplecall.groupMembers")) ids.add(String.valueOf(((Map<?, ?>) o).get("id")));
    return ids;
  }

  private static void await(String what, BooleanSupplier done) throws InterruptedException {
    long end = System.nanoTime() + WAIT.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > end) fail("timed out after " + WAIT.toSeconds() + " s: " + what);
      Thread.sleep(100);
    }
  }
}
