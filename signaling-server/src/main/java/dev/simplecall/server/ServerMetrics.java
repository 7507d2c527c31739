package dev.simplecall.server;

import io.javalin.http.Context;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * {@code GET /metrics}: the server's counters and gauges in the Prometheus text format (0.0.4). Off
 * unless addresses may read it ({@code --metrics-from}); a request from any other client address (as
 * {@link TrustedProxies} resolves it) gets 404, as if there were no such path. The values are read when
 * asked for; nothing is kept.
 */
final class ServerMetrics {
  private record Family(String name, String type, String help, List<Sample> samples) {}

  private record Sample(String labels, LongSupplier value) {}

  /** One sample of a labelled counter: the label's value and where the count comes from. */
  record Labelled(String value, LongSupplier count) {}

  private final List<Family> families = new ArrayList<>();
  private final AddressRanges readers;
  private final TrustedProxies proxies;

  ServerMetrics(AddressRanges readers, TrustedProxies proxies) {
    this.readers = readers;
    this.proxies = proxies;
  }

  ServerMetrics gauge(String name, String help, LongSupplier value) {
    families.add(new Family(name, "gauge", help, List.of(new Sample("", value))));
    return this;
  }

  ServerMetrics counter(String name, String help, LongSupplier value) {
    families.add(new Family(name, "counter", help, List.of(new Sample("", value))));
    return this;
  }

  /** A counter with one sample per value of {@code label}. */
  ServerMetrics counter(String name, String help, String label, List<Labelled> values) {
    List<Sample> samples = new ArrayList<>();
    for (Labelled v : values) samples.add(new Sample("{" + label + "=\"" + v.value() + "\"}", v.count()));
    families.add(new Family(name, "counter", help, List.copyOf(samples)));
    return this;
  }

  /** The exposition text, one {@code # HELP} and {@code # TYPE} line per family. */
  String render() {
    StringBuilder b = new StringBuilder(1024);
    for (Family f : families) {
      b.append("# HELP ").append(f.name()).append(' ').append(f.help()).append('\n');
      b.append("# TYPE ").append(f.name()).append(' ').append(f.type()).append('\n');
      for (Sample s : f.samples()) {
        b.append(f.name()).append(s.labels()).append(' ').append(s.value().getAsLong()).append('\n');
      }
    }
    return b.toString();
  }

  void handle(Context ctx) {
    InetAddress client = proxies.client(ctx.req());
    if (!readers.contains(client)) {
      ctx.status(404).contentType("text/plain").result("Not Found");
      return;
    }
    ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(render());
  }
}
