package dev.simplecall.samples.audio;

import dev.simplecall.AudioSource;
import dev.simplecall.CallClient;
import dev.simplecall.CallException;
import dev.simplecall.CallSession;
import dev.simplecall.EndReason;
import dev.simplecall.InMemorySignaling;
import dev.simplecall.MediaOptions;
import dev.simplecall.SessionOptions;
import dev.simplecall.VideoSource;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Run in a child JVM whose environment has no sound server: a session with
 * {@code AudioSource.microphone()} must end FAILED with the reason (and the JVM must live to say
 * so: the platform audio module would abort it). Prints {@code ENDED reason message}.
 */
public final class NoSoundServerProbe {
  public static void main(String[] args) throws Exception {
    InMemorySignaling hub = new InMemorySignaling();
    CompletableFuture<String> ended = new CompletableFuture<>();
    try (CallClient client = CallClient.builder().addTransportFactory(hub.transportFactory()).build()) {
      CallSession alice = client.newSession(SessionOptions.builder().signaling(URI.create("memory://x")).room("r")
          .peerId("alice").media(MediaOptions.builder().video(VideoSource.none()).audio(AudioSource.microphone()).build())
          .build(), new CallSession.Listener() {
            @Override
            public void onEnded(CallSession s, EndReason reason, CallException error) {
              ended.complete(reason + " " + (error == null ? "-" : error.getMessage()));
            }
          });
      alice.start();
      System.out.println("ENDED " + ended.get(30, TimeUnit.SECONDS));
    }
    System.out.flush();
    Runtime.getRuntime().halt(0);
  }
}
