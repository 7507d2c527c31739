package dev.simplecall.samples.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.samples.ChildJvm;
import dev.simplecall.samples.CliRun;
import dev.simplecall.samples.ToneWav;
import dev.simplecall.server.SignalingServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A group call's speaker plays the mix of every member: alice ({@code peer --group} with her virtual
 * microphone and speaker on a real PulseAudio daemon) is in a room with bob sending a 500 Hz tone and
 * carol sending 1300 Hz. What alice's speaker plays ({@code alice_spk.monitor}, recorded) holds both
 * tones in the same half-second blocks, each far above a frequency nobody sends (900 Hz).
 */
class GroupSpeakerMixTest {
  /** A tone counts as heard in a block when its magnitude is this many times the 900 Hz reference. */
  static final double ABOVE_REFERENCE = 10;
  /** Half-second blocks that must hold both tones at once: 2 s of the 8 s call. */
  static final int MIXED_BLOCKS = 4;

  @TempDir static Path tmp;

  @Test
  void aliceHearsBobAndCarolAtOnce() throws Exception {
    Path bobWav = tmp.resolve("bob.wav");
    Path carolWav = tmp.resolve("carol.wav");
    ToneWav.write(bobWav, 500, 2);
    ToneWav.write(carolWav, 1300, 2);
    try (PulseLab lab = PulseLab.start(tmp.resolve("p"), "alice");
        SignalingServer server = SignalingServer.builder().bind("127.0.0.1").port(0).build().start()) {
      String ws = "ws://127.0.0.1:" + server.port() + "/v1/ws";
      Recording speaker = Recording.start(lab, "alice_spk.monitor");
      short[] played;
      try (ChildJvm alice = ChildJvm.start("alice", lab.env(), "peer", "--group", "--peers", "3", "--signaling", ws,
          "--room", "mix", "--id", "alice", "--audio", "mic:alice_microphone", "--audio-processing", "off",
          "--speaker=alice_speaker", "--duration", "8s", "--video", "160x120@15", "--wait", "60s")) {
        List<CompletableFuture<String>> others = new ArrayList<>();
        for (String[] m : List.of(new String[] {"bob", bobWav.toString()}, new String[] {"carol", carolWav.toString()})) {
          others.add(CompletableFuture.supplyAsync(() -> CliRun.peer("--group", "--peers", "3", "--signaling", ws,
              "--room", "mix", "--id", m[0], "--audio", "file:" + m[1], "--duration", "8s", "--video", "160x120@15",
              "--wait", "60s")));
        }
        for (CompletableFuture<String> f : others) {
          String r = f.get(120, TimeUnit.SECONDS);
          assertTrue(r.contains(" ok=true peers_ok=2/2 "), r);
        }
        assertEquals(0, alice.awaitExit(60), alice.describe());
        String last = alice.stdout().get(alice.stdout().size() - 1);
        assertTrue(last.contains(" ok=true peers_ok=2/2 "), alice.describe());
      } finally {
        played = speaker.stop();
      }
      int block = Recording.RATE / 2;
      int mixed = 0;
      StringBuilder seen = new StringBuilder();
      for (int at = 0; at + block <= played.length; at += block) {
        double ref = Math.max(1e-6, magnitude(played, at, block, 900));
        double bob = magnitude(played, at, block, 500) / ref;
        double carol = magnitude(played, at, block, 1300) / ref;
        seen.append(String.format(Locale.ROOT, " %.0f/%.0f", bob, carol));
        if (bob >= ABOVE_REFERENCE && carol >= ABOVE_REFERENCE) mixed++;
      }
      System.out.println("[group-mix] blocks with both tones: " + mixed + "; 500 Hz/1300 Hz over 900 Hz per block:" + seen);
      assertTrue(mixed >= MIXED_BLOCKS, "half-second blocks with both tones: " + mixed + " (500 Hz/1300 Hz over the"
          + " 900 Hz reference per block:" + seen + ")");
    }
  }

  /** The magnitude of {@code hz} in {@code n} samples from {@code at} (Goertzel), per sample. */
  static double magnitude(short[] s, int at, int n, double hz) {
    double w = 2 * Math.PI * hz / Recording.RATE;
    double coeff = 2 * Math.cos(w);
    double q1 = 0;
    double q2 = 0;
    for (int i = 0; i < n; i++) {
      double q0 = coeff * q1 - q2 + s[at + i];
      q2 = q1;
      q1 = q0;
    }
    return Math.sqrt(q1 * q1 + q2 * q2 - coeff * q1 * q2) / n;
  }

}
