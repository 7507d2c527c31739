package dev.simplecall.server.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * The server jar's main class: {@code java -jar simplecall-server-VERSION.jar [OPTIONS]} runs {@link
 * ServerCommand}, the command behind {@code simplecall server}, with the same options, environment
 * variables and config file keys. The jar holds this module and its dependencies, picocli and
 * logback; no WebRTC.
 *
 * <pre>{@code
 * java -jar simplecall-server-0.1.0.jar --bind 0.0.0.0 --port 8443 --auth-secret-file /etc/simplecall/auth.secret
 * }</pre>
 */
public final class ServerMain {
  static final String NAME = "simplecall-server";
  private static final Logger log = LoggerFactory.getLogger(ServerMain.class);

  private ServerMain() {}

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    int code = run(args, System.getenv(), out, err);
    out.flush();
    err.flush();
    System.exit(code);
  }

  /**
   * Runs the server command and returns its exit code ({@link ServerExitCodes}) once the server
   * stops; {@code --help}, {@code --version} and bad options return at once. Everything goes to
   * {@code out} and {@code err}.
   */
  public static int run(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
    CommandLine cmd = new CommandLine(new ServerCommand());
    cmd.setCommandName(NAME);
    cmd.getCommandSpec().versionProvider(() -> new String[] {NAME + " " + version()});
    cmd.getCommandSpec().usageMessage().footer(ServerExitCodes.footer());
    cmd.setOut(out);
    cmd.setErr(err);
    cmd.setParameterExceptionHandler((ex, a) -> {
      err.println(NAME + ": " + ex.getMessage());
      err.println("Try '" + NAME + " --help' for more information.");
      err.flush();
      return ServerExitCodes.USAGE;
    });
    cmd.setExecutionExceptionHandler((ex, c, parseResult) -> {
      if (ex instanceof CommandException) {
        err.println(NAME + ": " + ex.getMessage());
        err.flush();
        return ((CommandException) ex).exitCode();
      }
      log.debug("unexpected failure", ex);
      err.println(NAME + ": internal error: " + ex + " (run with --verbose for details)");
      err.flush();
      return ServerExitCodes.INTERNAL;
    });
    try {
      cmd.setDefaultValueProvider(new ConfigDefaults(env, ConfigDefaults.configFile(args, env)));
    } catch (CommandException e) {
      err.println(NAME + ": " + e.getMessage());
      err.flush();
      return e.exitCode();
    }
    return cmd.execute(args);
  }

  /** The version this module was built as, from {@code version.properties}, which Maven fills in. */
  static String version() throws IOException {
    try (InputStream in = ServerMain.class.getResourceAsStream("version.properties")) {
      if (in == null) throw new IOException("version.properties is missing from the signaling-server jar");
      Properties p = new Properties();
      p.load(in);
      String v = p.getProperty("version");
      if (v == null || v.isEmpty() || v.startsWith("${")) {
        throw new IOException("version.properties of signaling-server was not filled in by the build: " + v);
      }
      return v;
    }
  }
}
