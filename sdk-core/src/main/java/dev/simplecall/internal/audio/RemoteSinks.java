package dev.simplecall.internal.audio;

import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.simplecall.AudioSink;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The app's {@link AudioSink}s on remote tracks, each behind a {@link RemoteSinkAdapter}, so that an
 * engine can take them all off before it disposes its factory. Thread-safe; adding is the caller's to
 * serialise with its own closing (it checks its closed flag under its lock, then calls {@link #add}).
 */
final class RemoteSinks {
  private static final Logger log = LoggerFactory.getLogger(RemoteSinks.class);

  private record Key(AudioTrack track, AudioSink sink) {}

  private final Map<Key, RemoteSinkAdapter> sinks = new ConcurrentHashMap<>();

  /** Adds {@code sink} to {@code remote}; adding the same pair twice does nothing. */
  void add(AudioTrack remote, AudioSink sink) {
    Key key = new Key(remote, sink);
    if (sinks.containsKey(key)) return;
    RemoteSinkAdapter adapter = new RemoteSinkAdapter(sink);
    remote.addSink(adapter);
    sinks.put(key, adapter);
  }

  void remove(AudioTrack remote, AudioSink sink) {
    RemoteSinkAdapter adapter = sinks.remove(new Key(remote, sink));
    if (adapter != null) removeQuietly(remote, adapter);
  }

  /** Takes every sink off its track (before the factory is disposed). */
  void removeAll() {
    for (Map.Entry<Key, RemoteSinkAdapter> e : new ArrayList<>(sinks.entrySet())) {
      sinks.remove(e.getKey());
      removeQuietly(e.getKey().track(), e.getValue());
    }
  }

  private static void removeQuietly(AudioTrack track, RemoteSinkAdapter adapter) {
    try {
      track.removeSink(adapter);
    } catch (Throwable t) {
      log.warn("removing remote audio sink failed", t);
    }
  }
}
