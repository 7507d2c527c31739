package dev.simplecall.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.DataChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The end-of-call report exchange on the "ping" channel, over an in-memory pair of channels. */
@Tag("fast")
class PingProtocolTest {
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  /** Delivers messages one at a time, like the SDK's callback executor. */
  private final ExecutorService wire = Executors.newSingleThreadExecutor();

  @AfterEach
  void stop() {
    timer.shutdownNow();
    wire.shutdownNow();
  }

  @Test
  void bothReportsArriveAndEachSideKnowsTheOtherHasItsReport() throws Exception {
    Pair pair = new Pair();
    PingProtocol alice = new PingProtocol(timer, () -> new PingProtocol.Report(90, 149, true, false));
    PingProtocol bob = new PingProtocol(timer, () -> new PingProtocol.Report(88, 150));
    alice.attach(pair.a);
    bob.attach(pair.b);
    pair.open();

    alice.sendReport();
    bob.sendReport();

    assertTrue(alice.awaitReportsExchanged(5000), "alice: reports exchanged");
    assertTrue(bob.awaitReportsExchanged(5000), "bob: reports exchanged");
    assertEquals(new PingProtocol.Report(88, 150, true, true), alice.remoteReport());
    assertEquals(new PingProtocol.Report(90, 149, true, false), bob.remoteReport());
    assertEquals(1, pair.sentBy(pair.a, "report "), "alice sends her report once");
    assertEquals(1, pair.sentBy(pair.b, "report "), "bob sends his report once");
  }

  @Test
  void aReportAskedForBeforeTheChannelOpensIsSentOnceItOpens() throws Exception {
    Pair pair = new Pair();
    PingProtocol alice = new PingProtocol(timer, () -> new PingProtocol.Report(1, 2));
    PingProtocol bob = new PingProtocol(timer, () -> new PingProtocol.Report(3, 4));
    alice.attach(pair.a);
    bob.attach(pair.b);

    alice.sendReport();
    assertEquals(0, pair.sentBy(pair.a, "report "), "not open: nothing sent yet");
    pair.open();

    assertTrue(bob.awaitReportsExchanged(5000), "bob got alice's report and she confirmed his");
    assertEquals(new PingProtocol.Report(1, 2), bob.remoteReport());
    assertEquals(new PingProtocol.Report(3, 4), alice.remoteReport());
  }

  @Test
  void aRemoteThatNeverConfirmsEndsTheWaitAtTheTimeout() throws Exception {
    Pair pair = new Pair();
    PingProtocol alice = new PingProtocol(timer, () -> new PingProtocol.Report(1, 2));
    alice.attach(pair.a);
    // bob is an older peer: it answers a report with its own and never says "got-report"
    pair.b.setListener(new DataChannel.Listener() {
      @Override
      public void onText(DataChannel c, String text) {
        if (text.startsWith("report ")) c.send("report 5 6 va");
      }
    });
    pair.open();

    alice.sendReport();
    long t0 = System.nanoTime();
    assertFalse(alice.awaitReportsExchanged(400));
    assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(400), "waited the whole timeout");
    assertNotNull(alice.remoteReport(), "the older peer's report is still read");
  }

  @Test
  void withoutAnyReportTheWaitFailsAndNothingIsRead() throws Exception {
    Pair pair = new Pair();
    PingProtocol alice = new PingProtocol(timer, () -> new PingProtocol.Report(1, 2));
    alice.attach(pair.a);
    pair.b.setListener(new DataChannel.Listener() {});
    pair.open();
    alice.sendReport();
    assertFalse(alice.awaitReportsExchanged(300));
    assertNull(alice.remoteReport());
  }

  /** Two connected in-memory channels; messages sent before {@link #open} are refused. */
  private final class Pair {
    final Channel a = new Channel("a");
    final Channel b = new Channel("b");
    final List<String> log = new ArrayList<>();

    Pair() {
      a.peer = b;
      b.peer = a;
    }

    void open() {
      a.open = true;
      b.open = true;
      wire.execute(() -> {
        a.listener.onOpen(a);
        b.listener.onOpen(b);
      });
    }

    synchronized int sentBy(Channel ch, String prefix) {
      return (int) log.stream().filter(l -> l.startsWith(ch.name + ":" + prefix)).count();
    }

    final class Channel implements DataChannel {
      final String name;
      Channel peer;
      volatile boolean open;
      volatile DataChannel.Listener listener = new DataChannel.Listener() {};

      Channel(String name) {
        this.name = name;
      }

      @Override
      public String label() {
        return PingProtocol.LABEL;
      }

      @Override
      public boolean isOpen() {
        return open;
      }

      @Override
      public boolean send(String text) {
        if (!open) return false;
        synchronized (Pair.this) {
          log.add(name + ":" + text);
        }
        wire.execute(() -> peer.listener.onText(peer, text));
        return true;
      }

      @Override
      public boolean send(byte[] data) {
        return false;
      }

      @Override
      public long bufferedAmount() {
        return 0;
      }

      @Override
      public void setListener(DataChannel.Listener l) {
        listener = l;
      }

      @Override
      public void close() {
        open = false;
      }
    }
  }
}
