package dev.simplecall.samples;

import dev.simplecall.AudioSource;
import dev.simplecall.CallClient;
import dev.simplecall.CallSession;
import dev.simplecall.InMemorySignaling;
import dev.simplecall.MediaOptions;
import dev.simplecall.SessionOptions;
import dev.simplecall.VideoSource;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The app draws its own video and reads the other side's frames: alice paints frames with Java2D
 * (a full-screen colour that goes red, green, blue, one second each) and pushes them; bob looks at
 * the centre pixel of every frame he receives and reports which colours he saw.
 * <pre>{@code
 * java -cp 'samples/target/lib/*:samples/target/classes' dev.simplecall.samples.CustomFramesSample
 * }</pre>
 */
public final class CustomFramesSample {
  private static final Color[] COLOURS = {Color.RED, Color.GREEN, Color.BLUE};
  private static final String[] NAMES = {"red", "green", "blue"};

  public static void main(String[] args) throws Exception {
    InMemorySignaling hub = new InMemorySignaling();
    URI signaling = URI.create("memory://frames");
    ScheduledExecutorService painter = Executors.newSingleThreadScheduledExecutor();
    try (CallClient client = CallClient.builder().addTransportFactory(hub.transportFactory()).build()) {

      // bob receives: which colour is in the middle of each frame?
      Set<String> seen = new ConcurrentSkipListSet<>();
      CountDownLatch allThree = new CountDownLatch(1);
      CountDownLatch bobJoined = new CountDownLatch(1);
      CallSession bob = client.newSession(
          SessionOptions.builder().signaling(signaling).room("frames").peerId("bob")
              .media(MediaOptions.builder().video(VideoSource.none()).audio(AudioSource.none()).build()).build(),
          new CallSession.Listener() {
            @Override
            public void onJoined(CallSession s, Set<String> peers) {
              bobJoined.countDown();
            }
          });
      bob.addRemoteVideoSink(frame -> {
        BufferedImage img = frame.toBufferedImage();
        String colour = dominant(img.getRGB(img.getWidth() / 2, img.getHeight() / 2));
        if (colour != null && seen.add(colour)) System.out.println("bob sees " + colour);
        if (seen.size() == 3) allThree.countDown();
      });
      bob.start();
      if (!bobJoined.await(10, TimeUnit.SECONDS)) throw new IllegalStateException("bob could not join");

      // alice sends: frames painted by the app, 15 per second
      CallSession alice = client.newSession(
          SessionOptions.builder().signaling(signaling).room("frames").peerId("alice")
              .media(MediaOptions.builder().video(VideoSource.appFrames(320, 240, 15)).audio(AudioSource.none()).build())
              .build(),
          new CallSession.Listener() {});
      long start = System.nanoTime();
      BufferedImage canvas = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
      painter.scheduleAtFixedRate(() -> {
        try {
          int second = (int) ((System.nanoTime() - start) / 1_000_000_000L);
          Graphics2D g = canvas.createGraphics();
          g.setColor(COLOURS[second % 3]);
          g.fillRect(0, 0, 320, 240);
          g.dispose();
          if (alice.appVideo() != null) alice.appVideo().push(canvas);
        } catch (RuntimeException e) {
          System.err.println("push failed: " + e);
        }
      }, 0, 1000 / 15, TimeUnit.MILLISECONDS);
      alice.call("bob");

      boolean ok = allThree.await(30, TimeUnit.SECONDS);
      painter.shutdownNow();
      alice.hangUp();
      alice.close();
      bob.close();
      if (!ok) throw new IllegalStateException("bob saw only " + seen + " within 30 s, expected red, green and blue");
      System.out.println("bob saw every colour alice painted: " + seen);
    } finally {
      painter.shutdownNow();
    }
  }

  /** The colour name when one channel clearly dominates (video coding blurs exact values). */
  private static String dominant(int rgb) {
    int r = (rgb >> 16) & 0xff;
    int g = (rgb >> 8) & 0xff;
    int b = rgb & 0xff;
    int[] c = {r, g, b};
    for (int i = 0; i < 3; i++) {
      if (c[i] > 150 && c[(i + 1) % 3] < 100 && c[(i + 2) % 3] < 100) return NAMES[i];
    }
    return null;
  }
}
