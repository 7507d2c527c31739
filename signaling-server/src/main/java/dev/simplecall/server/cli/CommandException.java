package dev.simplecall.server.cli;

/**
 * A failure a command reports as one line on stderr, ending the process with {@link #exitCode()}
 * ({@link ServerExitCodes}). {@link ServerMain} reports it for the server jar, and the
 * {@code simplecall} command line for its {@code server} command (whose own failures subclass this).
 */
public class CommandException extends RuntimeException {
  private final int exitCode;

  public CommandException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public final int exitCode() {
    return exitCode;
  }
}
