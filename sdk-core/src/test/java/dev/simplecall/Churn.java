package dev.simplecall;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Sets up and tears down calls between two real peers over the in-memory hub, measuring call
 * setup time and memory. Used by {@link ChurnBenchmark} (100 calls, printed figures) and {@link
 * ChurnTest} (a short run with loose bounds).
 */
final class Churn {
  record Sample(int calls, long heapBytes, long rssBytes) {}

  final List<Long> setupMs = new ArrayList<>();
  final List<Long> firstFrameMs = new ArrayList<>();
  final List<Sample> samples = new ArrayList<>();
  private final InMemorySignaling hub = new InMemorySignaling();
  /** {@code -Dchurn.media=none|audio|video|both} (default both): isolates where native memory goes. */
  private final MediaOptions media = media(System.getProperty("churn.media", "both"));
  private final boolean video = !System.getProperty("churn.media", "both").matches("none|audio");

  private static MediaOptions media(String which) {
    boolean v = which.equals("both") || which.equals("video");
    boolean a = which.equals("both") || which.equals("audio");
    return MediaOptions.builder().video(v ? VideoSource.testPattern(320, 240, 30) : VideoSource.none())
        .audio(a ? AudioSource.tone(440) : AudioSource.none()).build();
  }

  private CallClient newClient() {
    return CallClient.builder().addTransportFactory(hub.transportFactory()).media(media).build();
  }

  /** Runs {@code calls} calls, sampling memory every {@code sampleEvery} calls (and before the first). */
  void run(int calls, int sampleEvery) throws Exception {
    try (CallClient client = newClient()) {
      for (int i = 0; i < calls; i++) {
        if (i == 1) samples.add(sample(1)); // after the first call: lazy native init is done
        oneCall(client, "churn" + i);
        if ((i + 1) % sampleEvery == 0) samples.add(sample(i + 1));
      }
    }
  }

  private void oneCall(CallClient client, String room) throws Exception {
    RecordingListener al = new RecordingListener();
    RecordingListener bl = new RecordingListener();
    SessionOptions.Builder o = SessionOptions.builder().signaling(URI.create("memory://churn")).room(room);
    CallSession bob = client.newSession(o.peerId("bob").build(), bl);
    CallSession alice = client.newSession(o.peerId("alice").build(), al);
    VideoCallTest.CounterSink frames = new VideoCallTest.CounterSink();
    alice.addRemoteVideoSink(frames);
    bob.start();
    if (bl.joined.poll(10, TimeUnit.SECONDS) == null) throw new AssertionError("bob did not join");
    long t0 = System.nanoTime();
    alice.call("bob");
    al.awaitState(CallState.CONNECTED, 20);
    setupMs.add((System.nanoTime() - t0) / 1_000_000);
    if (video) {
      frames.await(1, 20);
      firstFrameMs.add((System.nanoTime() - t0) / 1_000_000);
    }
    DataChannel ch = alice.openDataChannel("d", DataChannelOptions.ordered());
    if (bl.channels.poll(10, TimeUnit.SECONDS) == null) throw new AssertionError("no data channel");
    ch.send("x");
    alice.hangUp();
    al.awaitEnded(10);
    bl.awaitEnded(10);
  }

  static Sample sample(int calls) throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100); // benchmark only: let the collector and reference handlers settle
    }
    var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    return new Sample(calls, heap.getUsed(), rssBytes());
  }

  /** VmRSS from /proc/self/status (Linux), or -1. */
  static long rssBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  /** The values (milliseconds) as a histogram: exact below 32 s at 4 significant digits. */
  static Histogram histogram(List<Long> millis) {
    Histogram h = new Histogram(4);
    millis.forEach(h::recordValue);
    return h;
  }
}
