package dev.simplecall.samples.cli;

import dev.simplecall.AudioSource;
import dev.simplecall.CallClient;
import dev.simplecall.CallException;
import dev.simplecall.CallRecorder;
import dev.simplecall.CallSession;
import dev.simplecall.CallState;
import dev.simplecall.CallStats;
import dev.simplecall.DataChannel;
import dev.simplecall.DataChannelOptions;
import dev.simplecall.EndReason;
import dev.simplecall.IncomingCall;
import dev.simplecall.MediaOptions;
import dev.simplecall.SessionOptions;
import dev.simplecall.VideoSource;
import dev.simplecall.protocol.Uris;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One peer's scripted call, shared by {@code peer} and {@code demo}: join, call or wait to be called,
 * stream for the duration while pinging over data channel {@code "ping"}, exchange reports of what
 * each side received, hang up, and measure it all into a {@link PeerResult}.
 *
 * <p>Threads: {@link #run()} runs on the caller's thread and only waits on latches; listener
 * callbacks run on the client's callback executor; frames are counted on the decoder thread.
 */
public final class PeerRun {
  private static final Logger log = LoggerFactory.getLogger(PeerRun.class);

  /**
   * What to do. {@code callee} null means wait to be called; {@code media} null means the client's
   * default; {@code iceTimeout} null means the SDK's default.
   */
  public record Settings(String peerId, String room, URI signaling, String token, String callee,
      Duration duration, Duration waitForCall, Duration joinTimeout, String transport, MediaOptions media,
      Duration iceTimeout) {
    public Settings {
      Objects.requireNonNull(peerId, "peerId == null");
      Objects.requireNonNull(room, "room == null");
      Objects.requireNonNull(signaling, "signaling == null");
      Objects.requireNonNull(duration, "duration == null");
      Objects.requireNonNull(waitForCall, "waitForCall == null");
      Objects.requireNonNull(joinTimeout, "joinTimeout == null");
      Objects.requireNonNull(transport, "transport == null");
    }
  }

  private final CallClient client;
  private final Settings s;
  private final Console console;
  private final ScheduledExecutorService timer;

  private final CountDownLatch joined = new CountDownLatch(1);
  private final CountDownLatch calleeHere = new CountDownLatch(1);
  private final CountDownLatch connected = new CountDownLatch(1);
  private final CountDownLatch ended = new CountDownLatch(1);
  private final AtomicLong frames = new AtomicLong();
  private volatile int width;
  private volatile int height;
  private volatile long firstFrameNs;
  private volatile long lastFrameNs;
  private volatile long startNs;
  private volatile long connectedNs;
  private volatile CallStats lastStats;
  private volatile EndReason endReason;
  private volatile CallException endError;
  private final PingProtocol ping;
  private Path recordDir; // set before run(), by the caller's thread
  private volatile CallRecorder recorder; // null: none; set on run()'s thread, read by the stats callback
  private volatile boolean recordingFailureShown;

  public PeerRun(CallClient client, Settings settings, Console console) {
    this.client = Objects.requireNonNull(client, "client == null");
    this.s = settings;
    this.console = Objects.requireNonNull(console, "console == null");
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "simplecall-ping-" + settings.peerId());
      t.setDaemon(true);
      return t;
    });
    this.ping = new PingProtocol(timer, this::localReport);
  }

  /** Records the remote audio and video into {@code dir} ({@code audio.wav}, {@code video.y4m}); call before {@link #run()}. */
  public PeerRun recordTo(Path dir) {
    this.recordDir = Objects.requireNonNull(dir, "dir == null");
    return this;
  }

  /** Runs the whole call; never throws for runtime failures, they end up in the result. */
  public PeerResult run() throws InterruptedException {
    SessionOptions.Builder b = SessionOptions.builder()
        .signaling(s.signaling()).room(s.room()).peerId(s.peerId()).token(s.token());
    if (s.media() != null) b.media(s.media());
    if (s.iceTimeout() != null) b.iceFailureTimeout(s.iceTimeout());
    SessionOptions options = b.build();
    CallSession session = client.newSession(options, new Events());
    try {
      if (recordDir != null) {
        try {
          recorder = CallRecorder.start(session, recordDir);
        } catch (IOException e) {
          console.progress(s.peerId(), "cannot record into " + recordDir + ": " + e + "; the call goes on without recording");
        }
      }
      session.addRemoteVideoSink(frame -> {
        long now = System.nanoTime();
        if (frames.getAndIncrement() == 0) firstFrameNs = now;
        lastFrameNs = now;
        width = frame.width();
        height = frame.height();
      });
      startNs = System.nanoTime();
      session.start();
      if (!await(joined, s.joinTimeout())) {
        if (ended.getCount() == 0) return failure();
        session.cancel();
        return PeerResult.failed(s.peerId(), s.transport(), "cannot reach signaling server " + Uris.redact(s.signaling())
            + " (not joined within " + seconds(s.joinTimeout()) + ")", ExitCodes.SIGNALING);
      }
      if (ended.getCount() == 0) return failure();
      if (s.callee() != null) {
        if (!session.roomPeers().contains(s.callee())) {
          console.progress(s.peerId(), "waiting for " + s.callee() + " to join room " + s.room());
          if (!await(calleeHere, s.waitForCall())) {
            return ended.getCount() == 0 ? failure() : PeerResult.failed(s.peerId(), s.transport(),
                s.callee() + " did not join room " + s.room() + " within " + seconds(s.waitForCall()), ExitCodes.NO_CALL);
          }
          if (ended.getCount() == 0) return failure();
        }
        startNs = System.nanoTime();
        session.call(s.callee());
        // the SDK ends the call itself on no answer (30 s) or no route (20 s); this bound is a backstop
        if (!await(connected, Duration.ofSeconds(90))) {
          return ended.getCount() == 0 ? failure() : PeerResult.failed(s.peerId(), s.transport(),
              "call to " + s.callee() + " did not connect within 90s", ExitCodes.NO_CALL);
        }
        if (connectedNs == 0) return failure();
        DataChannel ch = session.openDataChannel(PingProtocol.LABEL, DataChannelOptions.ordered());
        ping.attach(ch);
      } else {
        console.progress(s.peerId(), "waiting for a call (room " + s.room() + ", id " + s.peerId() + ")");
        if (!await(connected, s.waitForCall())) {
          return ended.getCount() == 0 ? failure() : PeerResult.failed(s.peerId(), s.transport(),
              "nobody called within " + seconds(s.waitForCall()), ExitCodes.NO_CALL);
        }
        if (connectedNs == 0) return failure();
      }
      session.setStatsInterval(Duration.ofSeconds(1));
      boolean endedEarly = await(ended, s.duration());
      if (!endedEarly) {
        refreshStats(session);
        ping.sendReport();
        ping.awaitReportsExchanged(5000);
        refreshStats(session);
        if (s.callee() != null) {
          session.hangUp();
        } else if (!await(ended, Duration.ofSeconds(5))) {
          session.hangUp();
        }
        await(ended, Duration.ofSeconds(5));
      }
      return evaluate();
    } finally {
      ping.stop();
      timer.shutdownNow();
      console.endStatus(s.peerId());
      if (recorder != null) finishRecording();
      session.close();
    }
  }

  private void finishRecording() {
    try {
      recorder.close();
      console.progress(s.peerId(), String.format("recorded %s (%d frames at 30 fps) and %s (%.1f s)", recorder.videoFile(),
          recorder.videoFrames(), recorder.audioFile(), recorder.audioSeconds()));
    } catch (IOException e) {
      if (!recordingFailureShown) console.progress(s.peerId(), "recording into " + recordDir + " failed: " + e);
    }
  }

  private void refreshStats(CallSession session) {
    try {
      lastStats = session.stats().get(3, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.debug("{}: stats unavailable: {}", s.peerId(), e.toString());
      if (e instanceof InterruptedException) Thread.currentThread().interrupt();
    }
  }

  private PingProtocol.Report localReport() {
    CallStats st = lastStats;
    MediaOptions m = media();
    return new PingProtocol.Report(frames.get(), st == null ? 0 : st.audioPacketsReceived(),
        m.video().kind() != VideoSource.Kind.NONE, m.audio().kind() != AudioSource.Kind.NONE);
  }

  private MediaOptions media() {
    return s.media() != null ? s.media() : client.media();
  }

  private PeerResult evaluate() {
    CallStats st = lastStats;
    long n = frames.get();
    // over at least a second: two frames 35 ms apart before an outage are no 29 fps
    double fps = n > 1 ? (n - 1) / Math.max(1.0, (lastFrameNs - firstFrameNs) / 1e9) : 0;
    long audio = st == null ? 0 : st.audioPacketsReceived();
    // measured here, from placing (caller) or receiving (callee) the call, so both peers mean the same
    long connectedMs = (connectedNs - startNs) / 1_000_000;
    long firstFrameMs = n > 0 ? (firstFrameNs - startNs) / 1_000_000 : -1;
    PingProtocol.Report remote = ping.remoteReport();
    String reason = null;
    // a call that connected and then lost its path for good says so first (not "no report")
    boolean lost = endReason == EndReason.ICE_FAILED || endReason == EndReason.REMOTE_GONE;
    if (lost) reason = "call ended: " + endReason + (endError != null ? " (" + endError.getMessage() + ")" : "");
    // what the other side does not send (--video none, --audio none) is not expected; it says so in its report
    else if (n == 0 && (remote == null || remote.sendsVideo())) reason = "no video frames received";
    else if (audio == 0 && (remote == null || remote.sendsAudio())) reason = "no audio packets received";
    else if (ping.failure() != null) reason = "data channel \"ping\" failed: " + ping.failure().getMessage();
    else if (!ping.opened()) reason = "data channel \"ping\" never opened";
    else if (ping.medianEchoMs() < 0) reason = "no data channel echo came back";
    else if (remote == null) reason = "the other peer sent no report of what it received"
        + (endReason != null ? " (call ended: " + endReason + ")" : "");
    else if (remote.frames() == 0 && media().video().kind() != VideoSource.Kind.NONE) {
      reason = "the other peer received no video";
    } else if (remote.audioPackets() == 0 && media().audio().kind() != AudioSource.Kind.NONE) {
      reason = "the other peer received no audio";
    }
    boolean ok = reason == null;
    return new PeerResult(s.peerId(), s.transport(), ok, connectedMs, firstFrameMs, n, fps, width, height, audio,
        st == null ? -1 : st.rttMs(),
        st == null ? null : st.localCandidateType(), st == null ? null : st.remoteCandidateType(),
        st == null ? null : st.candidateProtocol(), ping.medianEchoMs(), reason,
        ok ? ExitCodes.OK : endReason == EndReason.ICE_FAILED ? ExitCodes.ICE_FAILED : ExitCodes.NOT_OK);
  }

  /** The call ended before it was connected: say why, with the exit code for that kind of failure. */
  private PeerResult failure() {
    EndReason r = endReason;
    CallException e = endError;
    String detail = e != null && e.getMessage() != null ? e.getMessage() : null;
    String reason;
    int code;
    if (r == EndReason.SIGNALING_FAILED) {
      code = ExitCodes.SIGNALING;
      boolean refused = detail != null && detail.toLowerCase().matches("(?s).*(unauthori[sz]ed|401|403|token).*");
      reason = refused ? "signaling server refused the join: " + detail
          : "signaling failed at " + Uris.redact(s.signaling()) + (detail != null ? ": " + detail : "");
    } else if (r == EndReason.ICE_FAILED) {
      code = ExitCodes.ICE_FAILED;
      reason = detail != null ? detail : "no route: try a TURN server";
    } else {
      code = ExitCodes.NO_CALL;
      reason = "call ended before connecting: " + r + (detail != null ? ": " + detail : "");
    }
    return PeerResult.failed(s.peerId(), s.transport(), reason, code);
  }

  private static boolean await(CountDownLatch latch, Duration d) throws InterruptedException {
    return latch.await(d.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }

  /** Runs on the client's callback executor, one callback at a time. */
  private final class Events extends CallSession.Listener {
    /** Also prints "remote video stalled" and "remote video resumed after N ms": the SDK reports them as progress too. */
    @Override
    public void onProgress(CallSession session, String step) {
      console.progress(s.peerId(), step);
    }

    @Override
    public void onJoined(CallSession session, Set<String> peers) {
      if (s.callee() != null && peers.contains(s.callee())) calleeHere.countDown();
      joined.countDown();
    }

    @Override
    public void onPeerJoined(CallSession session, String peer) {
      console.progress(s.peerId(), peer + " joined the room");
      if (peer.equals(s.callee())) calleeHere.countDown();
    }

    @Override
    public void onIncomingCall(CallSession session, IncomingCall call) {
      startNs = System.nanoTime();
    }

    @Override
    public void onPeerLeft(CallSession session, String peer) {
      console.progress(s.peerId(), peer + " left the room");
    }

    @Override
    public void onStateChanged(CallSession session, CallState state) {
      if (state == CallState.CONNECTED && connected.getCount() > 0) {
        connectedNs = System.nanoTime();
        connected.countDown();
      }
    }

    @Override
    public void onDataChannel(CallSession session, DataChannel ch) {
      if (PingProtocol.LABEL.equals(ch.label())) ping.attach(ch);
    }

    @Override
    public void onStats(CallSession session, CallStats stats) {
      CallRecorder r = recorder;
      if (r != null && r.failure() != null && !recordingFailureShown) {
        recordingFailureShown = true;
        console.progress(s.peerId(), "recording into " + recordDir + " failed: " + r.failure() + "; the call goes on");
      }
      lastStats = stats;
      console.status(s.peerId(), console.isLive() ? StatsText.compact(stats) : StatsText.of(session.state().toString(), stats));
    }

    @Override
    public void onSignalingReconnected(CallSession session) {
      console.progress(s.peerId(), "signaling reconnected");
    }

    @Override
    public void onEnded(CallSession session, EndReason reason, CallException error) {
      endReason = reason;
      endError = error;
      console.endStatus(s.peerId());
      if (reason != EndReason.CLIENT_CLOSED) { // CLIENT_CLOSED: we gave up ourselves and say why in RESULT
        console.progress(s.peerId(), "call ended: " + reason + (error != null ? " (" + error.getMessage() + ")" : ""));
      }
      joined.countDown();
      calleeHere.countDown();
      connected.countDown();
      ended.countDown();
    }
  }
}
