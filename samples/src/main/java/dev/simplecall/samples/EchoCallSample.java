package dev.simplecall.samples;

import dev.simplecall.AudioSource;
import dev.simplecall.CallClient;
import dev.simplecall.CallSession;
import dev.simplecall.InMemorySignaling;
import dev.simplecall.MediaOptions;
import dev.simplecall.SessionOptions;
import dev.simplecall.VideoSource;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An echo call in one process: alice sends a moving test pattern to bob, and bob sends every frame
 * he receives straight back as his own video. Alice watches her own pattern come back.
 * Signaling is in-memory, so nothing needs to run besides this class:
 * <pre>{@code
 * ./simplecall-sample EchoCallSample      (or: java -cp 'samples/target/lib/*:samples/target/classes' dev.simplecall.samples.EchoCallSample)
 * }</pre>
 */
public final class EchoCallSample {
  public static void main(String[] args) throws Exception {
    InMemorySignaling hub = new InMemorySignaling();
    URI signaling = URI.create("memory://echo");
    ExecutorService pusher = Executors.newSingleThreadExecutor();
    try (CallClient client = CallClient.builder().addTransportFactory(hub.transportFactory()).build()) {

      // bob, the echo: his camera is "frames the app pushes", and the app pushes alice's frames
      MediaOptions echoMedia = MediaOptions.builder()
          .video(VideoSource.appFrames(640, 480, 30)).audio(AudioSource.tone(660)).build();
      CountDownLatch bobJoined = new CountDownLatch(1);
      CallSession bob = client.newSession(
          SessionOptions.builder().signaling(signaling).room("echo").peerId("bob").media(echoMedia).build(),
          new CallSession.Listener() {
            @Override
            public void onJoined(CallSession s, Set<String> peers) {
              bobJoined.countDown();
            }
          });
      bob.addRemoteVideoSink(frame -> {
        int[] argb = frame.toArgb();          // copy now: the frame is only valid during this callback
        int w = frame.width();
        int h = frame.height();
        pusher.execute(() -> bob.appVideo().pushArgb(argb, w, h));
      });
      bob.start();
      if (!bobJoined.await(10, TimeUnit.SECONDS)) throw new IllegalStateException("bob could not join");

      // alice: a test pattern and a tone; counts the frames that come back
      MediaOptions aliceMedia = MediaOptions.builder()
          .video(VideoSource.testPattern(640, 480, 30)).audio(AudioSource.tone(440)).build();
      AtomicLong echoed = new AtomicLong();
      CountDownLatch enough = new CountDownLatch(60);
      CallSession alice = client.newSession(
          SessionOptions.builder().signaling(signaling).room("echo").peerId("alice").media(aliceMedia).build(),
          new CallSession.Listener() {
            @Override
            public void onProgress(CallSession s, String step) {
              System.out.println("alice: " + step);
            }
          });
      alice.addRemoteVideoSink(frame -> {
        echoed.incrementAndGet();
        enough.countDown();
      });
      alice.call("bob");

      boolean ok = enough.await(30, TimeUnit.SECONDS);
      alice.hangUp();
      alice.close();
      bob.close();
      if (!ok) throw new IllegalStateException("only " + echoed.get() + " echoed frames came back within 30 s");
      System.out.println("alice saw her own video come back: " + echoed.get() + " echoed frames");
    } finally {
      pusher.shutdownNow();
    }
  }
}
