package dev.simplecall;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DataChannelAndStatsTest {
  @Test
  void textAndBinaryEchoAndStatsReportHostCandidates() throws Exception {
    try (Peers p = new Peers("dc")) {
      RecordingListener al = new RecordingListener();
      RecordingListener bl = new RecordingListener();
      CallSession alice = p.session("alice", al);
      CallSession bob = p.session("bob", bl);
      bob.start();
      bl.joined.poll(5, TimeUnit.SECONDS);
      alice.call("bob");
      al.awaitState(CallState.CONNECTED, 15);

      DataChannel chat = alice.openDataChannel("chat", DataChannelOptions.ordered());
      BlockingQueue<Object> atAlice = new LinkedBlockingQueue<>();
      BlockingQueue<String> opened = new LinkedBlockingQueue<>();
      chat.setListener(new DataChannel.Listener() {
        @Override
        public void onOpen(DataChannel c) {
          opened.add(c.label());
        }

        @Override
        public void onText(DataChannel c, String text) {
          atAlice.add(text);
        }

        @Override
        public void onBinary(DataChannel c, byte[] data) {
          atAlice.add(data);
        }
      });
      DataChannel remote = bl.channels.poll(10, TimeUnit.SECONDS);
      assertNotNull(remote, "bob was not told about the channel");
      assertEquals("chat", remote.label());
      remote.setListener(new DataChannel.Listener() { // echo
        @Override
        public void onText(DataChannel c, String text) {
          c.send("echo:" + text);
        }

        @Override
        public void onBinary(DataChannel c, byte[] data) {
          byte[] out = new byte[data.length + 1];
          System.arraycopy(data, 0, out, 1, data.length);
          out[0] = 42;
          c.send(out);
        }
      });
      assertEquals("chat", opened.poll(10, TimeUnit.SECONDS));
      assertTrue(chat.isOpen());
      assertTrue(chat.send("héllo"));
      assertEquals("echo:héllo", atAlice.poll(10, TimeUnit.SECONDS));
      byte[] payload = new byte[70_000];
      for (int i = 0; i < payload.length; i++) payload[i] = (byte) (i * 7);
      assertTrue(chat.send(payload));
      Object echoed = atAlice.poll(10, TimeUnit.SECONDS);
      assertNotNull(echoed, "no binary echo");
      byte[] e = (byte[]) echoed;
      assertEquals(payload.length + 1, e.length);
      assertEquals(42, e[0]);
      byte[] rest = new byte[payload.length];
      System.arraycopy(e, 1, rest, 0, rest.length);
      assertArrayEquals(payload, rest);
      assertTrue(chat.bufferedAmount() >= 0);

      CallStats s = alice.stats().get(10, TimeUnit.SECONDS);
      assertEquals("host", s.localCandidateType(), "stats: " + s);
      assertEquals("host", s.remoteCandidateType(), "stats: " + s);
      assertEquals("udp", s.candidateProtocol(), "stats: " + s);
      assertNotNull(s.localAddress());
      assertTrue(s.connectMs() > 0, "connectMs " + s.connectMs());
      assertTrue(s.bitrateInBps() > 0 && s.bitrateOutBps() > 0, "a one-shot snapshot measures bitrates too: " + s);

      alice.setStatsInterval(Duration.ofMillis(300));
      CallStats periodic = al.stats.poll(10, TimeUnit.SECONDS);
      assertNotNull(periodic, "no periodic stats");
      CallStats periodic2 = al.stats.poll(10, TimeUnit.SECONDS);
      assertNotNull(periodic2, "no second periodic stats");
      assertTrue(periodic2.framesReceived() > 0, "frames received: " + periodic2);
      assertTrue(periodic2.firstFrameMs() > 0, "first frame: " + periodic2);
      assertTrue(periodic2.bitrateInBps() > 0 && periodic2.bitrateOutBps() > 0, "bitrates: " + periodic2);
      assertEquals("VP8", periodic2.videoCodec(), "codec: " + periodic2);
      assertTrue(periodic2.encodeMsPerFrame() > 0 && periodic2.decodeMsPerFrame() > 0, "coding times: " + periodic2);
      assertTrue(periodic2.qpPerFrame() > 0, "QP: " + periodic2);
      assertTrue(java.util.Set.of("none", "cpu", "bandwidth", "other").contains(periodic2.qualityLimitation()),
          "quality limitation: " + periodic2);
      // RTT is not asserted: on loopback libwebrtc's millisecond-resolution RTT often reads 0

      bob.hangUp();
      assertEquals(EndReason.REMOTE_HANGUP, al.awaitEnded(10).reason());
      assertEquals(EndReason.HANGUP, bl.awaitEnded(10).reason());
      CompletableFuture<CallStats> late = alice.stats();
      assertTrue(late.isDone(), "stats() after the call ended must fail at once");
      assertThrows(ExecutionException.class, late::get);
    }
  }
}
