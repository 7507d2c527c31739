package dev.simplecall.server.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.simplecall.protocol.Envelope;
import dev.simplecall.protocol.EnvelopeCodec;
import dev.simplecall.protocol.MqttNames;
import dev.simplecall.spi.support.NoDelaySocketFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * A well-behaved call running through the bridge beside the hostile MQTT corpus: {@code device}, an MQTT
 * peer with presence on the broker, and {@code browser}, a WebSocket peer on the server, in room {@code
 * call-mqtt}. The device publishes a numbered offer to the browser; once it arrived the browser sends a
 * numbered answer back, and once that arrived the next offer goes. Each must arrive in order and
 * unchanged (with the sender and room the bridge stamps); {@link #stop} throws the first that did not.
 * Latencies are publish to WebSocket receipt and WebSocket send to MQTT receipt.
 */
final class MqttHealthyPair implements AutoCloseable {
  static final String ROOM = "call-mqtt";
  static final String DEVICE = "device";
  static final String BROWSER = "browser";

  private final RawMqtt device;
  private final MqttBridgeTest.RawWsPeer browser = new MqttBridgeTest.RawWsPeer();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final List<Long> toBrowserNanos = new ArrayList<>();
  private final List<Long> toDeviceNanos = new ArrayList<>();
  private final Thread loop;
  private int sent;

  MqttHealthyPair(OkHttpClient http, int serverPort, int brokerPort) throws Exception {
    browser.ws = http.newWebSocket(new Request.Builder().url("ws://127.0.0.1:" + serverPort + "/v1/ws").build(), browser);
    browser.ws.send(EnvelopeCodec.encode(new Envelope.Join("hj", ROOM, BROWSER, null)));
    browser.next(Envelope.Welcome.class);
    org.eclipse.paho.client.mqttv3.MqttConnectOptions o = RawMqtt.options(null, null, true);
    o.setSocketFactory(NoDelaySocketFactory.INSTANCE); // as the SDK's transport: Paho with Nagle waits ~40 ms per publish
    device = RawMqtt.connect("tcp://127.0.0.1:" + brokerPort, "healthy-" + DEVICE, o);
    device.subscribe(MqttNames.inboxFilter(ROOM, DEVICE));
    device.publish(MqttNames.presenceTopic(ROOM, DEVICE), "{\"state\":\"online\"}", true);
    assertEquals(DEVICE, browser.next(Envelope.PeerJoined.class).peer());
    loop = new Thread(this::run, "healthy-mqtt-pair");
    loop.start();
  }

  private void run() {
    try {
      String toBrowser = MqttNames.messageTopic(ROOM, BROWSER, DEVICE);
      String toDevice = MqttNames.messageTopic(ROOM, DEVICE, BROWSER);
      while (running.get()) {
        int n = sent;
        Envelope.Offer offer = new Envelope.Offer("h" + n, ROOM, DEVICE, BROWSER, "v=0 n=" + n);
        long t0 = System.nanoTime();
        device.client.publish(toBrowser, EnvelopeCodec.encode(offer).getBytes(StandardCharsets.UTF_8), 1, false);
        String text = browser.frames.poll(10, TimeUnit.SECONDS);
        long t1 = System.nanoTime();
        assertNotNull(text, "healthy offer " + n + " lost");
        assertEquals(offer, EnvelopeCodec.decode(text), "healthy offer " + n);
        toBrowserNanos.add(t1 - t0);

        Envelope.Answer answer = new Envelope.Answer("k" + n, ROOM, BROWSER, DEVICE, "v=0 k=" + n);
        long t2 = System.nanoTime();
        browser.ws.send(EnvelopeCodec.encode(answer));
        String got = device.received.poll(10, TimeUnit.SECONDS);
        long t3 = System.nanoTime();
        assertNotNull(got, "healthy answer " + n + " lost");
        assertEquals(toDevice, got.substring(0, got.indexOf(' ')), "healthy answer " + n);
        assertEquals(answer, EnvelopeCodec.decode(got.substring(got.indexOf(' ') + 1)), "healthy answer " + n);
        toDeviceNanos.add(t3 - t2);
        sent = n + 1;
      }
    } catch (Throwable t) {
      failure.compareAndSet(null, t);
    }
  }

  /** Stops, checks that nothing more arrived on either side, and returns the figures. */
  Stats stop() throws Throwable {
    running.set(false);
    loop.join(TimeUnit.SECONDS.toMillis(30));
    if (failure.get() != null) throw failure.get();
    assertNull(browser.frames.poll(), "the browser got an extra frame");
    assertNull(device.received.poll(), "the device got an extra message");
    return new Stats(sent, percentile(toBrowserNanos, 0.5), percentile(toBrowserNanos, 0.99),
        percentile(toDeviceNanos, 0.5), percentile(toDeviceNanos, 0.99));
  }

  private static long percentile(List<Long> nanos, double p) {
    long[] sorted = nanos.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(sorted);
    return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * p) - 1)];
  }

  /** Offers relayed device to browser and answers browser to device, with relay latencies in nanoseconds. */
  record Stats(int exchanges, long toBrowserP50, long toBrowserP99, long toDeviceP50, long toDeviceP99) {
    @Override
    public String toString() {
      return String.format("healthy %d offers MQTT->WS + %d answers WS->MQTT, all in order, relay p50/p99 MQTT->WS %.2f/%.2f ms,"
          + " WS->MQTT %.2f/%.2f ms", exchanges, exchanges, toBrowserP50 / 1e6, toBrowserP99 / 1e6, toDeviceP50 / 1e6,
          toDeviceP99 / 1e6);
    }
  }

  @Override
  public void close() {
    running.set(false);
    try {
      device.disconnect(); // a clean DISCONNECT is quick; RawMqtt.close alone waits a second for a forced one
    } catch (Exception e) {
      // already gone: close() below still releases the client
    }
    device.close();
    browser.ws.cancel();
  }
}
