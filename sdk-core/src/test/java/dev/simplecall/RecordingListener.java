package dev.simplecall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Records session events into queues read with bounded waits. */
class RecordingListener extends CallSession.Listener {
  record Ended(EndReason reason, CallException error) {}

  final BlockingQueue<CallState> states = new LinkedBlockingQueue<>();
  final BlockingQueue<Ended> ended = new LinkedBlockingQueue<>();
  final BlockingQueue<IncomingCall> incoming = new LinkedBlockingQueue<>();
  final BlockingQueue<DataChannel> channels = new LinkedBlockingQueue<>();
  final BlockingQueue<Set<String>> joined = new LinkedBlockingQueue<>();
  final BlockingQueue<CallStats> stats = new LinkedBlockingQueue<>();
  final List<String> progress = new CopyOnWriteArrayList<>();
  volatile int endedCount;

  @Override
  public void onStateChanged(CallSession s, CallState state) {
    states.add(state);
  }

  @Override
  public void onJoined(CallSession s, Set<String> peers) {
    joined.add(peers);
  }

  @Override
  public void onIncomingCall(CallSession s, IncomingCall call) {
    incoming.add(call);
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
  public void onStats(CallSession s, CallStats st) {
    stats.add(st);
  }

  @Override
  public void onEnded(CallSession s, EndReason reason, CallException error) {
    endedCount++;
    ended.add(new Ended(reason, error));
  }

  void awaitState(CallState want, long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (true) {
      long left = deadline - System.nanoTime();
      CallState s = states.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
      if (s == null) fail("no " + want + " within " + seconds + " s; progress: " + progress);
      if (s == want) return;
      if (s == CallState.ENDED) fail("ended while waiting for " + want + ": " + ended.peek() + "; progress: " + progress);
    }
  }

  Ended awaitEnded(long seconds) throws InterruptedException {
    Ended e = ended.poll(seconds, TimeUnit.SECONDS);
    assertNotNull(e, "no onEnded within " + seconds + " s; progress: " + progress);
    return e;
  }

  void assertEndedOnce() {
    assertEquals(1, endedCount, "onEnded calls");
  }
}
