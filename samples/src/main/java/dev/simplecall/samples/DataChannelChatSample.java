package dev.simplecall.samples;

import dev.simplecall.AudioSource;
import dev.simplecall.CallClient;
import dev.simplecall.CallException;
import dev.simplecall.CallSession;
import dev.simplecall.CallState;
import dev.simplecall.DataChannel;
import dev.simplecall.DataChannelOptions;
import dev.simplecall.InMemorySignaling;
import dev.simplecall.MediaOptions;
import dev.simplecall.SessionOptions;
import dev.simplecall.VideoSource;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A text chat over a data channel, no audio or video: alice opens channel "chat" and sends what
 * you type (or three canned lines when stdin is not a terminal); bob answers every line.
 * <pre>{@code
 * java -cp 'samples/target/lib/*:samples/target/classes' dev.simplecall.samples.DataChannelChatSample
 * }</pre>
 */
public final class DataChannelChatSample {
  public static void main(String[] args) throws Exception {
    InMemorySignaling hub = new InMemorySignaling();
    URI signaling = URI.create("memory://chat");
    MediaOptions dataOnly = MediaOptions.builder().video(VideoSource.none()).audio(AudioSource.none()).build();
    try (CallClient client = CallClient.builder().addTransportFactory(hub.transportFactory()).media(dataOnly).build()) {

      // bob answers every line he gets on any channel the other side opens
      CountDownLatch bobJoined = new CountDownLatch(1);
      CallSession bob = client.newSession(
          SessionOptions.builder().signaling(signaling).room("chat").peerId("bob").build(),
          new CallSession.Listener() {
            @Override
            public void onJoined(CallSession s, Set<String> peers) {
              bobJoined.countDown();
            }

            @Override
            public void onDataChannel(CallSession s, DataChannel ch) {
              ch.setListener(new DataChannel.Listener() {
                @Override
                public void onText(DataChannel c, String text) {
                  c.send("bob: you said \"" + text + "\" (" + text.length() + " characters)");
                }
              });
            }
          });
      bob.start();
      if (!bobJoined.await(10, TimeUnit.SECONDS)) throw new IllegalStateException("bob could not join");

      // alice calls, opens "chat" and prints what comes back
      CountDownLatch connected = new CountDownLatch(1);
      CallSession alice = client.newSession(
          SessionOptions.builder().signaling(signaling).room("chat").peerId("alice").build(),
          new CallSession.Listener() {
            @Override
            public void onStateChanged(CallSession s, CallState state) {
              if (state == CallState.CONNECTED) connected.countDown();
            }
          });
      alice.call("bob");
      if (!connected.await(20, TimeUnit.SECONDS)) throw new IllegalStateException("the call did not connect");

      // openDataChannel returns at once; the listener hears onOpen, or onFailure if it cannot be made
      BlockingQueue<String> replies = new LinkedBlockingQueue<>();
      CompletableFuture<DataChannel> open = new CompletableFuture<>();
      DataChannel chat = alice.openDataChannel("chat", DataChannelOptions.ordered());
      chat.setListener(new DataChannel.Listener() {
        @Override
        public void onOpen(DataChannel c) {
          open.complete(c);
        }

        @Override
        public void onFailure(DataChannel c, CallException error) {
          open.completeExceptionally(error);
        }

        @Override
        public void onText(DataChannel c, String text) {
          replies.add(text);
        }
      });
      open.get(10, TimeUnit.SECONDS); // throws if the channel failed or did not open in time

      List<String> lines = new ArrayList<>();
      if (System.console() != null) {
        System.out.println("type lines to send to bob, an empty line ends the chat");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
          chat.send(line);
          System.out.println(replies.poll(5, TimeUnit.SECONDS));
        }
      } else {
        lines.addAll(List.of("hello bob", "this travels over SCTP", "bye"));
        for (String line : lines) {
          System.out.println("alice: " + line);
          chat.send(line);
          String reply = replies.poll(5, TimeUnit.SECONDS);
          if (reply == null) throw new IllegalStateException("bob did not answer \"" + line + "\"");
          System.out.println(reply);
        }
      }
      alice.hangUp();
      alice.close();
      bob.close();
    }
  }
}
