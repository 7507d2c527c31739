package dev.simplecall.internal.media;

/**
 * A video source cannot start: no X display for screen capture, an unreadable file, an absent
 * camera. The message says which and why; the call ends {@code FAILED} with it.
 */
public final class VideoUnavailableException extends RuntimeException {
  public VideoUnavailableException(String message) {
    super(message);
  }

  public VideoUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
