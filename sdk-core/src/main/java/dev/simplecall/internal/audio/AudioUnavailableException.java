package dev.simplecall.internal.audio;

/** The sound server or a named device is not there; the message says which and why. */
public final class AudioUnavailableException extends RuntimeException {
  public AudioUnavailableException(String message) {
    super(message);
  }

  public AudioUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
