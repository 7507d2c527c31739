package dev.simplecall.samples.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.onvoid.webrtc.logging.Logging;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.LoggerFactory;

/**
 * {@code --verbose[=debug|trace|webrtc,...]}: raises log levels (logback.xml keeps everything at WARN
 * by default) and with {@code webrtc} routes libwebrtc's own log through SLF4J logger {@code webrtc}.
 */
public final class Verbosity {
  private static boolean nativeSinkInstalled;

  private Verbosity() {}

  /** Applies a comma-separated list of {@code debug}, {@code trace}, {@code webrtc}. */
  public static synchronized void apply(String spec) {
    if (spec == null || spec.isBlank()) return;
    Set<String> words = new TreeSet<>();
    for (String w : spec.toLowerCase(Locale.ROOT).split("[,\\s]+")) {
      if (w.isEmpty()) continue;
      if (!Set.of("debug", "trace", "webrtc", "true").contains(w)) {
        throw new CliException(ExitCodes.USAGE, "--verbose takes debug, trace or webrtc (comma separated): \"" + spec + "\"");
      }
      words.add(w);
    }
    boolean trace = words.contains("trace");
    level("dev.simplecall", trace ? Level.TRACE : Level.DEBUG);
    level(Logger.ROOT_LOGGER_NAME, trace ? Level.DEBUG : Level.INFO);
    if (words.contains("webrtc")) routeNativeLogs(trace);
  }

  private static void level(String logger, Level level) {
    org.slf4j.Logger l = LoggerFactory.getLogger(logger);
    if (l instanceof Logger) ((Logger) l).setLevel(level);
  }

  /** libwebrtc calls the sink on its own threads: nothing may be thrown back into native code. */
  private static void routeNativeLogs(boolean trace) {
    if (nativeSinkInstalled) return;
    org.slf4j.Logger log = LoggerFactory.getLogger("webrtc");
    level("webrtc", Level.DEBUG);
    try {
      Logging.addLogSink(trace ? Logging.Severity.VERBOSE : Logging.Severity.INFO, (severity, message) -> {
        try {
          String m = message == null ? "" : message.stripTrailing();
          if (severity == Logging.Severity.ERROR) log.error(m);
          else if (severity == Logging.Severity.WARNING) log.warn(m);
          else if (severity == Logging.Severity.INFO) log.info(m);
          else log.debug(m);
        } catch (Throwable ignored) {
          // never let anything reach libwebrtc's thread
        }
      });
      nativeSinkInstalled = true;
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      throw new CliException(ExitCodes.INTERNAL, "cannot route native WebRTC logs: " + e);
    }
  }
}
