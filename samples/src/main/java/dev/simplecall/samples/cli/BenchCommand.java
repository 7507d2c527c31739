package dev.simplecall.samples.cli;

import dev.simplecall.samples.bench.CallSetupBenchmark;
import java.net.URI;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code simplecall bench}: call-setup time per transport, as recorded in BENCHMARKS.md. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
    header = "Measures call-setup time over each transport on loopback.",
    description = "Runs CALLS calls (plus two uncounted warm-up calls) between two fresh sessions per transport and "
        + "prints join time, call() to CONNECTED and call() to the first remote video frame (median and p95, ms). "
        + "websocket and http-poll use an embedded signaling server; mqtt uses --mqtt, or an embedded Moquette broker.")
public final class BenchCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--calls", defaultValue = "30", paramLabel = "N", description = "Counted calls per transport (default: ${DEFAULT-VALUE}).")
  int calls;

  @Option(names = "--transports", defaultValue = "memory,websocket,http-poll,mqtt", split = ",", paramLabel = "LIST",
      description = "Transports to measure (default: ${DEFAULT-VALUE}).")
  List<String> transports;

  @Option(names = "--mqtt", paramLabel = "URI", description = "An MQTT broker to use for the mqtt row, e.g. mqtt://127.0.0.1:1883.")
  URI mqtt;

  @Option(names = "--group-sizes", split = ",", paramLabel = "LIST",
      description = "Instead of call set-up: the CPU and bandwidth per member of a group call of each size (2 to 6), "
          + "all members in this JVM, e.g. 2,3,4,5,6.")
  List<Integer> groupSizes;

  @Option(names = "--processes",
      description = "With --group-sizes: each member a 'simplecall peer --group' process of its own instead of all in this JVM.")
  boolean processes;

  @Option(names = "--window", defaultValue = "10s", paramLabel = "TIME", converter = Converters.DurationConverter.class,
      description = "With --group-sizes: how long each size is measured once all are connected (default: ${DEFAULT-VALUE}).")
  java.time.Duration window;

  @Override
  public Integer call() throws Exception {
    common.apply();
    if (groupSizes != null) {
      for (int n : groupSizes) {
        System.out.println(processes ? dev.simplecall.samples.bench.GroupBenchmark.runProcesses(n, window)
            : dev.simplecall.samples.bench.GroupBenchmark.run(n, window));
      }
      return ExitCodes.OK;
    }
    for (String t : transports) {
      System.out.println(CallSetupBenchmark.run(t.trim(), calls, mqtt));
    }
    return ExitCodes.OK;
  }
}
