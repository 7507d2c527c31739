package dev.simplecall.server.cli;

/**
 * Exit codes of the server command, the same numbers as the {@code simplecall} command's. Scripts and
 * service managers rely on them: keep them stable.
 */
public final class ServerExitCodes {
  /** The server ran and was stopped (Ctrl-C; SIGTERM ends the JVM with 143 instead). */
  public static final int OK = 0;
  /** Bad flags or configuration, including files that cannot be used (picocli's usage error code). */
  public static final int USAGE = 2;
  /** The server could not listen, or the MQTT broker could not be started or reached. */
  public static final int SIGNALING = 3;
  /** Anything else: an internal error (run with --verbose for details). */
  public static final int INTERNAL = 70;

  private static final String[] FOOTER = {
      "",
      "Exit codes: 0 stopped; 2 bad flags or unusable files; 3 cannot listen, or",
      "  cannot start or reach the MQTT broker; 70 internal error. SIGTERM ends it",
      "  with 143.",
      "Options also come from environment variables SIMPLECALL_<OPTION> (e.g.",
      "  SIMPLECALL_PORT, SIMPLECALL_AUTH_SECRET_FILE) and from a properties file",
      "  given with --config FILE (keys are option names, e.g. port=8443 or",
      "  server.port=8443). The command line wins, then the environment, then the",
      "  file."};

  /** The help footer of the server jar: exit codes and where options come from. */
  public static String[] footer() {
    return FOOTER.clone();
  }

  private ServerExitCodes() {}
}
