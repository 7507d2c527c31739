package dev.simplecall.samples;

import dev.simplecall.samples.cli.BenchCommand;
import dev.simplecall.samples.cli.DemoCommand;
import dev.simplecall.samples.cli.DevicesCommand;
import dev.simplecall.samples.cli.ExitCodes;
import dev.simplecall.samples.cli.GuiCommand;
import dev.simplecall.samples.cli.PeerCommand;
import dev.simplecall.samples.cli.TokenCommand;
import dev.simplecall.samples.cli.VersionProvider;
import dev.simplecall.server.cli.CommandException;
import dev.simplecall.server.cli.ConfigDefaults;
import dev.simplecall.server.cli.ServerCommand;
import dev.simplecall.spi.SignalingTransportFactory;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Iterator;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code simplecall} command: {@code demo}, {@code server}, {@code peer}, {@code gui}, {@code token}.
 *
 * <pre>{@code
 * ./simplecall demo --transport mqtt
 * ./simplecall peer --signaling ws://127.0.0.1:8080/v1/ws --room r1 --id alice --call bob
 * }</pre>
 */
@Command(name = "simplecall", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    subcommands = {DemoCommand.class, ServerCommand.class, PeerCommand.class, GuiCommand.class, TokenCommand.class,
        BenchCommand.class, DevicesCommand.class},
    footer = {"", "Start with: simplecall demo. Options of a command: simplecall COMMAND --help"},
    description = "Peer-to-peer WebRTC calls from the command line.")
public final class Main implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(Main.class);

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: demo, server, peer, gui, token or devices");
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    int code = run(args, System.getenv(), out, err);
    out.flush();
    err.flush();
    // Everything is closed by now, but libwebrtc 0.14.0 may still have a native thread that tries to
    // attach to the exiting JVM and prints "VM attach current thread failed" to stdout, after the
    // RESULT line that scripts read as the last one. Closing fd 1 first makes such late writes vanish.
    System.out.flush();
    try {
      new FileOutputStream(FileDescriptor.out).close();
    } catch (IOException ignored) {
      // nothing more to protect
    }
    Runtime.getRuntime().halt(code);
  }

  /**
   * The URI schemes of every signaling transport found by {@link ServiceLoader} (the shipped ones and
   * any jar added with {@code SIMPLECALL_CLASSPATH}), plus {@code memory}; a broken provider is skipped.
   */
  static SortedSet<String> transportSchemes() {
    SortedSet<String> schemes = new TreeSet<>(Set.of("memory"));
    Iterator<SignalingTransportFactory> it = ServiceLoader.load(SignalingTransportFactory.class).iterator();
    while (true) {
      try {
        if (!it.hasNext()) break;
        try (SignalingTransportFactory f = it.next()) { // made only to ask; releases nothing it did not make
          schemes.addAll(f.schemes());
        }
      } catch (ServiceConfigurationError e) {
        log.warn("skipping a signaling transport that cannot be loaded: {}", e.getMessage());
      }
    }
    return schemes;
  }

  /** Runs the command and returns its exit code; everything goes to {@code out} and {@code err}. */
  public static int run(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
    // --signaling's help lists the schemes of the transports on the class path (${sys:simplecall.schemes})
    System.setProperty("simplecall.schemes", String.join(", ", transportSchemes()));
    CommandLine cmd = new CommandLine(new Main());
    cmd.setOut(out);
    cmd.setErr(err);
    cmd.setCaseInsensitiveEnumValuesAllowed(true);
    for (CommandLine sub : cmd.getSubcommands().values()) sub.getCommandSpec().usageMessage().footer(ExitCodes.footer());
    cmd.setParameterExceptionHandler((ex, a) -> {
      CommandLine c = ex.getCommandLine();
      err.println(c.getCommandSpec().qualifiedName() + ": " + ex.getMessage());
      err.println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
      err.flush();
      return ExitCodes.USAGE;
    });
    cmd.setExecutionExceptionHandler((ex, c, parseResult) -> {
      if (ex instanceof CommandException) { // CliException, or the server command's own
        err.println(c.getCommandSpec().qualifiedName() + ": " + ex.getMessage());
        err.flush();
        return ((CommandException) ex).exitCode();
      }
      log.debug("unexpected failure", ex);
      err.println(c.getCommandSpec().qualifiedName() + ": internal error: " + ex + " (run with --verbose for details)");
      err.flush();
      return ExitCodes.INTERNAL;
    });
    try {
      cmd.setDefaultValueProvider(new ConfigDefaults(env, configFile(args, env)));
    } catch (CommandException e) {
      err.println("simplecall: " + e.getMessage());
      err.flush();
      return e.exitCode();
    }
    return cmd.execute(args);
  }

  /** {@code --config FILE}, {@code --config=FILE} or {@code SIMPLECALL_CONFIG}; empty when none. */
  static Properties configFile(String[] args, Map<String, String> env) {
    return ConfigDefaults.configFile(args, env);
  }
}
