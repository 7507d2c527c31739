package dev.simplecall;

import java.net.URI;
import java.util.concurrent.TimeUnit;

/**
 * Run in a forked JVM by {@link CleanExitTest}: makes a real call, closes the client and returns
 * from main. The JVM must then exit by itself (native factory threads are not daemons).
 */
public final class ExitCheckMain {
  private ExitCheckMain() {}

  public static void main(String[] args) throws Exception {
    InMemorySignaling hub = new InMemorySignaling();
    CallClient client = CallClient.builder().addTransportFactory(hub.transportFactory())
        .media(MediaOptions.builder().video(VideoSource.testPattern(160, 120, 15)).build()).build();
    RecordingListener al = new RecordingListener();
    RecordingListener bl = new RecordingListener();
    SessionOptions.Builder o = SessionOptions.builder().signaling(URI.create("memory://exit")).room("exit");
    CallSession bob = client.newSession(o.peerId("bob").build(), bl);
    CallSession alice = client.newSession(o.peerId("alice").build(), al);
    bob.start();
    if (bl.joined.poll(10, TimeUnit.SECONDS) == null) throw new AssertionError("bob did not join");
    alice.call("bob");
    al.awaitState(CallState.CONNECTED, 20);
    DataChannel ch = alice.openDataChannel("x", DataChannelOptions.ordered());
    if (bl.channels.poll(10, TimeUnit.SECONDS) == null) throw new AssertionError("no data channel");
    ch.send("bye");
    client.close();
    System.out.println("CALL OK " + al.ended.poll(5, TimeUnit.SECONDS));
  }
}
