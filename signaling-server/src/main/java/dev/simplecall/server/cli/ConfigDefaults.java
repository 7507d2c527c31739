package dev.simplecall.server.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Defaults for options from the environment and a properties file, in this order (the command line
 * beats both, and both beat the built-in default):
 * <ol>
 *   <li>{@code SIMPLECALL_<COMMAND>_<OPTION>}, e.g. {@code SIMPLECALL_PEER_ID}</li>
 *   <li>{@code SIMPLECALL_<OPTION>}, e.g. {@code SIMPLECALL_SIGNALING=mqtt://127.0.0.1:1883}</li>
 *   <li>{@code <command>.<option>} in the properties file, e.g. {@code peer.id=alice}</li>
 *   <li>{@code <option>} in the properties file, e.g. {@code room=r1}</li>
 * </ol>
 * Option names lose their dashes and dashes inside become underscores in variables:
 * {@code --ice-server} is {@code SIMPLECALL_ICE_SERVER}; several values are separated by spaces.
 * The server jar's command, {@code simplecall-server}, reads the keys of {@code simplecall server}
 * ({@code SIMPLECALL_SERVER_PORT}, {@code server.port}).
 */
public final class ConfigDefaults implements IDefaultValueProvider {
  private final Map<String, String> env;
  private final Properties file;

  public ConfigDefaults(Map<String, String> env, Properties file) {
    this.env = Map.copyOf(env);
    this.file = file;
  }

  /** Loads {@code path}; a missing or unreadable file is a usage error naming the path. */
  public static Properties load(Path path) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (NoSuchFileException e) {
      throw new CommandException(ServerExitCodes.USAGE, "config file not found: " + path);
    } catch (IOException | IllegalArgumentException e) {
      throw new CommandException(ServerExitCodes.USAGE, "cannot read config file " + path + ": " + e.getMessage());
    }
    return p;
  }

  /**
   * The properties file named by {@code --config FILE}, {@code --config=FILE} or {@code
   * SIMPLECALL_CONFIG}, loaded; empty when none is named.
   */
  public static Properties configFile(String[] args, Map<String, String> env) {
    String path = env.get("SIMPLECALL_CONFIG");
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) path = args[i + 1];
      else if (args[i].startsWith("--config=")) path = args[i].substring("--config=".length());
    }
    return path == null || path.isBlank() ? new Properties() : load(Path.of(path));
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (!arg.isOption()) return null;
    OptionSpec option = (OptionSpec) arg;
    if (option.usageHelp() || option.versionHelp()) return null;
    String name = option.longestName().replaceFirst("^-+", "");
    if (name.equals("config") || name.equals("verbose")) return null;
    String command = option.command() == null ? "" : option.command().name();
    if (command.startsWith("simplecall-")) command = command.substring("simplecall-".length());
    String envName = name.toUpperCase(Locale.ROOT).replace('-', '_');
    String envCommand = command.toUpperCase(Locale.ROOT).replace('-', '_');
    String value = env.get("SIMPLECALL_" + envCommand + "_" + envName);
    if (value == null) value = env.get("SIMPLECALL_" + envName);
    if (value == null) value = file.getProperty(command + "." + name);
    if (value == null) value = file.getProperty(name);
    return value == null || value.isBlank() ? null : value.trim();
  }
}
