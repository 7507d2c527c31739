package dev.simplecall.server.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.simplecall.server.JvmFigures;
import dev.simplecall.server.ServerErrors;
import dev.simplecall.server.SignalingServer;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * The hostile-input corpus against the MQTT bridge: {@link MqttCorpus} publishes on the bridged topics of
 * an {@link EmbeddedBroker} (open, in this JVM) that an {@link MqttBridge} joins to a real
 * {@link SignalingServer}, while {@link MqttHealthyPair} keeps a call's signaling going through the same
 * bridge between an MQTT peer and a WebSocket peer. Every case must get its documented answer (nearly
 * always: nothing reaches anyone), every healthy message must arrive in order and unchanged, the bridge
 * must log no WARN (it warns only about losing or failing the broker) and the server no error.
 *
 * <p>{@code -Dcorpus.cases=N} cases (default 1,500), {@code -Dcorpus.seed=N} to replay; the seed is in
 * every failure message. The summary line goes to stdout. Full tier: about 10 s at the default size on
 * 2 cores.
 */
class HostileMqttInputTest {
  private static final long SEED = Long.getLong("corpus.seed", 20261207L);
  private static final int CASES = Integer.getInteger("corpus.cases", 1_500);

  private final OkHttpClient http = new OkHttpClient();
  private EmbeddedBroker broker;
  private SignalingServer server;
  private MqttBridge bridge;
  private BridgeLog bridgeLog;

  @AfterEach
  void stop() {
    if (bridgeLog != null) bridgeLog.detach();
    if (bridge != null) bridge.close();
    if (server != null) server.close();
    if (broker != null) broker.close();
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  @Test
  @Timeout(value = 14, unit = TimeUnit.MINUTES) // 10,000 cases take minutes; the fork's own bound is 15
  void everyHostilePublishGetsItsDocumentedAnswerWhileACallGoesOnThroughTheBridge() throws Throwable {
    // the bridge, and why the broker closed a connection (the guard says so at debug, Moquette at info)
    bridgeLog = BridgeLog.attach();
    broker = EmbeddedBroker.start("127.0.0.1", 0);
    // the browser of the healthy call answers faster than the default per-connection rate limit allows
    server = SignalingServer.builder().port(0).rateLimit(1_000_000, 1_000_000).build().start();
    bridge = MqttBridge.start(server, broker);
    ServerErrors errors = ServerErrors.attach();
    long heapBefore = JvmFigures.heapUsed();
    long rssBefore = JvmFigures.rssKib();
    long t0 = System.nanoTime();
    try (MqttHealthyPair healthy = new MqttHealthyPair(http, server.port(), broker.port());
        MqttCorpus corpus = new MqttCorpus(http, server.port(), broker.port(), SEED)) {
      for (int i = 0; i < CASES; i++) corpus.send(i);
      corpus.assertStillServed();
      MqttHealthyPair.Stats stats = healthy.stop();
      double seconds = (System.nanoTime() - t0) / 1e9;
      System.gc();
      System.out.printf("hostile mqtt input: seed %d, %.1f s; %d cases, %d publishes on the bridged topics (%d bursts;"
          + " %d relayable QoS 0 ones dropped by the broker), %d on fresh connections; crashes %d; bridge log %s; answers %s;"
          + " %s; heap used %d -> %d MiB, VmRSS %d -> %d MiB%n", SEED, seconds, corpus.sent, corpus.published, corpus.bursts,
          corpus.qos0Lost, corpus.fresh, errors.count(), bridgeLog.levels(), corpus.answers, stats, heapBefore >> 20,
          JvmFigures.heapUsed() >> 20,
          rssBefore >> 10, JvmFigures.rssKib() >> 10);
      assertEquals(List.of(), errors.events(), "errors logged by the server");
      assertEquals(List.of(), bridgeLog.warnings(), () -> "the bridge warned (it lost or failed the broker); the broker's and"
          + " the bridge's log around the first warning:\n" + String.join("\n", bridgeLog.aroundFirstWarning()));
    } finally {
      errors.detach();
    }
  }

  /**
   * What MqttBridge logs, counted by level, with the broker's own log (Moquette, the packet guard at
   * debug), all kept off the console: the bridge logs each message it drops at INFO, and a corpus drops
   * thousands. The bridge's WARN and above are kept in full, and the 60 events of all three before the
   * first of them and the 20 after it.
   */
  private static final class BridgeLog extends AppenderBase<ILoggingEvent> {
    private static final String BRIDGE = MqttBridge.class.getName();
    private static final List<String> LOGGERS = List.of(BRIDGE, PacketGuard.class.getName(), "io.moquette");
    private final Map<String, Level> levelsBefore = new TreeMap<>();
    private final Map<String, Integer> levels = new TreeMap<>();
    private final List<String> warnings = new ArrayList<>();
    private final ArrayDeque<String> recent = new ArrayDeque<>();
    private final List<String> around = new ArrayList<>();
    private int aroundLimit;

    static BridgeLog attach() {
      BridgeLog l = new BridgeLog();
      l.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
      l.start();
      for (String name : LOGGERS) {
        Logger logger = (Logger) LoggerFactory.getLogger(name);
        l.levelsBefore.put(name, logger.getLevel());
        logger.setLevel(name.equals(BRIDGE) ? Level.INFO : Level.DEBUG);
        logger.addAppender(l);
        logger.setAdditive(false);
      }
      return l;
    }

    @Override
    protected synchronized void append(ILoggingEvent e) {
      boolean bridge = e.getLoggerName().equals(BRIDGE);
      if (bridge) levels.merge(e.getLevel().toString(), 1, Integer::sum);
      String line = Instant.ofEpochMilli(e.getTimeStamp()) + " " + e.getLevel() + " [" + e.getThreadName() + "] "
          + e.getLoggerName() + " - " + e.getFormattedMessage();
      if (bridge && e.getLevel().isGreaterOrEqual(Level.WARN) && warnings.isEmpty()) {
        around.addAll(recent);
        around.add(line);
        aroundLimit = around.size() + 20;
      } else if (!warnings.isEmpty() && around.size() < aroundLimit) {
        around.add(line);
      }
      if (bridge && e.getLevel().isGreaterOrEqual(Level.WARN)) warnings.add(e.getLevel() + " " + e.getFormattedMessage());
      recent.addLast(line);
      if (recent.size() > 60) recent.removeFirst();
    }

    synchronized Map<String, Integer> levels() {
      return new TreeMap<>(levels);
    }

    synchronized List<String> warnings() {
      return List.copyOf(warnings);
    }

    synchronized List<String> aroundFirstWarning() {
      return List.copyOf(around);
    }

    void detach() {
      for (String name : LOGGERS) {
        Logger logger = (Logger) LoggerFactory.getLogger(name);
        logger.setAdditive(true);
        logger.setLevel(levelsBefore.get(name));
        logger.detachAppender(this);
      }
    }
  }
}
