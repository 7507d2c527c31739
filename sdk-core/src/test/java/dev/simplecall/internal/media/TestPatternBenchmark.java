package dev.simplecall.internal.media;

import java.nio.ByteBuffer;

/**
 * What drawing one test-pattern frame costs (the sender's share of a pattern call), in microseconds per
 * frame and in percent of one core at 30 fps. A benchmark, not a test:
 * <pre>
 * mvn -B -q -pl sdk-core -am test-compile -Dmaven.javadoc.skip=true
 * java -cp sdk-core/target/classes:sdk-core/target/test-classes dev.simplecall.internal.media.TestPatternBenchmark
 * </pre>
 */
public final class TestPatternBenchmark {
  private TestPatternBenchmark() {}

  public static void main(String[] args) {
    for (int[] size : new int[][] {{320, 240}, {640, 480}, {1280, 720}}) {
      int w = size[0], h = size[1], cw = (w + 1) / 2, ch = (h + 1) / 2;
      ByteBuffer y = ByteBuffer.allocateDirect(w * h);
      ByteBuffer u = ByteBuffer.allocateDirect(cw * ch);
      ByteBuffer v = ByteBuffer.allocateDirect(cw * ch);
      for (int i = 0; i < 300; i++) TestPattern.draw(i, w, h, y, w, u, cw, v, cw); // warm-up
      int frames = 600;
      long t0 = System.nanoTime();
      for (int i = 0; i < frames; i++) TestPattern.draw(i, w, h, y, w, u, cw, v, cw);
      double us = (System.nanoTime() - t0) / 1e3 / frames;
      System.out.printf("pattern %dx%d: %.0f us/frame, %.1f %% of a core at 30 fps%n", w, h, us, us * 30 / 1e4);
    }
  }
}
