package dev.simplecall.samples;

import dev.simplecall.AudioSource;
import dev.simplecall.CallClient;
import dev.simplecall.CallSession;
import dev.simplecall.CallState;
import dev.simplecall.CallStats;
import dev.simplecall.MediaOptions;
import dev.simplecall.SessionOptions;
import dev.simplecall.VideoSource;
import dev.simplecall.server.mqtt.EmbeddedBroker;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A call signalled over MQTT only, no signaling server: both peers talk to a broker. Pass your
 * broker's URI ({@code mqtt://127.0.0.1:1883}, e.g. a local mosquitto) or nothing to start an
 * embedded broker on a free loopback port.
 * <pre>{@code
 * java -cp 'samples/target/lib/*:samples/target/classes' dev.simplecall.samples.MqttSignalingSample mqtt://127.0.0.1:1883
 * }</pre>
 */
public final class MqttSignalingSample {
  public static void main(String[] args) throws Exception {
    EmbeddedBroker broker = null;
    URI signaling;
    if (args.length > 0) {
      signaling = URI.create(args[0]);
    } else {
      broker = EmbeddedBroker.start("127.0.0.1", 0);
      signaling = URI.create("mqtt://127.0.0.1:" + broker.port());
      System.out.println("started an embedded MQTT broker at " + signaling);
    }
    MediaOptions media = MediaOptions.builder()
        .video(VideoSource.testPattern(640, 480, 30)).audio(AudioSource.tone(440)).build();
    // the mqtt:// scheme picks the MQTT transport, found on the classpath by ServiceLoader
    try (CallClient client = CallClient.builder().media(media).build()) {
      CountDownLatch bobJoined = new CountDownLatch(1);
      CallSession bob = client.newSession(
          SessionOptions.builder().signaling(signaling).room("mqtt-demo").peerId("bob").build(),
          new CallSession.Listener() {
            @Override
            public void onJoined(CallSession s, Set<String> peers) {
              bobJoined.countDown();
            }
          });
      bob.start();
      if (!bobJoined.await(15, TimeUnit.SECONDS)) throw new IllegalStateException("bob could not reach " + signaling);

      CountDownLatch connected = new CountDownLatch(1);
      CountDownLatch firstFrame = new CountDownLatch(1);
      CallSession alice = client.newSession(
          SessionOptions.builder().signaling(signaling).room("mqtt-demo").peerId("alice").build(),
          new CallSession.Listener() {
            @Override
            public void onProgress(CallSession s, String step) {
              System.out.println("alice: " + step);
            }

            @Override
            public void onStateChanged(CallSession s, CallState state) {
              if (state == CallState.CONNECTED) connected.countDown();
            }

            @Override
            public void onFirstRemoteFrame(CallSession s) {
              firstFrame.countDown();
            }
          });
      alice.call("bob");
      if (!connected.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("the call did not connect");
      if (!firstFrame.await(10, TimeUnit.SECONDS)) throw new IllegalStateException("no video from bob");
      CallStats stats = alice.stats().get(5, TimeUnit.SECONDS);
      System.out.printf("connected over MQTT signaling: %dx%d, %s candidates, connect %d ms, first frame %d ms%n",
          stats.width(), stats.height(), stats.localCandidateType(), stats.connectMs(), stats.firstFrameMs());
      alice.hangUp();
      alice.close();
      bob.close();
    } finally {
      if (broker != null) broker.close();
    }
  }
}
