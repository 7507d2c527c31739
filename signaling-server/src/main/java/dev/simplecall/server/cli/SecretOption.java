package dev.simplecall.server.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A secret given as a flag value (seen by every user in {@code /proc/PID/cmdline} and {@code ps}), or
 * read from a file, which is what a deployment should use; the environment variable works too, through
 * {@link ConfigDefaults}.
 */
public final class SecretOption {
  private SecretOption() {}

  /**
   * The secret from {@code value} or from {@code file} (its content without the trailing line break),
   * or {@code null} when neither is given.
   *
   * @throws CommandException when both are given, the file cannot be read, or it is empty
   */
  public static String resolve(String value, Path file, String flag) {
    if (file == null) return value;
    if (value != null) {
      throw new CommandException(ServerExitCodes.USAGE, "give either " + flag + " or " + flag + "-file, not both");
    }
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      throw new CommandException(ServerExitCodes.USAGE, "cannot read " + flag + "-file " + file + ": " + e.getMessage());
    }
    text = text.strip();
    if (text.isEmpty()) throw new CommandException(ServerExitCodes.USAGE, flag + "-file " + file + " is empty");
    return text;
  }
}
