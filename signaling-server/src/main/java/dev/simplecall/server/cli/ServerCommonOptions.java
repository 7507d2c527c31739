package dev.simplecall.server.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/** The server command's {@code --verbose} and {@code --config}, the options every simplecall command takes. */
public final class ServerCommonOptions {
  @Option(names = {"-v", "--verbose"}, arity = "0..1", fallbackValue = "debug", paramLabel = "WHAT",
      description = "Log details to stderr: debug (the default when given) or trace; comma separated like the"
          + " other commands' (webrtc changes nothing here: the server loads no native library).")
  String verbose;

  /** Read before parsing (by {@link ServerMain}, or the simplecall command); declared here for --help and validation. */
  @Option(names = "--config", paramLabel = "FILE",
      description = "Properties file with defaults for options (keys are option names, e.g. port=8443).")
  Path config;

  /** Applies {@code --verbose}; call first thing in the command. */
  public void apply() {
    if (verbose == null || verbose.isBlank()) return;
    boolean trace = false;
    for (String w : verbose.toLowerCase(Locale.ROOT).split("[,\\s]+")) {
      if (w.isEmpty()) continue;
      if (!Set.of("debug", "trace", "webrtc", "true").contains(w)) {
        throw new CommandException(ServerExitCodes.USAGE, "--verbose takes debug or trace (comma separated): \"" + verbose + "\"");
      }
      trace |= w.equals("trace");
    }
    level("dev.simplecall", trace ? "TRACE" : "DEBUG");
    level(org.slf4j.Logger.ROOT_LOGGER_NAME, trace ? "DEBUG" : "INFO");
  }

  /** Sets a level when logback is the SLF4J backend; with another backend its own configuration decides. */
  private static void level(String logger, String level) {
    try {
      org.slf4j.Logger l = LoggerFactory.getLogger(logger);
      if (l instanceof Logger) ((Logger) l).setLevel(Level.toLevel(level));
    } catch (LinkageError noLogback) {
      // logback is an optional dependency of this module: nothing to set
    }
  }
}
