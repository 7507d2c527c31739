package dev.simplecall.samples.cli;

import dev.simplecall.IceServer;
import dev.simplecall.server.cli.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** picocli converters for the command's value types; each error message names the bad value. */
final class Converters {
  private Converters() {}

  /** {@code 5s}, {@code 500ms}, {@code 2m}, {@code 1h}, a bare number of seconds, or ISO-8601 {@code PT5S}. */
  static Duration parseDuration(String text) {
    return Durations.parse(text); // one syntax for every command's durations, the server's included
  }

  /** A positive duration: the server command's converter, so every command takes the same. */
  static final class DurationConverter implements ITypeConverter<Duration> {
    private final Durations.Converter converter = new Durations.Converter();

    @Override
    public Duration convert(String value) {
      return converter.convert(value);
    }
  }

  static final class VideoSpecConverter implements ITypeConverter<VideoSpec> {
    @Override
    public VideoSpec convert(String value) {
      try {
        return VideoSpec.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /**
   * The command-line form of an ICE server, {@code URL[,user,credential]}.
   *
   * @throws IllegalArgumentException naming the bad value
   */
  static IceServer parseIceServer(String spec) {
    String[] parts = spec.split(",", -1);
    if (parts.length == 1) return IceServer.of(parts[0].trim());
    if (parts.length == 3) return IceServer.of(parts[0].trim(), parts[1], parts[2]);
    throw new IllegalArgumentException("expected URL or URL,user,credential: " + spec);
  }

  static final class IceServerConverter implements ITypeConverter<IceServer> {
    @Override
    public IceServer convert(String value) {
      try {
        return parseIceServer(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
