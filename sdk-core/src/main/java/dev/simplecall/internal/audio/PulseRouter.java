package dev.simplecall.internal.audio;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts this process's PulseAudio streams on the devices the app chose, and mutes the playout
 * stream when the app asked for no speaker.
 *
 * <p>Why: webrtc-java 0.14.0 cannot pick a PulseAudio device. {@code setRecordingDevice} and
 * {@code setPlayoutDevice} look the device up by its descriptor (GUID), but libwebrtc's PulseAudio
 * module reports an empty GUID for every device, so the lookup always matches index 0, the
 * default (JNI_AudioDeviceModuleBase.cpp, {@code devGuid == std::string(guid)}). Measured: asking
 * for {@code bob_microphone} records from the default {@code alice_mic}. So the module opens its
 * streams on the defaults ("recStream", "playStream") and this class moves them with
 * {@code pactl move-source-output} / {@code move-sink-input} as soon as {@code pactl subscribe}
 * reports them, and again when the app switches devices mid-call. The defaults of the sound server
 * are never changed. A stream may play or record on the default device for the few milliseconds
 * before it is moved.
 *
 * <p>Streams are recognised by {@code application.process.id}: with two device engines in one
 * process both follow the latest settings (logged).
 *
 * <p>Threading: public methods from any thread; all pactl work runs on one daemon thread.
 */
final class PulseRouter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PulseRouter.class);
  private static final AtomicInteger ACTIVE = new AtomicInteger();
  private static final String PID = Long.toString(ProcessHandle.current().pid());

  private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "simplecall-pulse-router");
    t.setDaemon(true);
    return t;
  });
  private final Process subscribe;
  // Worker thread only:
  private final Map<Long, String> recPlaced = new HashMap<>();
  private final Map<Long, String> playPlaced = new HashMap<>();
  // Written from any thread, read on the worker:
  private volatile String source;
  private volatile String sink;
  private volatile boolean playMuted;
  private volatile boolean closed;

  PulseRouter(String source, String sink, boolean playMuted) throws IOException {
    this.source = source;
    this.sink = sink;
    this.playMuted = playMuted;
    if (ACTIVE.incrementAndGet() > 1) {
      log.warn("two sound-server audio engines in one process: both follow the latest device choice");
    }
    try {
      subscribe = new ProcessBuilder("pactl", "subscribe").redirectErrorStream(true).start();
    } catch (IOException e) {
      ACTIVE.decrementAndGet();
      throw new IOException("choosing audio devices needs pactl (Debian package " + Pactl.PACKAGE + "): " + e.getMessage(), e);
    }
    subscribe.getOutputStream().close();
    Thread reader = new Thread(this::readEvents, "simplecall-pulse-events");
    reader.setDaemon(true);
    reader.start();
    worker.execute(this::reconcile);
  }

  void setSource(String source) {
    this.source = source;
    worker.execute(this::reconcile);
  }

  void setSink(String sink, boolean muted) {
    this.sink = sink;
    this.playMuted = muted;
    worker.execute(this::reconcile);
  }

  /** Waits until the work queued so far has run (tests, and device switches that must be done). */
  void sync() {
    try {
      worker.submit(() -> {}).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.debug("router sync: {}", e.toString());
    }
  }

  private void readEvents() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(subscribe.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("Event 'new' on source-output") || line.startsWith("Event 'new' on sink-input")) {
          if (!closed) worker.execute(this::reconcile);
        }
      }
    } catch (IOException e) {
      if (!closed) log.warn("pactl subscribe stopped: {}", e.toString());
    } catch (RuntimeException e) {
      // executor shut down while closing
    }
  }

  /**
   * Moves and mutes our streams as the settings say; idempotent. A stream already on its device is
   * not moved: a move stalls the stream for 0.5-2.5 s (measured on null sinks). Worker thread only.
   */
  private void reconcile() {
    if (closed) return;
    try {
      String src = source;
      List<Map<String, Object>> recs = ours("source-outputs", "recStream");
      Map<String, String> sourceIndex = recs.isEmpty() || src == null ? Map.of() : indexByName("sources");
      for (Map<String, Object> o : recs) {
        long idx = Long.parseLong(Pactl.str(o, "index"));
        if (src == null || src.equals(recPlaced.get(idx))) continue;
        if (!String.valueOf(Pactl.str(o, "source")).equals(sourceIndex.get(src))) {
          Pactl.run("move-source-output", Long.toString(idx), src);
          log.info("audio: capture stream #{} moved to {}", idx, src);
        } else {
          log.info("audio: capture stream #{} already on {}", idx, src);
        }
        recPlaced.put(idx, src);
      }
      String snk = sink;
      String want = snk + (playMuted ? "/muted" : "/on");
      List<Map<String, Object>> plays = ours("sink-inputs", "playStream");
      Map<String, String> sinkIndex = plays.isEmpty() || snk == null ? Map.of() : indexByName("sinks");
      for (Map<String, Object> o : plays) {
        long idx = Long.parseLong(Pactl.str(o, "index"));
        if (want.equals(playPlaced.get(idx))) continue;
        if (snk != null && !String.valueOf(Pactl.str(o, "sink")).equals(sinkIndex.get(snk))) {
          Pactl.run("move-sink-input", Long.toString(idx), snk);
        }
        Pactl.run("set-sink-input-mute", Long.toString(idx), playMuted ? "1" : "0");
        playPlaced.put(idx, want);
        log.info("audio: playout stream #{} on {}{}", idx, snk == null ? "the default speaker" : snk, playMuted ? ", muted" : "");
      }
    } catch (IOException | RuntimeException e) {
      log.warn("audio: routing streams failed: {}", e.getMessage());
    }
  }

  /** Device name to its index (as a string, the way pactl's JSON gives stream fields). */
  private static Map<String, String> indexByName(String what) throws IOException {
    Map<String, String> out = new HashMap<>();
    for (Map<String, Object> m : Pactl.listJson(what)) out.put(Pactl.str(m, "name"), Pactl.str(m, "index"));
    return out;
  }

  private static List<Map<String, Object>> ours(String what, String mediaName) throws IOException {
    return Pactl.listJson(what).stream()
        .filter(m -> PID.equals(Pactl.property(m, "application.process.id")))
        .filter(m -> mediaName.equals(Pactl.property(m, "media.name")))
        .toList();
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    ACTIVE.decrementAndGet();
    subscribe.destroy();
    worker.shutdown();
  }
}
