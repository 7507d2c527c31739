package dev.simplecall;

import org.HdrHistogram.Histogram;

/**
 * 100 calls set up and torn down in one JVM, printing call-setup times and heap/RSS growth, for
 * one factory per call (default) or one shared by all calls ({@code -Dsimplecall.factory=shared}).
 * Not a test: run it with
 *
 * <pre>{@code
 * mvn -o -q -pl sdk-core test-compile
 * java -Xmx1g -cp "sdk-core/target/test-classes:sdk-core/target/classes:$(cat cp.txt)" \
 *     dev.simplecall.ChurnBenchmark 100
 * }</pre>
 * (cp.txt from {@code mvn -o -q -pl sdk-core dependency:build-classpath -Dmdep.outputFile=cp.txt}).
 */
public final class ChurnBenchmark {
  private ChurnBenchmark() {}

  public static void main(String[] args) throws Exception {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    String lifetime = "shared".equals(System.getProperty("simplecall.factory")) ? "shared" : "per-call";
    Churn churn = new Churn();
    long t0 = System.nanoTime();
    churn.run(calls, 10);
    long secs = (System.nanoTime() - t0) / 1_000_000_000L;
    Churn.Sample first = churn.samples.get(0);
    System.out.printf("factory=%s media=%s calls=%d wall=%ds%n", lifetime, System.getProperty("churn.media", "both"), calls, secs);
    for (Churn.Sample s : churn.samples) {
      System.out.printf("  after %3d calls: heap=%6.1f MiB rss=%6.1f MiB%n", s.calls(), s.heapBytes() / 1048576.0,
          s.rssBytes() / 1048576.0);
    }
    Churn.Sample last = churn.samples.get(churn.samples.size() - 1);
    int n = Math.max(1, last.calls() - first.calls());
    System.out.printf("growth from call 1 to call %d: heap %+.1f MiB (%+.1f KiB/call), rss %+.1f MiB (%+.1f KiB/call)%n",
        last.calls(), (last.heapBytes() - first.heapBytes()) / 1048576.0,
        (last.heapBytes() - first.heapBytes()) / 1024.0 / n,
        (last.rssBytes() - first.rssBytes()) / 1048576.0, (last.rssBytes() - first.rssBytes()) / 1024.0 / n);
    Histogram setup = Churn.histogram(churn.setupMs);
    System.out.printf("call setup (call -> CONNECTED) over in-memory signaling: median %d ms, p95 %d ms, max %d ms%n",
        setup.getValueAtPercentile(50), setup.getValueAtPercentile(95), setup.getMaxValue());
    if (!churn.firstFrameMs.isEmpty()) {
      Histogram firstFrame = Churn.histogram(churn.firstFrameMs);
      System.out.printf("first remote frame after call(): median %d ms, p95 %d ms%n",
          firstFrame.getValueAtPercentile(50), firstFrame.getValueAtPercentile(95));
    }
  }
}
