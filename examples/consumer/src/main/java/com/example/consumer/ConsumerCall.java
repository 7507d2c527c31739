package com.example.consumer;

import dev.simplecall.CallClient;
import dev.simplecall.CallException;
import dev.simplecall.CallSession;
import dev.simplecall.CallState;
import dev.simplecall.EndReason;
import dev.simplecall.SessionOptions;
import java.net.URI;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Two peers in this JVM, alice and bob, call each other through a simplecall signaling server over
 * WebSocket (the transport is found on the class path from the {@code ws://} scheme). Exits 0 once
 * both sides are CONNECTED, 1 if that does not happen within a minute.
 *
 * <pre>
 * java -cp 'target/simplecall-consumer-1.0.jar:target/lib/*' com.example.consumer.ConsumerCall ws://127.0.0.1:8080/v1/ws
 * </pre>
 */
public final class ConsumerCall {
  public static void main(String[] args) throws Exception {
    URI signaling = URI.create(args.length > 0 ? args[0] : "ws://127.0.0.1:8080/v1/ws");
    String room = "consumer-" + ProcessHandle.current().pid();
    CountDownLatch aliceConnected = new CountDownLatch(1);
    CountDownLatch bobConnected = new CountDownLatch(1);
    int code;
    try (CallClient client = CallClient.builder().build()) {
      CallSession bob = client.newSession(options(signaling, room, "bob"), listener("bob", bobConnected));
      bob.start();
      CallSession alice = client.newSession(options(signaling, room, "alice"), listener("alice", aliceConnected));
      alice.call("bob");
      if (aliceConnected.await(60, TimeUnit.SECONDS) && bobConnected.await(10, TimeUnit.SECONDS)) {
        System.out.println("consumer: alice and bob connected through " + signaling);
        code = 0;
      } else {
        System.out.println("consumer: the call did not connect within 60 s");
        code = 1;
      }
      alice.close();
      bob.close();
    }
    System.exit(code);
  }

  private static SessionOptions options(URI signaling, String room, String peer) {
    return SessionOptions.builder().signaling(signaling).room(room).peerId(peer).build();
  }

  private static CallSession.Listener listener(String peer, CountDownLatch connected) {
    return new CallSession.Listener() {
      @Override public void onStateChanged(CallSession s, CallState state) {
        System.out.println(peer + ": " + state);
        if (state == CallState.CONNECTED) connected.countDown();
      }

      @Override public void onEnded(CallSession s, EndReason reason, CallException error) {
        System.out.println(peer + ": ended " + reason + (error != null ? " " + error.getMessage() : ""));
      }
    };
  }
}
