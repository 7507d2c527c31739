package dev.simplecall.samples.audio;

import dev.simplecall.AudioSink;
import dev.simplecall.AudioSource;
import dev.simplecall.CallClient;
import dev.simplecall.CallSession;
import dev.simplecall.CallState;
import dev.simplecall.InMemorySignaling;
import dev.simplecall.MediaOptions;
import dev.simplecall.SessionOptions;
import dev.simplecall.Speaker;
import dev.simplecall.VideoSource;
import java.io.InputStream;
import java.net.URI;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Run in a child JVM whose environment points at a {@link PulseLab} daemon (the native audio module
 * reads PULSE_SERVER from the process environment, so this cannot run in the test JVM). Alice talks
 * through the SDK with {@code AudioSource.microphone("alice_mic")} (processing off), no speaker;
 * Bob is headless, sends an 800 Hz tone and records what he receives. A 500 Hz tone plays into
 * alice_mic and a 1200 Hz tone into bob_mic. Prints one line per phase for {@link
 * MicSpeakerCallTest} to check:
 * {@code PHASE name after_ms=T hz500=X hz1200=Y rms=Z level=L spk_alice=A spk_bob=B}, where T is how long
 * the change took to be heard (-1: never, within 10 s).
 */
public final class DeviceSwitchProbe {
  /** Bob's received audio, 48 kHz mono, last second kept. */
  static final class Tail implements AudioSink {
    private final short[] ring = new short[48_000];
    private int pos;
    private int rate = 48_000;

    @Override
    public synchronized void onPcm(short[] pcm, int sampleRate, int channels) {
      rate = sampleRate;
      for (int i = 0; i < pcm.length; i += channels) {
        ring[pos] = pcm[i];
        pos = (pos + 1) % ring.length;
      }
    }

    synchronized short[] lastSecond() {
      short[] out = new short[ring.length];
      for (int i = 0; i < ring.length; i++) out[i] = ring[(pos + i) % ring.length];
      return out;
    }

    synchronized int rate() {
      return rate;
    }
  }

  public static void main(String[] args) throws Exception {
    InMemorySignaling hub = new InMemorySignaling();
    CallClient client = CallClient.builder().addTransportFactory(hub.transportFactory()).build();
    MediaOptions aliceMedia = MediaOptions.builder().video(VideoSource.none())
        .audio(AudioSource.microphoneBuilder().device("alice_mic").echoCancellation(false)
            .noiseSuppression(false).autoGainControl(false).build())
        .build();
    MediaOptions bobMedia = MediaOptions.builder().video(VideoSource.none()).audio(AudioSource.tone(800)).build();
    CountDownLatch connected = new CountDownLatch(2);
    CallSession.Listener l = new CallSession.Listener() {
      @Override
      public void onStateChanged(CallSession s, CallState state) {
        if (state == CallState.CONNECTED) connected.countDown();
      }
    };
    URI uri = URI.create("memory://probe");
    CallSession alice = client.newSession(SessionOptions.builder().signaling(uri).room("r").peerId("alice")
        .media(aliceMedia).build(), l);
    CallSession bob = client.newSession(SessionOptions.builder().signaling(uri).room("r").peerId("bob")
        .media(bobMedia).build(), l);
    Tail tail = new Tail();
    bob.addRemoteAudioSink(tail);
    Process toneA = null;
    Process toneB = null;
    try {
      bob.start();
      alice.call("bob");
      if (!connected.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("no connection in 30 s");
      toneA = new ProcessBuilder("paplay", "-d", "alice_in", args[0]).start();
      toneB = new ProcessBuilder("paplay", "-d", "bob_in", args[1]).start();

      phase("alice_mic", tail, alice, tone(500));
      alice.setMicrophone("bob_microphone").get(10, TimeUnit.SECONDS);
      phase("switched_to_bob_mic", tail, alice, tone(1200));
      alice.setAudioMuted(true);
      phase("muted", tail, alice, SILENT);
      alice.setAudioMuted(false);
      phase("unmuted", tail, alice, tone(1200));
      alice.setMicrophone("Monitor of bob_speaker").get(10, TimeUnit.SECONDS); // silent: bob plays nothing
      // bob hears silence at once (the moved capture stream stalls); wait until the level meter
      // reads the silent source too, i.e. capture runs again
      phase("silent_mic", tail, alice, SILENT.and(last -> level(alice) < 0.01));
      alice.setMicrophone(null).get(10, TimeUnit.SECONDS); // the default: alice_mic
      phase("default_mic", tail, alice, tone(500));
      alice.setSpeaker(Speaker.device("alice_speaker")).get(10, TimeUnit.SECONDS);
      phase("speaker_alice", tail, alice, tone(500));
      alice.setSpeaker(Speaker.device("bob_spk")).get(10, TimeUnit.SECONDS);
      phase("speaker_bob", tail, alice, tone(500));
      try {
        alice.setMicrophone("nosuch").get(10, TimeUnit.SECONDS);
        System.out.println("UNKNOWN accepted");
      } catch (java.util.concurrent.ExecutionException e) {
        System.out.println("UNKNOWN " + e.getCause().getMessage());
      }
    } finally {
      if (toneA != null) toneA.destroy();
      if (toneB != null) toneB.destroy();
      alice.close();
      bob.close();
      client.close();
    }
    System.out.println("DONE");
    System.out.flush();
    Runtime.getRuntime().halt(0);
  }

  private static double level(CallSession alice) {
    try {
      return alice.microphoneLevel().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The last 100 ms Bob received are silent. */
  static final java.util.function.Predicate<short[]> SILENT = last -> rms(last) < 50;

  /** The last 100 ms Bob received are a clean tone of {@code hz}. */
  static java.util.function.Predicate<short[]> tone(double hz) {
    return last -> rms(last) > 5000 && share(last, 48_000, hz) > 0.9;
  }

  /**
   * Waits (up to 10 s) until what Bob receives shows the action took effect, then measures the next
   * full second. Prints how long the wait took ({@code after_ms}, -1 when it never happened).
   */
  private static void phase(String name, Tail tail, CallSession alice, java.util.function.Predicate<short[]> ready)
      throws Exception {
    long t0 = System.nanoTime();
    long afterMs = -1;
    while (System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10)) {
      short[] all = tail.lastSecond();
      if (ready.test(java.util.Arrays.copyOfRange(all, all.length - 4800, all.length))) {
        afterMs = (System.nanoTime() - t0) / 1_000_000;
        break;
      }
      Thread.sleep(20); // sampling what arrives, not synchronising
    }
    Thread.sleep(1000); // then a full second of steady audio
    short[] s = tail.lastSecond();
    int rate = tail.rate();
    double level = alice.microphoneLevel().get(10, TimeUnit.SECONDS);
    System.out.printf(java.util.Locale.ROOT, "PHASE %s after_ms=%d hz500=%.3f hz1200=%.3f rms=%.0f level=%.3f spk_alice=%.0f spk_bob=%.0f%n",
        name, afterMs, share(s, rate, 500), share(s, rate, 1200), rms(s), level, monitorRms("alice_spk.monitor"),
        monitorRms("bob_spk.monitor"));
    System.out.flush();
    if (System.getenv("PROBE_DETAIL") != null) {
      StringBuilder b = new StringBuilder("DETAIL " + name);
      for (int i = 0; i + 4800 <= s.length; i += 4800) {
        short[] w = java.util.Arrays.copyOfRange(s, i, i + 4800);
        b.append(String.format(java.util.Locale.ROOT, " %.0f/%.2f", rms(w), share(w, rate, 1200)));
      }
      System.out.println(b);
    }
  }

  /** RMS of 0.5 s recorded from a monitor source (after 0.2 s to let parec settle). */
  private static double monitorRms(String source) throws Exception {
    Process p = new ProcessBuilder("parec", "-d", source, "--raw", "--format=s16le", "--rate=16000", "--channels=1",
        "--latency-msec=10").redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try (InputStream in = p.getInputStream()) {
      in.readNBytes(6400);
      byte[] b = in.readNBytes(16000);
      double e = 0;
      for (int i = 0; i + 1 < b.length; i += 2) {
        short v = (short) ((b[i] & 0xff) | (b[i + 1] << 8));
        e += (double) v * v;
      }
      return Math.sqrt(e / Math.max(1, b.length / 2));
    } finally {
      p.destroy();
    }
  }

  /** Share of the signal's power at {@code hz} (Goertzel), 0..1. */
  static double share(short[] s, int rate, double hz) {
    double k = 2 * Math.cos(2 * Math.PI * hz / rate);
    double s1 = 0;
    double s2 = 0;
    double total = 0;
    for (short v : s) {
      double s0 = v + k * s1 - s2;
      s2 = s1;
      s1 = s0;
      total += (double) v * v;
    }
    double power = s1 * s1 + s2 * s2 - k * s1 * s2;
    return total == 0 ? 0 : 2 * power / (s.length * total);
  }

  static double rms(short[] s) {
    double e = 0;
    for (short v : s) e += (double) v * v;
    return Math.sqrt(e / s.length);
  }
}
