package dev.simplecall.samples.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.simplecall.AudioSink;
import dev.simplecall.CallException;
import dev.simplecall.CallSession;
import dev.simplecall.CallState;
import dev.simplecall.DataChannel;
import dev.simplecall.DataChannelOptions;
import dev.simplecall.EndReason;
import dev.simplecall.VideoFrameData;
import dev.simplecall.VideoFrameSink;
import dev.simplecall.internal.media.TestPattern;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Everything one peer observes in an end-to-end call: states, the end, signaling reconnects, remote
 * test-pattern frame counters, remote audio samples, remote data channels. Read with bounded waits.
 */
final class CallProbe extends CallSession.Listener implements VideoFrameSink, AudioSink {
  record Ended(EndReason reason, CallException error) {}

  final String name;
  final BlockingQueue<CallState> states = new LinkedBlockingQueue<>();
  final BlockingQueue<Ended> ended = new LinkedBlockingQueue<>();
  final BlockingQueue<Set<String>> joined = new LinkedBlockingQueue<>();
  final BlockingQueue<DataChannel> channels = new LinkedBlockingQueue<>();
  final BlockingQueue<String> reconnects = new LinkedBlockingQueue<>();
  final List<String> progress = new CopyOnWriteArrayList<>();
  final AtomicLong maxCounter = new AtomicLong(-1);
  final AtomicLong frames = new AtomicLong();
  final AtomicLong audioSamples = new AtomicLong();
  final AtomicInteger endedCount = new AtomicInteger();

  CallProbe(String name) {
    this.name = name;
  }

  @Override
  public void onStateChanged(CallSession s, CallState state) {
    states.add(state);
  }

  @Override
  public void onJoined(CallSession s, Set<String> peers) {
    joined.add(peers);
  }

  @Override
  public void onProgress(CallSession s, String step) {
    progress.add(step);
  }

  @Override
  public void onDataChannel(CallSession s, DataChannel ch) {
    channels.add(ch);
  }

  @Override
  public void onSignalingReconnecting(CallSession s) {
    reconnects.add("reconnecting");
  }

  @Override
  public void onSignalingReconnected(CallSession s) {
    reconnects.add("reconnected");
  }

  @Override
  public void onEnded(CallSession s, EndReason reason, CallException error) {
    endedCount.incrementAndGet();
    ended.add(new Ended(reason, error));
  }

  @Override
  public void onFrame(VideoFrameData frame) {
    frames.incrementAndGet();
    long n = TestPattern.readCounter(frame);
    if (n >= 0) maxCounter.accumulateAndGet(n, Math::max);
  }

  @Override
  public void onPcm(short[] samples, int sampleRate, int channels) {
    audioSamples.addAndGet(samples.length / Math.max(1, channels));
  }

  void awaitJoined(long seconds) throws InterruptedException {
    assertNotNull(joined.poll(seconds, TimeUnit.SECONDS), name + " did not join within " + seconds + " s; " + progress);
  }

  void awaitState(CallState want, long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (true) {
      CallState s = states.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (s == null) fail(name + ": no " + want + " within " + seconds + " s; progress " + progress);
      if (s == want) return;
      if (s == CallState.ENDED) fail(name + ": ended while waiting for " + want + ": " + ended.peek());
    }
  }

  /** Waits until the remote test pattern's counter passes {@code counter}; returns the new maximum. */
  long awaitCounterAbove(long counter, long seconds) {
    await().atMost(Duration.ofSeconds(seconds)).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
        assertTrue(maxCounter.get() > counter,
            () -> name + ": remote frame counter stuck at " + maxCounter.get() + " (wanted > " + counter + ")"));
    return maxCounter.get();
  }

  void awaitAudio(long samples, long seconds) {
    await().atMost(Duration.ofSeconds(seconds)).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
        assertTrue(audioSamples.get() >= samples, () -> name + ": only " + audioSamples.get() + " audio samples received"));
  }

  void awaitReconnected(long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (true) {
      String r = reconnects.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (r == null) fail(name + ": signaling did not reconnect within " + seconds + " s; progress " + progress);
      if (r.equals("reconnected")) return;
    }
  }

  Ended awaitEnded(long seconds) throws InterruptedException {
    Ended e = ended.poll(seconds, TimeUnit.SECONDS);
    assertNotNull(e, name + ": no onEnded within " + seconds + " s; progress " + progress);
    return e;
  }

  void assertEndedOnce(EndReason reason) throws InterruptedException {
    assertEquals(reason, awaitEnded(15).reason(), name + " end reason");
    assertTrue(ended.poll(200, TimeUnit.MILLISECONDS) == null, name + ": a second onEnded");
    assertEquals(1, endedCount.get(), name + " onEnded count");
  }

  /** The callee waits, the caller calls it; both must reach CONNECTED. */
  static void connect(CallSession caller, CallProbe callerProbe, CallSession callee, CallProbe calleeProbe)
      throws InterruptedException {
    callee.start();
    calleeProbe.awaitJoined(10);
    caller.call(callee.peerId());
    callerProbe.awaitState(CallState.CONNECTED, 20);
    calleeProbe.awaitState(CallState.CONNECTED, 20);
  }

  /** Moving video and a second of audio each way, then a data-channel echo from the caller. */
  static void assertMediaAndDataBothWays(CallSession caller, CallProbe callerProbe, CallProbe calleeProbe)
      throws Exception {
    calleeProbe.awaitCounterAbove(10, 15);
    callerProbe.awaitCounterAbove(10, 15);
    callerProbe.awaitAudio(48_000, 15);
    calleeProbe.awaitAudio(48_000, 15);
    assertEchoes(caller, calleeProbe);
  }

  /** Opens a channel from {@code from}, echoes at the callee, and checks a text round trip. */
  static void assertEchoes(CallSession from, CallProbe calleeProbe) throws Exception {
    DataChannel ch = from.openDataChannel("ping", DataChannelOptions.ordered());
    BlockingQueue<String> back = new LinkedBlockingQueue<>();
    BlockingQueue<Boolean> open = new LinkedBlockingQueue<>();
    ch.setListener(new DataChannel.Listener() {
      @Override
      public void onOpen(DataChannel c) {
        open.add(true);
      }

      @Override
      public void onFailure(DataChannel c, CallException error) {
        open.add(false);
      }

      @Override
      public void onText(DataChannel c, String text) {
        back.add(text);
      }
    });
    DataChannel remote = calleeProbe.channels.poll(10, TimeUnit.SECONDS);
    assertNotNull(remote, "callee was not told about the data channel");
    remote.setListener(new DataChannel.Listener() {
      @Override
      public void onText(DataChannel c, String text) {
        c.send("echo " + text);
      }
    });
    assertEquals(Boolean.TRUE, open.poll(10, TimeUnit.SECONDS), "data channel did not open");
    assertTrue(ch.send("ping 1"));
    assertEquals("echo ping 1", back.poll(10, TimeUnit.SECONDS));
  }
}
