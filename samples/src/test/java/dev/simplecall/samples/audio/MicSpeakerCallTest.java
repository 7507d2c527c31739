package dev.simplecall.samples.audio;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.samples.ChildJvm;
import dev.simplecall.samples.ToneWav;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code simplecall peer} processes with {@code --audio mic:DEVICE --speaker=DEVICE} on a real
 * PulseAudio daemon with virtual devices hear each other, both directions at once.
 *
 * <p>Speech from espeak-ng is played into each person's virtual microphone ({@code paplay -d
 * P_in}); both microphone feeds ({@code P_in.monitor}) and both speakers ({@code P_spk.monitor})
 * are recorded. Each speaker recording must contain the other person's speech (Pearson correlation
 * of the waveforms after alignment, per 0.25 s window, above {@link #MIN_CORRELATION}) and not their
 * own (below {@link #MAX_CROSSTALK}: this catches device routing gone wrong, e.g. both peers on the
 * default microphone). Windows are aligned one by one (within 400 ms of the global match) because the
 * receiver's jitter buffer stretches time during a call (measured spread 0-80 ms on a quiet machine,
 * up to 390 ms at load average 7); one global alignment reads 0.12-0.90 for the same recordings.
 * The thresholds sit between what was measured for speech heard (0.58-0.96, the low end at load
 * average 7) and for crosstalk (at most 0.20). The mouth-to-ear delay is the time between the speech entering one
 * microphone and leaving the other speaker, from the recorders' clocks (about 10 ms error).
 *
 * <p>Measured (docs/adr/0010-audio-device-path.md, BENCHMARKS.md): heard 0.75-0.96, crosstalk
 * 0.05-0.17, delay 63-236 ms (up to 1.1 s at load average 7). Both talking at once is run with processing off: with echo
 * cancellation on, each side's canceller treats the other's speech playing on its speaker as
 * possible echo and suppresses its own microphone during double talk (gaps of 0.3-0.5 s
 * measured), which is what a canceller does, not a transport fault. Taking turns runs with the
 * defaults a user gets (all processing on).
 */
class MicSpeakerCallTest {
  static final double MIN_CORRELATION = 0.5;
  static final double MAX_CROSSTALK = 0.3;
  /** Correlation windows, and how far each may sit from the global match (jitter-buffer stretching). */
  static final int WINDOW_MS = 250;
  static final int SEARCH_MS = 400;

  @TempDir static Path tmp;
  static PulseLab lab;

  /** A fresh daemon per test: no stream or sound of one test reaches the next. */
  private static final java.util.concurrent.atomic.AtomicInteger LABS = new java.util.concurrent.atomic.AtomicInteger();

  @BeforeEach
  void startPulse() throws Exception {
    // a short directory: the daemon's socket path must fit in 108 bytes
    lab = PulseLab.start(tmp.resolve("p" + LABS.incrementAndGet()), "alice", "bob");
  }

  @AfterEach
  void stopPulse() throws Exception {
    if (lab != null) lab.close();
    lab = null;
  }

  @Test
  void bothTalkAtOnceAndEachHearsTheOtherWithProcessingOff() throws Exception {
    Call call = call("raw", false, true);
    String report = call.report();
    assertTrue(call.bobHearsAlice.correlation >= MIN_CORRELATION, report);
    assertTrue(call.aliceHearsBob.correlation >= MIN_CORRELATION, report);
    call.assertNoCrosstalkAndSaneDelay();
  }

  @Test
  void takingTurnsWithDefaultProcessingEachHearsTheOther() throws Exception {
    Call call = call("processed", true, false);
    String report = call.report();
    assertTrue(call.bobHearsAlice.correlation >= MIN_CORRELATION, report);
    assertTrue(call.aliceHearsBob.correlation >= MIN_CORRELATION, report);
    call.assertNoCrosstalkAndSaneDelay();
  }

  @Test
  void devicesListsTheVirtualDevicesWithTheDefaultsMarked() throws Exception {
    try (ChildJvm devices = ChildJvm.start("devices", lab.env(), "devices")) {
      assertEquals(0, devices.awaitExit(60), devices.describe());
      List<String> out = devices.stdout();
      assertTrue(out.contains("microphone alice_mic \"alice_microphone\" (default)"), devices.describe());
      assertTrue(out.contains("microphone bob_mic \"bob_microphone\""), devices.describe());
      assertTrue(out.contains("speaker alice_spk \"alice_speaker\" (default)"), devices.describe());
      assertTrue(out.contains("speaker bob_spk \"bob_speaker\""), devices.describe());
    }
  }

  @Test
  void unknownDeviceIsAUsageErrorListingTheDevices() throws Exception {
    try (ChildJvm peer = ChildJvm.start("peer", lab.env(), "peer", "--signaling", "ws://127.0.0.1:9/v1/ws",
        "--room", "r1", "--id", "alice", "--audio", "mic:nosuch", "--speaker=bob_speaker")) {
      assertEquals(2, peer.awaitExit(60), peer.describe());
      String err = String.join("\n", peer.stderr());
      assertTrue(err.contains("no microphone named \"nosuch\"") && err.contains("bob_mic \"bob_microphone\""), err);
    }
    try (ChildJvm peer = ChildJvm.start("peer", lab.env(), "peer", "--signaling", "ws://127.0.0.1:9/v1/ws",
        "--room", "r1", "--id", "alice", "--audio", "none", "--speaker=nosuch")) {
      assertEquals(2, peer.awaitExit(60), peer.describe());
      String err = String.join("\n", peer.stderr());
      assertTrue(err.contains("no speaker named \"nosuch\"") && err.contains("alice_spk \"alice_speaker\""), err);
    }
  }

  @Test
  void microphoneWithoutASoundServerFailsSayingWhyInsteadOfSendingATone() throws Exception {
    Path nowhere = tmp.resolve("no-pulse");
    Files.createDirectories(nowhere);
    Map<String, String> env = Map.of("XDG_RUNTIME_DIR", nowhere.toString(), "HOME", nowhere.toString(),
        "PULSE_SERVER", "unix:" + nowhere.resolve("native"));
    try (ChildJvm peer = ChildJvm.start("peer", env, "peer", "--signaling", "ws://127.0.0.1:9/v1/ws",
        "--room", "r1", "--id", "alice", "--audio", "mic")) {
      assertEquals(2, peer.awaitExit(60), peer.describe());
      assertTrue(String.join("\n", peer.stderr()).contains("--audio mic: no sound server: PulseAudio not running"),
          peer.describe());
    }
    try (ChildJvm devices = ChildJvm.start("devices", env, "devices")) {
      assertEquals(2, devices.awaitExit(60), devices.describe());
      assertTrue(String.join("\n", devices.stderr()).contains("no sound server"), devices.describe());
    }
    // the SDK itself, without the CLI's check: the session ends FAILED saying why, the JVM lives on
    try (ChildJvm probe = ChildJvm.startMain("probe", NoSoundServerProbe.class.getName(), env)) {
      assertEquals(0, probe.awaitExit(60), probe.describe());
      String line = probe.awaitLine("ENDED ", 1);
      assertNotNull(line, probe.describe());
      assertTrue(line.startsWith("ENDED FAILED no sound server: PulseAudio not running"), probe.describe());
    }
  }

  @Test
  void sdkSwitchesMicrophoneAndSpeakerMidCallMutesAndMetersTheLevel() throws Exception {
    Path toneA = tmp.resolve("500hz.wav");
    Path toneB = tmp.resolve("1200hz.wav");
    ToneWav.write(toneA, 500, 40);
    ToneWav.write(toneB, 1200, 40);
    try (ChildJvm probe = ChildJvm.startMain("probe", DeviceSwitchProbe.class.getName(), lab.env(),
        toneA.toString(), toneB.toString())) {
      assertEquals(0, probe.awaitExit(120), probe.describe());
      Map<String, Map<String, Double>> p = new HashMap<>();
      for (String line : probe.stdout()) {
        if (!line.startsWith("PHASE ")) continue;
        String[] f = line.split(" ");
        Map<String, Double> v = new HashMap<>();
        for (int i = 2; i < f.length; i++) v.put(f[i].split("=")[0], Double.parseDouble(f[i].split("=")[1]));
        p.put(f[1], v);
      }
      String all = probe.describe();
      System.out.println(String.join("\n", probe.stdout()));
      for (Map.Entry<String, Map<String, Double>> e : p.entrySet()) {
        assertTrue(e.getValue().get("after_ms") >= 0, "phase " + e.getKey() + " never took effect\n" + all);
      }
      // bob hears whichever microphone alice's session uses, and only that one
      assertTrue(p.get("alice_mic").get("hz500") > 0.9 && p.get("alice_mic").get("hz1200") < 0.05, all);
      assertTrue(p.get("switched_to_bob_mic").get("hz1200") > 0.9 && p.get("switched_to_bob_mic").get("hz500") < 0.05, all);
      assertTrue(p.get("unmuted").get("hz1200") > 0.9, all);
      assertTrue(p.get("default_mic").get("hz500") > 0.9, all);
      // muted: silence; the level meter follows the microphone
      assertTrue(p.get("muted").get("rms") < 50 && p.get("alice_mic").get("rms") > 5000, all);
      assertTrue(p.get("alice_mic").get("level") > 0.3 && p.get("silent_mic").get("level") < 0.01, all);
      // the silent source: neither tone is left (what bob gets may be the jitter buffer's concealment
      // noise while the moved capture stream stalls: measured RMS 0-1680 under load)
      assertTrue(p.get("silent_mic").get("hz500") < 0.05 && p.get("silent_mic").get("hz1200") < 0.05, all);
      // no speaker: alice's playout stream is muted; then it plays on the chosen one only
      assertTrue(p.get("alice_mic").get("spk_alice") < 50 && p.get("alice_mic").get("spk_bob") < 50, all);
      assertTrue(p.get("speaker_alice").get("spk_alice") > 500 && p.get("speaker_alice").get("spk_bob") < 50, all);
      assertTrue(p.get("speaker_bob").get("spk_bob") > 500 && p.get("speaker_bob").get("spk_alice") < 50, all);
      String unknown = probe.stdout().stream().filter(l -> l.startsWith("UNKNOWN ")).findFirst().orElse("");
      assertTrue(unknown.contains("no microphone named \"nosuch\"") && unknown.contains("bob_mic"), all);
    }
  }

  @Test
  void wavFileSentByOnePeerIsHeardOnTheOthersSpeaker() throws Exception {
    Path wav = tmp.resolve("file-speech.wav");
    lab.run("espeak-ng", "-w", wav.toString(), "This sentence comes from a wave file, sent by alice, played on bob's speaker.");
    short[] reference = readWav16k(wav);
    try (ChildJvm server = ChildJvm.start("server", Map.of(), "server", "--port", "0")) {
      String listening = server.awaitLine("signaling server listening", 60);
      assertNotNull(listening, server.describe());
      String ws = listening.replaceAll(".*?(ws://\\S+).*", "$1");
      try (ChildJvm bob = ChildJvm.start("bob", lab.env(), "peer", "--signaling", ws, "--room", "r2", "--id", "bob",
              "--duration", "14s", "--video", "160x120@10", "--audio", "mic:bob_mic", "--speaker=bob_spk");
          ChildJvm alice = ChildJvm.start("alice", lab.env(), "peer", "--signaling", ws, "--room", "r2", "--id", "alice",
              "--call", "bob", "--duration", "14s", "--video", "160x120@10", "--audio", "file:" + wav)) {
        assertNotNull(alice.awaitLine("connected in", 120), "alice\n" + alice.describe());
        try (Recording ear = Recording.start(lab, "bob_spk.monitor")) {
          await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
              assertTrue(ear.recentRms(1000) >= 300, () -> "the file never came out of bob's speaker\n" + bob.describe()));
          Thread.sleep(2L * reference.length * 1000 / Recording.RATE); // two passes of the looping file
          short[] heard = ear.stop();
          int[] loud = Alignment.loudPart(reference, Recording.RATE);
          Alignment.Match m = Alignment.find(reference, loud[0], loud[1], heard);
          Alignment.Windows w = Alignment.windows(reference, loud[0], loud[1], heard, m.recordingStart(),
              Recording.RATE * WINDOW_MS / 1000, Recording.RATE * SEARCH_MS / 1000);
          String report = String.format("file: bob hears the WAV: correlation=%.3f global_correlation=%.3f lag_spread_ms=%.0f",
              w.meanCorrelation(), m.correlation(), (w.maxLag() - w.minLag()) * 1000.0 / Recording.RATE);
          System.out.println(report);
          assertTrue(w.meanCorrelation() >= MIN_CORRELATION, report);
        }
        assertEquals(0, alice.awaitExit(120), "alice\n" + alice.describe());
        assertEquals(0, bob.awaitExit(60), "bob\n" + bob.describe());
      }
    }
  }

  /** A 16-bit mono WAV (espeak-ng writes 22050 Hz) resampled to {@link Recording#RATE} by linear interpolation. */
  private static short[] readWav16k(Path wav) throws Exception {
    try (javax.sound.sampled.AudioInputStream in = javax.sound.sampled.AudioSystem.getAudioInputStream(wav.toFile())) {
      javax.sound.sampled.AudioFormat f = in.getFormat();
      assertEquals(1, f.getChannels(), "espeak-ng output is mono");
      assertEquals(16, f.getSampleSizeInBits());
      byte[] b = in.readAllBytes();
      int n = b.length / 2;
      double step = f.getSampleRate() / Recording.RATE;
      short[] out = new short[(int) ((n - 1) / step)];
      for (int i = 0; i < out.length; i++) {
        double pos = i * step;
        int k = (int) pos;
        double frac = pos - k;
        double a = (short) ((b[2 * k] & 0xff) | (b[2 * k + 1] << 8));
        double c = (short) ((b[2 * k + 2] & 0xff) | (b[2 * k + 3] << 8));
        out[i] = (short) Math.round(a * (1 - frac) + c * frac);
      }
      return out;
    }
  }

  /** The four comparisons of one call. */
  record Call(Heard bobHearsAlice, Heard aliceHearsBob, Heard bobHearsBob, Heard aliceHearsAlice) {
    String report() {
      return bobHearsAlice + "\n" + aliceHearsBob + "\n" + bobHearsBob + "\n" + aliceHearsAlice;
    }

    void assertNoCrosstalkAndSaneDelay() {
      assertTrue(bobHearsBob.correlation < MAX_CROSSTALK, report());
      assertTrue(aliceHearsAlice.correlation < MAX_CROSSTALK, report());
      for (Heard h : List.of(bobHearsAlice, aliceHearsBob)) {
        assertTrue(h.delayMs > 0 && h.delayMs < 1000, "mouth-to-ear delay out of range: " + report());
      }
    }
  }

  /**
   * Two peer processes call each other; speech goes into both microphones (at once, or alice then
   * bob), all four devices are recorded and compared.
   */
  private static Call call(String label, boolean processing, boolean atOnce) throws Exception {
    Path aliceWav = tmp.resolve("alice.wav");
    Path bobWav = tmp.resolve("bob.wav");
    lab.run("espeak-ng", "-w", aliceWav.toString(), "Hello Bob, this is Alice calling over simple call. One, two, three, four, five.");
    lab.run("espeak-ng", "-v", "en+f3", "-p", "70", "-w", bobWav.toString(), "Hi Alice, Bob here. Seven, eight, nine, ten. I hear you well.");
    String proc = processing ? "on" : "off";
    try (ChildJvm server = ChildJvm.start("server", Map.of(), "server", "--port", "0")) {
      String listening = server.awaitLine("signaling server listening", 60);
      assertNotNull(listening, server.describe());
      String ws = listening.replaceAll(".*?(ws://\\S+).*", "$1");
      try (ChildJvm bob = ChildJvm.start("bob", lab.env(), "peer", "--signaling", ws, "--room", "r1", "--id", "bob",
              "--duration", "20s", "--video", "160x120@10", "--audio", "mic:bob_mic", "--speaker=bob_spk",
              "--audio-processing", proc);
          ChildJvm alice = ChildJvm.start("alice", lab.env(), "peer", "--signaling", ws, "--room", "r1", "--id", "alice",
              "--call", "bob", "--verbose", "--duration", "20s", "--video", "160x120@10",
              "--audio", "mic:alice_microphone", "--speaker=alice_speaker", "--audio-processing", proc)) {
        assertNotNull(alice.awaitLine("connected in", 120), "alice\n" + alice.describe());
        assertNotNull(bob.awaitLine("connected in", 60), "bob\n" + bob.describe());
        awaitStreamsRouted();
        long warmMs = warmUp(tmp.resolve("warm.wav"));
        System.out.println(label + ": audio flowed both ways " + warmMs + " ms after the warm-up tone started");

        Recording aliceMouth = Recording.start(lab, "alice_in.monitor");
        Recording bobMouth = Recording.start(lab, "bob_in.monitor");
        Recording aliceEar = Recording.start(lab, "alice_spk.monitor");
        Recording bobEar = Recording.start(lab, "bob_spk.monitor");
        Process playA = lab.spawn("paplay", "-d", "alice_in", aliceWav.toString());
        if (!atOnce) assertTrue(playA.waitFor(30, TimeUnit.SECONDS) && playA.exitValue() == 0, "paplay alice");
        Process playB = lab.spawn("paplay", "-d", "bob_in", bobWav.toString());
        assertTrue(playA.waitFor(30, TimeUnit.SECONDS) && playA.exitValue() == 0, "paplay alice");
        assertTrue(playB.waitFor(30, TimeUnit.SECONDS) && playB.exitValue() == 0, "paplay bob");
        // the call path's delay is well under a second; record a little longer than that
        Thread.sleep(1500);
        short[] am = aliceMouth.stop();
        short[] bm = bobMouth.stop();
        short[] ae = aliceEar.stop();
        short[] be = bobEar.stop();
        keep(label + "-alice_mouth", am);
        keep(label + "-bob_mouth", bm);
        keep(label + "-alice_ear", ae);
        keep(label + "-bob_ear", be);

        Call call = new Call(
            heard(label + ": bob hears alice", am, aliceMouth.startNanos(), be, bobEar.startNanos()),
            heard(label + ": alice hears bob", bm, bobMouth.startNanos(), ae, aliceEar.startNanos()),
            heard(label + ": bob hears bob (crosstalk)", bm, bobMouth.startNanos(), be, bobEar.startNanos()),
            heard(label + ": alice hears alice (crosstalk)", am, aliceMouth.startNanos(), ae, aliceEar.startNanos()));
        System.out.println(call.report());

        int aliceExit = alice.awaitExit(120);
        int bobExit = bob.awaitExit(60);
        assertEquals(0, aliceExit, "alice\n" + alice.describe());
        assertEquals(0, bobExit, "bob\n" + bob.describe());
        assertTrue(String.join("\n", alice.stderr()).contains("PulseAudio device module"),
            "alice's log names the audio engine\n" + alice.describe());
        return call;
      }
    }
  }

  /** Keeps a recording as target/mic-speaker-call/NAME.raw (s16le mono 16 kHz) for a look after a failure. */
  private static void keep(String name, short[] samples) throws java.io.IOException {
    Path dir = Path.of("target", "mic-speaker-call");
    Files.createDirectories(dir);
    byte[] b = new byte[samples.length * 2];
    for (int i = 0; i < samples.length; i++) {
      b[2 * i] = (byte) samples[i];
      b[2 * i + 1] = (byte) (samples[i] >> 8);
    }
    Files.write(dir.resolve(name + ".raw"), b);
  }

  /**
   * Plays a tone into both microphones until both speakers have played it for a second, then waits
   * for silence: the measured speech starts on a path that runs (a stream just moved to its device
   * stalls for 0.5-2.5 s). Returns how long until both speakers played the tone.
   */
  private static long warmUp(Path wav) throws Exception {
    ToneWav.write(wav, 700, 20);
    long t0 = System.nanoTime();
    try (Recording aliceEar = Recording.start(lab, "alice_spk.monitor");
        Recording bobEar = Recording.start(lab, "bob_spk.monitor")) {
      Process a = lab.spawn("paplay", "-d", "alice_in", wav.toString());
      Process b = lab.spawn("paplay", "-d", "bob_in", wav.toString());
      long heard;
      try {
        await("the warm-up tone comes out of both speakers").atMost(Duration.ofSeconds(20))
            .pollInterval(Duration.ofMillis(50))
            .until(() -> aliceEar.recentRms(1000) > 300 && bobEar.recentRms(1000) > 300);
        heard = (System.nanoTime() - t0) / 1_000_000 - 1000;
      } finally {
        a.destroy();
        b.destroy();
      }
      await("both speakers are silent after the warm-up tone").atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> aliceEar.recentRms(300) <= 30 && bobEar.recentRms(300) <= 30);
      return heard;
    }
  }

  /** Waits until the peers' capture and playout streams sit on their own devices (or fails). */
  private static void awaitStreamsRouted() {
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
      String outputs = lab.run("pactl", "list", "short", "source-outputs");
      String sources = lab.run("pactl", "list", "short", "sources");
      Map<String, String> byIndex = new HashMap<>();
      for (String line : sources.split("\n")) {
        String[] f = line.split("\t");
        if (f.length > 1) byIndex.put(f[0], f[1]);
      }
      StringBuilder used = new StringBuilder();
      for (String line : outputs.split("\n")) {
        String[] f = line.split("\t");
        if (f.length > 3 && f[3].contains("protocol-native")) {
          if (used.length() > 0) used.append(',');
          used.append(byIndex.get(f[1]));
        }
      }
      String u = used.toString();
      assertTrue(u.equals("alice_mic,bob_mic") || u.equals("bob_mic,alice_mic"),
          () -> "capture streams not on alice_mic and bob_mic: " + u + "\n" + outputs);
    });
  }

  /**
   * {@code correlation}: mean over 0.5 s windows of the waveform correlation, each window aligned on
   * its own (within 120 ms of the global match); {@code global}: one alignment for the whole speech;
   * {@code envelope}: 10 ms RMS envelopes at the global alignment; {@code delayMs}: mouth to ear at
   * the windows' median lag, {@code lagSpreadMs}: how far the windows' lags spread (jitter buffer).
   */
  record Heard(String what, double correlation, double global, double envelope, double delayMs, double lagSpreadMs,
      double mouthSeconds, double earRms) {
    @Override
    public String toString() {
      return String.format("%s: correlation=%.3f global_correlation=%.3f envelope_correlation=%.3f mouth_to_ear_ms=%.0f "
          + "lag_spread_ms=%.0f speech=%.2fs ear_rms=%.0f", what, correlation, global, envelope, delayMs, lagSpreadMs,
          mouthSeconds, earRms);
    }
  }

  private static Heard heard(String what, short[] mouth, long mouthStart, short[] ear, long earStart) {
    int[] loud = Alignment.loudPart(mouth, Recording.RATE);
    assertTrue(loud[1] - loud[0] > Recording.RATE, what + ": less than 1 s of speech reached the microphone");
    Alignment.Match m = Alignment.find(mouth, loud[0], loud[1], ear);
    int rate = Recording.RATE;
    Alignment.Windows w = Alignment.windows(mouth, loud[0], loud[1], ear, m.recordingStart(), rate * WINDOW_MS / 1000, rate * SEARCH_MS / 1000);
    double mouthAt = mouthStart + loud[0] * 1e9 / rate;
    double earAt = earStart + (m.recordingStart() + w.medianLag()) * 1e9 / rate;
    double envelope = Alignment.envelopeCorrelation(mouth, loud[0], ear, m.recordingStart(), m.length(), rate);
    return new Heard(what, w.meanCorrelation(), m.correlation(), envelope, (earAt - mouthAt) / 1e6,
        (w.maxLag() - w.minLag()) * 1000.0 / rate, (loud[1] - loud[0]) / (double) rate,
        Alignment.rms(ear, m.recordingStart(), m.recordingStart() + m.length()));
  }
}
