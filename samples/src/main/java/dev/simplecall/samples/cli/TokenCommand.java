package dev.simplecall.samples.cli;

import dev.simplecall.protocol.Names;
import dev.simplecall.server.TokenIssuer;
import dev.simplecall.server.cli.SecretOption;
import dev.simplecall.spi.TransportOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code simplecall token}: mints a join token for a server started with {@code --auth-secret}. */
@Command(name = "token", mixinStandardHelpOptions = true, sortOptions = false,
    header = "Mints a join token for a server started with --auth-secret.",
    description = "Prints a signed token (HS256 JWT: sub = peer id, room, expiry) that lets PEER join ROOM on a server "
        + "started with the same --auth-secret. Pass it to peer or gui with --token.%n%n"
        + "Example: simplecall peer --token \"$(simplecall token --secret-file /etc/simplecall/auth.secret --room r1 --id alice)\" ...")
public final class TokenCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Spec CommandSpec spec;

  @Option(names = "--secret", paramLabel = "S", description = "The server's --auth-secret. Visible to every local user "
      + "in the process list: prefer --secret-file or SIMPLECALL_SECRET.")
  String secret;

  @Option(names = "--secret-file", paramLabel = "FILE", description = "Read the secret from FILE (first line).")
  Path secretFile;

  @Option(names = "--room", paramLabel = "ROOM", description = "Room the token is valid for.")
  String room;

  @Option(names = "--id", paramLabel = "PEER", description = "Peer id the token proves.")
  String id;

  @Option(names = "--ttl", defaultValue = "24h", paramLabel = "TIME", converter = Converters.DurationConverter.class,
      description = "How long the token stays valid (default: ${DEFAULT-VALUE}).")
  Duration ttl;

  @Override
  public Integer call() {
    common.apply();
    secret = SecretOption.resolve(secret, secretFile, "--secret");
    if (secret == null || secret.isEmpty()) missing("--secret=S", "SIMPLECALL_SECRET");
    if (room == null) missing("--room=ROOM", "SIMPLECALL_ROOM");
    if (id == null) missing("--id=PEER", "SIMPLECALL_ID");
    if (!Names.isValid(room) || !Names.isValid(id)) {
      throw new ParameterException(spec.commandLine(), "--room and --id must be 1-64 characters of letters, digits, '.', '_' or '-'");
    }
    spec.commandLine().getOut().println(new TokenIssuer(secret).issue(id, room, ttl));
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }

  private void missing(String option, String env) {
    throw new ParameterException(spec.commandLine(), "Missing required option: '" + option + "' (or set " + env + ")");
  }
}
