package dev.simplecall.samples.cli;

/** A failure the command reports as one line on stderr, ending with {@link #exitCode()}. */
public final class CliException extends RuntimeException {
  private final int exitCode;

  public CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
