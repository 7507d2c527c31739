package dev.simplecall.protocol;

import java.util.Objects;

/**
 * Room and peer ids: 1-64 characters of letters, digits, {@code . _ -}. Safe as map keys, MQTT topic
 * levels, URL path segments and log text; the server refuses anything else with {@link ErrorCode#BAD_NAME}.
 *
 * <pre>{@code
 * Names.require(room, "room");   // IllegalArgumentException naming the bad value
 * if (!Names.isValid(topicLevel)) return;
 * }</pre>
 */
public final class Names {
  /** The longest valid name, in characters. */
  public static final int MAX_LENGTH = 64;

  private Names() {}

  /**
   * True for 1-64 characters of {@code [A-Za-z0-9._-]}; checks the length first, so a huge value costs nothing.
   *
   * @param value a room or peer id, or {@code null}
   * @return whether it is a valid name; {@code false} for {@code null}
   */
  public static boolean isValid(String value) {
    if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) return false;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '_' || c == '-';
      if (!ok) return false;
    }
    return true;
  }

  /**
   * Returns {@code value} when valid.
   *
   * @param value the room or peer id to check
   * @param what what the value is, for the exception message (for example {@code "room"})
   * @return {@code value}
   * @throws NullPointerException when {@code value} is null
   * @throws IllegalArgumentException naming {@code what} and the value otherwise
   */
  public static String require(String value, String what) {
    Objects.requireNonNull(value, what + " == null");
    if (!isValid(value)) {
      String shown = value.length() > MAX_LENGTH ? value.substring(0, MAX_LENGTH) + "... (" + value.length() + " characters)" : value;
      throw new IllegalArgumentException(what + " must be 1-64 characters of [A-Za-z0-9._-]: \"" + shown + "\"");
    }
    return value;
  }
}
