package dev.simplecall.samples.cli;

import dev.simplecall.IceServer;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** picocli converters for the command's value types; each error message names the bad value. */
final class Converters {
  private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

  private Converters() {}

  /** {@code 5s}, {@code 500ms}, {@code 2m}, {@code 1h}, a bare number of seconds, or ISO-8601 {@code PT5S}. */
  static Duration parseDuration(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    Matcher m = SIMPLE_DURATION.matcher(t);
    if (m.matches()) {
      double value = Double.parseDouble(m.group(1));
      String unit = m.group(2) == null ? "s" : m.group(2);
      double ms;
      switch (unit) {
        case "ms": ms = value; break;
        case "m": ms = value * 60_000; break;
        case "h": ms = value * 3_600_000; break;
        default: ms = value * 1000;
      }
      return Duration.ofMillis(Math.round(ms));
    }
    try {
      return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("expected a duration like 10s, 500ms or 2m: \"" + text + "\"");
    }
  }

  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        Duration d = parseDuration(value);
        if (d.isNegative() || d.isZero()) throw new TypeConversionException("duration must be positive: \"" + value + "\"");
        return d;
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
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
