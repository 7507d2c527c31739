package dev.simplecall.samples.cli;

/**
 * Exit codes of the {@code simplecall} command, as documented in its {@code --help} footer.
 * Scripts (the NAT lab, CI) rely on these numbers: keep them stable.
 */
public final class ExitCodes {
  /** The call ran and media and data flowed both ways. */
  public static final int OK = 0;
  /** The call was set up but media or data did not flow both ways (see the RESULT line's reason). */
  public static final int NOT_OK = 1;
  /** Bad flags or configuration (picocli's usage error code). */
  public static final int USAGE = 2;
  /** The signaling server (or broker) could not be reached, or refused the join or token. */
  public static final int SIGNALING = 3;
  /** ICE failed: the peers found no route to each other (try a TURN server). */
  public static final int ICE_FAILED = 4;
  /** No call took place: nobody called, no answer, declined, busy, or the peer vanished. */
  public static final int NO_CALL = 5;
  /** Anything else: an internal error (run with --verbose for details). */
  public static final int INTERNAL = 70;

  private static final String[] FOOTER = {
      "",
      "Exit codes: 0 ok; 1 call ran but media or data did not flow both ways;",
      "  2 bad flags; 3 signaling server unreachable or join/token refused;",
      "  4 ICE failed (no route: try a TURN server); 5 no call took place;",
      "  70 internal error.",
      "Options also come from environment variables SIMPLECALL_<OPTION> (e.g.",
      "  SIMPLECALL_SIGNALING, SIMPLECALL_ROOM, SIMPLECALL_ID, SIMPLECALL_ICE_SERVER)",
      "  and from a properties file given with --config FILE (keys are option",
      "  names, e.g. signaling=ws://127.0.0.1:8080/v1/ws; peer.id=alice for one",
      "  command only). The command line wins, then the environment, then the file."};

  /** The help footer every subcommand shows: exit codes and where options come from. */
  public static String[] footer() {
    return FOOTER.clone();
  }

  private ExitCodes() {}
}
