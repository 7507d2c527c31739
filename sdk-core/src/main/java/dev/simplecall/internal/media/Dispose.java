package dev.simplecall.internal.media;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Disposing native objects without letting one failure stop the rest of an ordered teardown. */
public final class Dispose {
  private static final Logger log = LoggerFactory.getLogger(Dispose.class);

  private Dispose() {}

  /** Runs {@code dispose}; a failure (webrtc-java throws {@link Error} for a still-referenced object) is logged. */
  public static void quietly(String what, Runnable dispose) {
    try {
      dispose.run();
    } catch (Throwable t) {
      log.debug("disposing {}: {}", what, t.toString());
    }
  }
}
