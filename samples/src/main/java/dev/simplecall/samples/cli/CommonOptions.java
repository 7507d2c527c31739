package dev.simplecall.samples.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every subcommand takes: {@code --verbose} and {@code --config}. */
public final class CommonOptions {
  @Option(names = {"-v", "--verbose"}, arity = "0..1", fallbackValue = "debug", paramLabel = "WHAT",
      description = "Log details to stderr: debug (the default when given), trace, or webrtc "
          + "(also libwebrtc's native log); comma separated, e.g. --verbose=debug,webrtc.")
  String verbose;

  /** Read by {@link dev.simplecall.samples.Main} before parsing; declared here for --help and validation. */
  @Option(names = "--config", paramLabel = "FILE",
      description = "Properties file with defaults for options (keys are option names, e.g. room=r1).")
  Path config;

  /** Applies {@code --verbose}; call first thing in a command. */
  public void apply() {
    Verbosity.apply(verbose);
  }
}
