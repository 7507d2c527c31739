package dev.simplecall.samples.cli;

import dev.simplecall.CallClient;
import dev.simplecall.CallException;
import dev.simplecall.CallState;
import dev.simplecall.CallStats;
import dev.simplecall.EndReason;
import dev.simplecall.MediaOptions;
import dev.simplecall.Participant;
import dev.simplecall.RoomOptions;
import dev.simplecall.RoomSession;
import dev.simplecall.SessionOptions;
import dev.simplecall.protocol.Uris;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One member's scripted group call, shared by {@code peer --group} and {@code demo --peers}: join the
 * room, wait until the room has {@code size} members and this one is connected to all of them, stream
 * for the duration while saying hello to each over the room's data channel (each hello is acknowledged),
 * then leave and measure, per other member, video, audio and data into a {@link GroupResult}.
 *
 * <p>Threads: {@link #run()} runs on the caller's thread and only waits; listener callbacks run on the
 * client's callback executor; frames and audio are counted on native threads.
 */
public final class GroupRun {
  /** The lowest received video rate from a member that still counts as video flowing. */
  static final double MIN_FPS = 5;
  private static final String HELLO = "hello";
  private static final String ACK = "ack";

  /** What to do: {@code size} is the room's size to wait for, this member included. */
  public record Settings(String peerId, String room, URI signaling, String token, int size, Duration duration,
      Duration waitForPeers, Duration joinTimeout, String transport, MediaOptions media, Duration iceTimeout) {
    public Settings {
      Objects.requireNonNull(peerId, "peerId == null");
      Objects.requireNonNull(room, "room == null");
      Objects.requireNonNull(signaling, "signaling == null");
      Objects.requireNonNull(duration, "duration == null");
      Objects.requireNonNull(waitForPeers, "waitForPeers == null");
      Objects.requireNonNull(joinTimeout, "joinTimeout == null");
      Objects.requireNonNull(transport, "transport == null");
      if (size < 2 || size > RoomOptions.MESH_LIMIT) {
        throw new IllegalArgumentException("a group has 2 to " + RoomOptions.MESH_LIMIT + " members: " + size);
      }
    }
  }

  /** What one other member sent us, and whether our hello reached it. */
  private static final class Seen {
    final AtomicLong frames = new AtomicLong();
    final AtomicLong audioSamples = new AtomicLong();
    volatile long connectedNs;
    volatile boolean helloFrom;
    volatile boolean ackFrom;
    long framesAtStart;
    long audioAtStart;
  }

  private final CallClient client;
  private final Settings s;
  private final Console console;
  private final Map<String, Seen> seen = new ConcurrentHashMap<>();
  private final CountDownLatch joined = new CountDownLatch(1);
  private final CountDownLatch ended = new CountDownLatch(1);
  private volatile EndReason endReason;
  private volatile CallException endError;
  private volatile long startNs;

  public GroupRun(CallClient client, Settings settings, Console console) {
    this.client = Objects.requireNonNull(client, "client == null");
    this.s = settings;
    this.console = Objects.requireNonNull(console, "console == null");
  }

  /** Runs the whole group call; never throws for runtime failures, they end up in the result. */
  public GroupResult run() throws InterruptedException {
    SessionOptions.Builder b = SessionOptions.builder()
        .signaling(s.signaling()).room(s.room()).peerId(s.peerId()).token(s.token());
    if (s.media() != null) b.media(s.media());
    if (s.iceTimeout() != null) b.iceFailureTimeout(s.iceTimeout());
    int others = s.size() - 1;
    startNs = System.nanoTime();
    RoomSession room = client.joinRoom(RoomOptions.builder().session(b.build()).build(), new Events());
    try {
      boolean inTime = joined.await(s.joinTimeout().toMillis(), TimeUnit.MILLISECONDS);
      if (ended.getCount() == 0) return failure(others); // refused (a full room, a bad token) or failed
      if (!inTime) {
        return GroupResult.failed(s.peerId(), s.transport(), others, "cannot reach signaling server "
            + Uris.redact(s.signaling()) + " (not joined within " + seconds(s.joinTimeout()) + ")", ExitCodes.SIGNALING);
      }
      console.progress(s.peerId(), "in room " + s.room() + "; waiting for " + others + " other member(s) to connect");
      long deadline = System.nanoTime() + s.waitForPeers().toNanos();
      while (connectedCount(room) < others && ended.getCount() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      if (ended.getCount() == 0) return failure(others);
      if (connectedCount(room) < others) {
        return GroupResult.failed(s.peerId(), s.transport(), others, "connected to " + connectedCount(room) + " of "
            + others + " other member(s) within " + seconds(s.waitForPeers()), ExitCodes.NO_CALL);
      }
      long connectedMs = (System.nanoTime() - startNs) / 1_000_000;
      console.progress(s.peerId(), "connected to all " + others + " in " + connectedMs + " ms; streaming for "
          + seconds(s.duration()));
      for (Seen x : seen.values()) {
        x.framesAtStart = x.frames.get();
        x.audioAtStart = x.audioSamples.get();
      }
      long windowStart = System.nanoTime();
      long windowEnd = windowStart + s.duration().toNanos();
      long upSum = 0;
      long downSum = 0;
      int samples = 0;
      for (int tick = 1; System.nanoTime() < windowEnd && ended.getCount() > 0; tick++) {
        for (Participant p : room.participants()) {
          Seen x = seen.get(p.peerId());
          if (x != null && !x.ackFrom) p.send(HELLO);
        }
        status(room);
        if (tick % 4 == 0 && System.nanoTime() < windowEnd - 1_000_000_000L) { // every 2 s, not in the last second
          long[] kbps = bitrates(room);
          if (kbps[0] >= 0) {
            upSum += kbps[0];
            downSum += kbps[1];
            samples++;
          }
        }
        Thread.sleep(500);
      }
      console.endStatus(s.peerId());
      if (ended.getCount() == 0) return failure(others);
      double seconds = (System.nanoTime() - windowStart) / 1e9;
      return evaluate(others, connectedMs, seconds, samples == 0 ? -1 : upSum / samples,
          samples == 0 ? -1 : downSum / samples);
    } finally {
      room.leave();
      ended.await(15, TimeUnit.SECONDS);
    }
  }

  /** Sent and received kbit/s summed over the connections with every member now, or -1 when unknown. */
  private static long[] bitrates(RoomSession room) {
    long up = 0;
    long down = 0;
    for (Participant p : room.participants()) {
      try {
        CallStats st = p.stats().get(3, TimeUnit.SECONDS);
        up += st.bitrateOutBps();
        down += st.bitrateInBps();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new long[] {-1, -1};
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        return new long[] {-1, -1}; // the connection ended meanwhile
      }
    }
    return new long[] {up / 1000, down / 1000};
  }

  private GroupResult evaluate(int others, long connectedMs, double seconds, long upKbps, long downKbps) {
    int ok = 0;
    double fpsMin = -1;
    long frames = 0;
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, Seen> e : seen.entrySet()) {
      Seen x = e.getValue();
      long f = x.frames.get() - x.framesAtStart;
      frames += f;
      double fps = f / seconds;
      fpsMin = fpsMin < 0 ? fps : Math.min(fpsMin, fps);
      boolean audio = x.audioSamples.get() > x.audioAtStart;
      List<String> missing = new ArrayList<>();
      if (fps < MIN_FPS) missing.add(String.format(Locale.ROOT, "video %.1f fps", fps));
      if (!audio) missing.add("no audio");
      if (!x.helloFrom) missing.add("no message");
      if (!x.ackFrom) missing.add("our message unacknowledged");
      if (missing.isEmpty()) ok++;
      else problems.add(e.getKey() + ": " + String.join(", ", missing));
    }
    boolean allOk = ok >= others && problems.isEmpty();
    return new GroupResult(s.peerId(), s.transport(), allOk, ok, Math.max(others, seen.size()), connectedMs, fpsMin,
        frames, upKbps, downKbps, allOk ? null : String.join("; ", problems), allOk ? ExitCodes.OK : ExitCodes.NOT_OK);
  }

  private GroupResult failure(int others) {
    EndReason r = endReason;
    CallException e = endError;
    String why = "room session ended " + r + (e != null ? ": " + e.getMessage() : "");
    return GroupResult.failed(s.peerId(), s.transport(), others, why,
        r == EndReason.SIGNALING_FAILED ? ExitCodes.SIGNALING : ExitCodes.NOT_OK);
  }

  private static int connectedCount(RoomSession room) {
    int n = 0;
    for (Participant p : room.participants()) if (p.state() == CallState.CONNECTED) n++;
    return n;
  }

  private void status(RoomSession room) {
    StringJoiner j = new StringJoiner("  ");
    for (Participant p : room.participants()) {
      Seen x = seen.get(p.peerId());
      j.add(p.peerId() + " " + p.state().name().toLowerCase(Locale.ROOT) + " " + (x == null ? 0 : x.frames.get()) + "f");
    }
    Participant speaker = room.activeSpeaker();
    console.status(s.peerId(), j + (speaker != null ? "  speaking: " + speaker.peerId() : ""));
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }

  private final class Events extends RoomSession.Listener {
    @Override
    public void onJoined(RoomSession room, List<Participant> participants) {
      for (Participant p : participants) watch(p);
      joined.countDown();
    }

    @Override
    public void onParticipantJoined(RoomSession room, Participant p) {
      watch(p);
    }

    private void watch(Participant p) {
      Seen x = seen.computeIfAbsent(p.peerId(), k -> new Seen());
      p.addVideoSink(frame -> x.frames.incrementAndGet());
      p.addAudioSink((samples, rate, channels) -> x.audioSamples.addAndGet(samples.length));
    }

    @Override
    public void onParticipantStateChanged(RoomSession room, Participant p, CallState state) {
      Seen x = seen.get(p.peerId());
      if (state == CallState.CONNECTED && x != null && x.connectedNs == 0) x.connectedNs = System.nanoTime();
    }

    @Override
    public void onParticipantLeft(RoomSession room, Participant p) {
      console.progress(s.peerId(), p.peerId() + " left");
    }

    @Override
    public void onMessage(RoomSession room, Participant from, String text) {
      Seen x = seen.get(from.peerId());
      if (x == null) return;
      if (HELLO.equals(text)) {
        x.helloFrom = true;
        from.send(ACK);
      } else if (ACK.equals(text)) {
        x.ackFrom = true;
      }
    }

    @Override
    public void onProgress(RoomSession room, String step) {
      console.progress(s.peerId(), step);
    }

    @Override
    public void onEnded(RoomSession room, EndReason reason, CallException error) {
      endReason = reason;
      endError = error;
      ended.countDown();
      joined.countDown(); // nobody waits for a welcome any more
    }
  }
}
