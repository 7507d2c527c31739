package dev.simplecall;

import java.net.URI;
import java.time.Duration;

/** Two real WebRTC peers in one JVM over an {@link InMemorySignaling} hub. */
final class Peers implements AutoCloseable {
  final InMemorySignaling hub = new InMemorySignaling();
  final CallClient client;
  final String room;

  Peers(String room) {
    this(room, MediaOptions.builder().video(VideoSource.testPattern(320, 240, 30)).build());
  }

  Peers(String room, MediaOptions media) {
    this.room = room;
    this.client = CallClient.builder().addTransportFactory(hub.transportFactory()).media(media).build();
  }

  SessionOptions.Builder options(String peer) {
    return SessionOptions.builder().signaling(URI.create("memory://test")).room(room).peerId(peer)
        .iceRestartAfter(Duration.ofSeconds(1)).iceFailureTimeout(Duration.ofSeconds(10));
  }

  CallSession session(String peer, RecordingListener l) {
    return client.newSession(options(peer).build(), l);
  }

  @Override
  public void close() {
    client.close();
  }
}
