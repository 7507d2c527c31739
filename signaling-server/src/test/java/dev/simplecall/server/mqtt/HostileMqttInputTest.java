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

  @AfterEach
  void stop() {
    if (bridge != null) bridge.close();
    if (server != null) server.close();
    if (broker != null) broker.close();
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  @Test
  @Timeout(value = 14, unit = TimeUnit.MINUTES) // 10,000 cases take minutes; the fork's own bound is 15
  void everyHostilePublishGetsItsDocumentedAnswerWhileACallGoesOnThroughTheBridge() throws Throwable {
    broker = EmbeddedBroker.start("127.0.0.1", 0);
    // the browser of the healthy call answers faster than the default per-connection rate limit allows
    server = SignalingServer.builder().port(0).rateLimit(1_000_000, 1_000_000).build().start();
    bridge = MqttBridge.start(server, broker);
    ServerErrors errors = ServerErrors.attach();
    BridgeLog bridgeLog = BridgeLog.attach();
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
      assertEquals(List.of(), bridgeLog.warnings(), "the bridge warned (it lost or failed the broker)");
    } finally {
      bridgeLog.detach();
      errors.detach();
    }
  }

  /**
   * What MqttBridge logs, counted by level and kept off the console: it logs each message it drops at
   * INFO, and a corpus drops thousands. WARN and above are kept in full.
   */
  private static final class BridgeLog extends AppenderBase<ILoggingEvent> {
    private final Map<String, Integer> levels = new TreeMap<>();
    private final List<String> warnings = new ArrayList<>();

    static BridgeLog attach() {
      BridgeLog l = new BridgeLog();
      l.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
      l.start();
      Logger bridge = (Logger) LoggerFactory.getLogger(MqttBridge.class);
      bridge.addAppender(l);
      bridge.setAdditive(false);
      return l;
    }

    @Override
    protected synchronized void append(ILoggingEvent e) {
      levels.merge(e.getLevel().toString(), 1, Integer::sum);
      if (e.getLevel().isGreaterOrEqual(Level.WARN)) warnings.add(e.getLevel() + " " + e.getFormattedMessage());
    }

    synchronized Map<String, Integer> levels() {
      return new TreeMap<>(levels);
    }

    synchronized List<String> warnings() {
      return List.copyOf(warnings);
    }

    void detach() {
      Logger bridge = (Logger) LoggerFactory.getLogger(MqttBridge.class);
      bridge.setAdditive(true);
      bridge.detachAppender(this);
    }
  }
}
