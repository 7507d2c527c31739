package dev.simplecall.samples.cli;

import dev.simplecall.server.cli.CommandException;

/**
 * A failure the command reports as one line on stderr, ending with {@link #exitCode()} ({@link
 * ExitCodes}). The server command, which lives in signaling-server, throws its superclass.
 */
public final class CliException extends CommandException {
  public CliException(int exitCode, String message) {
    super(exitCode, message);
  }
}
