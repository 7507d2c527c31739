package dev.simplecall.internal.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.onvoid.webrtc.media.audio.AudioTrack;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real peers in one JVM: audio sent at real time must be received at real time and at the sent
 * pitch. Each peer gets its own engine (as two apps would) or both share one.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AudioEngineTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  @Test
  void toneArrivesAtRealTimeAndPitchBothWays() throws Exception {
    try (AudioEngine alice = AudioEngine.create(); AudioEngine bob = AudioEngine.create()) {
      LoopbackPair pair = new LoopbackPair(alice.factory(), bob.factory());
      try {
        pair.offerer.addTrack(alice.createToneTrack("alice-tone", 440), List.of("alice"));
        pair.answerer.addTrack(bob.createToneTrack("bob-tone", 660), List.of("bob"));
        pair.connect();

        AudioTrack atBob = pair.answererRemoteAudio.poll(5, TimeUnit.SECONDS);
        assertNotNull(atBob, "bob saw no remote audio track");
        AudioTrack atAlice = remoteAudioOf(pair);
        PcmRecorder bobHears = new PcmRecorder(5, TimeUnit.SECONDS);
        PcmRecorder aliceHears = new PcmRecorder(5, TimeUnit.SECONDS);
        bob.addRemoteSink(atBob, bobHears);
        alice.addRemoteSink(atAlice, aliceHears);

        assertTrue(bobHears.awaitSpan(15, TimeUnit.SECONDS), "bob: 5 s of remote audio not seen in 15 s");
        assertTrue(aliceHears.awaitSpan(15, TimeUnit.SECONDS), "alice: 5 s of remote audio not seen in 15 s");
        bob.removeRemoteSink(atBob, bobHears);
        alice.removeRemoteSink(atAlice, aliceHears);

        PcmRecorder.Measurement b = bobHears.measure(SECOND);
        PcmRecorder.Measurement a = aliceHears.measure(SECOND);
        System.out.println("bob hears 440 Hz: " + b);
        System.out.println("alice hears 660 Hz: " + a);
        assertRealTime(b, 440);
        assertRealTime(a, 660);
      } finally {
        pair.close();
      }
    }
  }

  @Test
  void appPcmPushedInOneBurstLeavesAtRealTime() throws Exception {
    try (AudioEngine engine = AudioEngine.create()) {
      LoopbackPair pair = new LoopbackPair(engine.factory(), engine.factory());
      try {
        AppPcmTrack pcm = engine.createAppPcmTrack("app", 48_000, 1);
        pair.offerer.addTrack(pcm.track(), List.of("app"));
        pair.connect();
        AudioTrack remote = pair.answererRemoteAudio.poll(5, TimeUnit.SECONDS);
        assertNotNull(remote, "no remote audio track");
        PcmRecorder hears = new PcmRecorder(4, TimeUnit.SECONDS);
        engine.addRemoteSink(remote, hears);

        // Two seconds of 440 Hz handed over at once: the pacer must spread it over two seconds.
        short[] tone = new short[2 * 48_000];
        for (int i = 0; i < tone.length; i++) {
          tone[i] = (short) Math.round(8000 * Math.sin(2 * Math.PI * 440 * i / 48_000.0));
        }
        pcm.pushPcm(tone);

        assertTrue(hears.awaitSpan(15, TimeUnit.SECONDS), "4 s of remote audio not seen in 15 s");
        engine.removeRemoteSink(remote, hears);
        assertEquals(0, pcm.bufferedSamples(), "pacer left samples in the buffer");
        double toneSeconds = hears.toneSeconds(1000);
        PcmRecorder.Measurement m = hears.measure(SECOND / 2);
        System.out.printf("app PCM: 2.00 s pushed at once, %.2f s of tone received; %s%n", toneSeconds, m);
        assertEquals(2.0, toneSeconds, 0.1, "seconds of tone received");
        assertEquals(1.0, m.rateRatio(), 0.05, "sink rate / sample rate: " + m);
      } finally {
        pair.close();
      }
    }
  }

  private static AudioTrack remoteAudioOf(LoopbackPair pair) {
    for (var receiver : pair.offerer.getReceivers()) {
      if (receiver.getTrack() instanceof AudioTrack t) return t;
    }
    throw new AssertionError("offerer has no remote audio track");
  }

  private static void assertRealTime(PcmRecorder.Measurement m, double hz) {
    assertTrue(m.seconds() >= 3.5, "steady window too short: " + m);
    assertEquals(1.0, m.rateRatio(), 0.05, "sink rate / sample rate: " + m);
    assertEquals(hz, m.hz(), 5.0, "received pitch: " + m);
    assertTrue(m.rms() > 1000, "received tone too quiet: " + m);
  }
}
