package dev.simplecall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A short churn: 12 real calls set up and torn down in one client. Memory growth must stay
 * loosely bounded (the 100-call figures are in {@link ChurnBenchmark} and BENCHMARKS.md, "Churn").
 */
class ChurnTest {
  @Test
  void repeatedCallsKeepMemoryBounded() throws Exception {
    Churn churn = new Churn();
    churn.run(12, 11);
    assertEquals(12, churn.setupMs.size(), "every call connected");
    Churn.Sample first = churn.samples.get(0);
    Churn.Sample last = churn.samples.get(churn.samples.size() - 1);
    long heapGrowth = last.heapBytes() - first.heapBytes();
    long rssGrowth = last.rssBytes() - first.rssBytes();
    System.out.printf("churn 1..%d calls: heap %+d KiB, rss %+d KiB%n", last.calls(), heapGrowth / 1024, rssGrowth / 1024);
    // Leak guards above what this machine measures (heap after GC +15 to +19 KiB, RSS +27 to +48 MiB over
    // these 10 calls): a Java leak of 200 KiB per call, or native growth of twice today's most, fails.
    assertTrue(heapGrowth < 2L * 1024 * 1024, "heap grew " + heapGrowth / 1024 + " KiB over 10 calls");
    assertTrue(rssGrowth < 100L * 1024 * 1024, "rss grew " + rssGrowth / 1024 + " KiB over 10 calls");
  }
}
