package dev.simplecall.samples.cli;

import dev.simplecall.CallException;
import dev.simplecall.DataChannel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The text protocol both peers speak on data channel {@code "ping"}. Symmetric, so each side proves
 * data flowed both ways by itself:
 * <pre>
 * ping SEQ NANOS     -> the other side answers  pong SEQ NANOS  (echo round trip = now - NANOS)
 * report FRAMES AUDIO [SENDS]  what this side received (and "v", "a", "va" or "-": what it sends;
 *                      absent from older peers, read as both); a side that gets a report answers
 *                      "got-report", then with its own report once
 * got-report          the other side has this side's report
 * </pre>
 * A side that ends the call waits for {@link #awaitReportsExchanged}: closing the peer connection
 * drops data-channel messages still in flight, and the hang-up travels by signaling, which can
 * overtake them.
 * Callbacks arrive on the SDK's callback executor; pings are sent from {@code timer}. Fields
 * written on both are volatile or guarded by {@code this}. The GUI speaks it too, so a
 * {@code simplecall peer} can call a window and still end with {@code ok=true}.
 *
 * <pre>{@code
 * PingProtocol ping = new PingProtocol(timer, () -> new PingProtocol.Report(frames.get(), audioPackets));
 * ping.attach(session.openDataChannel(PingProtocol.LABEL, DataChannelOptions.ordered()));
 * }</pre>
 */
public final class PingProtocol implements DataChannel.Listener {
  public static final String LABEL = "ping";
  private static final Logger log = LoggerFactory.getLogger(PingProtocol.class);

  /** What the remote side said it received. */
  public record Report(long frames, long audioPackets, boolean sendsVideo, boolean sendsAudio) {
    public Report(long frames, long audioPackets) {
      this(frames, audioPackets, true, true);
    }
  }

  private final ScheduledExecutorService timer;
  private final Supplier<Report> localReport;
  private final List<Double> echoMs = Collections.synchronizedList(new ArrayList<>());
  private final CountDownLatch remoteReported = new CountDownLatch(1);
  private final CountDownLatch firstPong = new CountDownLatch(1);
  private final CountDownLatch reportAcked = new CountDownLatch(1);
  private volatile DataChannel channel;
  private volatile boolean opened;
  private volatile CallException failure;
  private volatile Report remote;
  private volatile boolean reportWanted;
  private volatile boolean reportSent;
  private volatile long pingsReceived;
  private ScheduledFuture<?> pinger;
  private int seq;

  public PingProtocol(ScheduledExecutorService timer, Supplier<Report> localReport) {
    this.timer = timer;
    this.localReport = localReport;
  }

  /**
   * Takes over {@code ch} (ours or the remote's, possibly not open yet); starts pinging once it is
   * open. Never waits.
   */
  public void attach(DataChannel ch) {
    this.channel = ch;
    ch.setListener(this);
    if (ch.isOpen()) onOpen(ch);
  }

  @Override
  public synchronized void onOpen(DataChannel c) {
    opened = true;
    if (pinger != null) return;
    pinger = timer.scheduleAtFixedRate(this::sendPing, 0, 250, TimeUnit.MILLISECONDS);
  }

  @Override
  public void onFailure(DataChannel c, CallException error) {
    failure = error;
    log.warn("data channel {} could not be opened: {}", c.label(), error.getMessage());
  }

  private void sendPing() {
    DataChannel ch = channel;
    if (ch == null || !ch.isOpen()) return;
    if (reportWanted && !reportSent) sendReport();
    int n;
    synchronized (this) {
      n = ++seq;
    }
    ch.send("ping " + n + " " + System.nanoTime());
  }

  @Override
  public void onText(DataChannel c, String s) {
    String[] p = s.trim().split(" ");
    try {
      switch (p[0]) {
        case "ping":
          pingsReceived++;
          c.send("pong " + p[1] + " " + p[2]);
          break;
        case "pong":
          echoMs.add((System.nanoTime() - Long.parseLong(p[2])) / 1e6);
          firstPong.countDown();
          break;
        case "report":
          remote = p.length > 3
              ? new Report(Long.parseLong(p[1]), Long.parseLong(p[2]), p[3].contains("v"), p[3].contains("a"))
              : new Report(Long.parseLong(p[1]), Long.parseLong(p[2]));
          remoteReported.countDown();
          c.send("got-report");
          sendReport();
          break;
        case "got-report":
          reportAcked.countDown();
          break;
        default:
          log.debug("ignoring data channel text: {}", s);
      }
    } catch (RuntimeException e) {
      log.debug("malformed data channel text: {}", s, e);
    }
  }

  /**
   * Sends this side's report once (later calls do nothing). When the channel is not open or the send
   * is refused, the pinger tries again every 250 ms.
   */
  void sendReport() {
    DataChannel ch = channel;
    synchronized (this) {
      reportWanted = true;
      if (reportSent || ch == null || !ch.isOpen()) return;
      Report r = localReport.get();
      String sends = (r.sendsVideo() ? "v" : "") + (r.sendsAudio() ? "a" : "");
      reportSent = ch.send("report " + r.frames() + " " + r.audioPackets() + " " + (sends.isEmpty() ? "-" : sends));
    }
  }

  /**
   * Waits until the remote's report arrived and the remote confirmed it has this side's report (a
   * peer without "got-report" never confirms: the wait then ends at the timeout).
   *
   * @return whether both happened in time
   */
  boolean awaitReportsExchanged(long timeoutMs) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    if (!remoteReported.await(timeoutMs, TimeUnit.MILLISECONDS)) return false;
    return reportAcked.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
  }

  boolean awaitFirstPong(long timeoutMs) throws InterruptedException {
    return firstPong.await(timeoutMs, TimeUnit.MILLISECONDS);
  }

  Report remoteReport() {
    return remote;
  }

  /** Whether the channel opened. */
  boolean opened() {
    return opened;
  }

  /** Why the channel this side opened could not be made, or {@code null}. */
  CallException failure() {
    return failure;
  }

  long pingsReceived() {
    return pingsReceived;
  }

  /** Median echo round trip in ms, or -1 when no pong came back. */
  double medianEchoMs() {
    List<Double> copy;
    synchronized (echoMs) {
      copy = new ArrayList<>(echoMs);
    }
    if (copy.isEmpty()) return -1;
    Collections.sort(copy);
    return copy.get(copy.size() / 2);
  }

  public synchronized void stop() {
    if (pinger != null) pinger.cancel(false);
  }
}
