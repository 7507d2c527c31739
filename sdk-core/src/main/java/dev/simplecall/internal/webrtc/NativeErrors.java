package dev.simplecall.internal.webrtc;

/** What libwebrtc's errors become on their way to the call core. */
final class NativeErrors {
  /** Longest part of a native message kept: libwebrtc quotes the offending line, which a remote peer wrote. */
  static final int MAX_MESSAGE = 300;

  private NativeErrors() {}

  /** {@code error} cut to {@link #MAX_MESSAGE} characters, saying how long it was. */
  static String shortened(String error) {
    if (error == null || error.length() <= MAX_MESSAGE) return error;
    return error.substring(0, MAX_MESSAGE) + "... (" + error.length() + " characters)";
  }

  /**
   * webrtc-java reports a C++ exception of a native call as a bare {@code java.lang.Error} (an input it
   * refused, such as a candidate it cannot parse); that becomes an {@link IllegalArgumentException} with a
   * shortened message. Any other {@link Error} (out of memory, a linkage error) is rethrown as it is.
   */
  static IllegalArgumentException refused(Error e) {
    if (e.getClass() != Error.class) throw e;
    return new IllegalArgumentException(shortened(e.getMessage()));
  }
}
