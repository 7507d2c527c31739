package dev.simplecall;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Sending faster than the network: bufferedAmount rises, send refuses before libwebrtc's limit, all accepted data arrives. */
class BackpressureTest {
  @Test
  void bufferedAmountRisesAndEverythingAcceptedArrives() throws Exception {
    MediaOptions none = MediaOptions.builder().video(VideoSource.none()).audio(AudioSource.none()).build();
    try (Peers p = new Peers("bp", none)) {
      RecordingListener al = new RecordingListener();
      RecordingListener bl = new RecordingListener();
      CallSession alice = p.session("alice", al);
      CallSession bob = p.session("bob", bl);
      bob.start();
      assertNotNull(bl.joined.poll(5, TimeUnit.SECONDS));
      alice.call("bob");
      al.awaitState(CallState.CONNECTED, 15);
      DataChannel ch = alice.openDataChannel("bulk", DataChannelOptions.ordered());
      CountDownLatch open = new CountDownLatch(1);
      ch.setListener(new DataChannel.Listener() {
        @Override
        public void onOpen(DataChannel c) {
          open.countDown();
        }
      });
      DataChannel remote = bl.channels.poll(10, TimeUnit.SECONDS);
      assertNotNull(remote);
      AtomicLong received = new AtomicLong();
      remote.setListener(new DataChannel.Listener() {
        @Override
        public void onBinary(DataChannel c, byte[] data) {
          received.addAndGet(data.length);
        }
      });
      assertTrue(open.await(10, TimeUnit.SECONDS));
      byte[] chunk = new byte[64 * 1024];
      long accepted = 0;
      long maxBuffered = 0;
      boolean refused = false;
      for (int i = 0; i < 400 && !refused; i++) { // up to 25 MiB, far faster than SCTP drains
        if (ch.send(chunk)) accepted += chunk.length;
        else refused = true;
        maxBuffered = Math.max(maxBuffered, ch.bufferedAmount());
      }
      System.out.printf("backpressure: accepted %d KiB, refused=%s, max buffered %d KiB%n", accepted / 1024, refused,
          maxBuffered / 1024);
      assertTrue(refused, "25 MiB sent at once were all accepted: send() never pushed back");
      assertTrue(maxBuffered + chunk.length > 8L * 1024 * 1024, "refused far below the 8 MiB limit: " + maxBuffered);
      assertTrue(maxBuffered <= 8L * 1024 * 1024, "buffered beyond the SDK's limit: " + maxBuffered);
      long sent = accepted;
      await("every accepted byte arrives").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
          .failFast("the channel closed or the call ended under load", () -> !ch.isOpen() || !al.ended.isEmpty())
          .until(() -> received.get() >= sent);
      assertEquals(accepted, received.get(), "bytes accepted by send() vs received; refused=" + refused);
      assertEquals(0, ch.bufferedAmount());
      assertTrue(ch.isOpen());
      alice.hangUp();
      bl.awaitEnded(10);
    }
  }
}
