package dev.simplecall.server.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Durations on the command line: {@code 5s}, {@code 500ms}, {@code 2m}, {@code 1h}, seconds, or ISO-8601. */
public final class Durations {
  private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

  private Durations() {}

  /**
   * {@code 5s}, {@code 500ms}, {@code 2m}, {@code 1h}, a bare number of seconds, or ISO-8601 {@code PT5S}.
   *
   * @throws IllegalArgumentException naming the text when it is none of these
   */
  public static Duration parse(String text) {
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

  /** picocli's converter for a positive duration; its error message names the bad value. */
  public static final class Converter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        Duration d = parse(value);
        if (d.isNegative() || d.isZero()) throw new TypeConversionException("duration must be positive: \"" + value + "\"");
        return d;
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
