package dev.simplecall.internal.audio;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.media.audio.AudioOptions;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Prints measured figures; not a test. Modes:
 * <ul>
 *   <li>{@code guarded N} (default): N calls, each with two fresh engines, 440 Hz one way and
 *       660 Hz the other; rate and pitch at each receiver.
 *   <li>{@code plain-receiver}: the receiver uses a bare {@link HeadlessAudioDeviceModule} factory
 *       (no engine) and sends a {@code createAudioSource} track, so libwebrtc starts the module's
 *       capture thread. Shows the 2x: that thread pulls the playout mix too.
 *   <li>{@code source-before-playout}: Alice's module gets the microphone source before playout
 *       is started, so the module's buffer accepts it and libwebrtc's transport is cut off.
 *   <li>{@code churn N}: N rounds of adding and removing a second tone track with renegotiation
 *       while tones flow both ways (each new send stream restarts ADM recording).
 * </ul>
 * Run: {@code java -cp sdk-core/target/classes:sdk-core/target/test-classes:$(cat cp.txt)
 * dev.simplecall.internal.audio.AudioEngineBenchmark guarded 5}
 */
public final class AudioEngineBenchmark {
  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "guarded";
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    switch (mode) {
      case "guarded" -> {
        for (int i = 1; i <= runs; i++) {
          try (AudioEngine a = AudioEngine.create(); AudioEngine b = AudioEngine.create()) {
            System.out.println("run " + i + ": " + call(a, b, true));
          }
        }
      }
      case "plain-receiver" -> plainReceiver();
      case "source-before-playout" -> sourceBeforePlayout();
      case "churn" -> {
        try (AudioEngine a = AudioEngine.create(); AudioEngine b = AudioEngine.create()) {
          System.out.println("churn: " + churn(a, b, runs));
        }
      }
      default -> throw new IllegalArgumentException("unknown mode: " + mode);
    }
  }

  /** Alice sends 440 Hz to Bob; Bob sends 660 Hz back (a tone) or a never-fed track. */
  private static String call(AudioEngine alice, AudioEngine bob, boolean bobSendsTone) throws Exception {
    try (LoopbackPair pair = new LoopbackPair(alice.factory(), bob.factory())) {
      pair.offerer.addTrack(alice.createToneTrack("a", 440), List.of("a"));
      AudioTrack bobTrack = bobSendsTone
          ? bob.createToneTrack("b", 660)
          : bob.factory().createAudioTrack("b", bob.factory().createAudioSource(new AudioOptions()));
      pair.answerer.addTrack(bobTrack, List.of("b"));
      long t0 = System.nanoTime();
      pair.connect();
      long connectMs = (System.nanoTime() - t0) / 1_000_000;
      AudioTrack atBob = pair.answererRemoteAudio.poll(5, TimeUnit.SECONDS);
      PcmRecorder bobHears = new PcmRecorder(5, TimeUnit.SECONDS);
      bob.addRemoteSink(atBob, bobHears);
      PcmRecorder aliceHears = null;
      if (bobSendsTone) {
        for (var r : pair.offerer.getReceivers()) {
          if (r.getTrack() instanceof AudioTrack t) {
            aliceHears = new PcmRecorder(5, TimeUnit.SECONDS);
            alice.addRemoteSink(t, aliceHears);
          }
        }
      }
      if (!bobHears.awaitSpan(20, TimeUnit.SECONDS)) return "bob got no 5 s of audio";
      if (aliceHears != null && !aliceHears.awaitSpan(20, TimeUnit.SECONDS)) return "alice got no 5 s of audio";
      long second = TimeUnit.SECONDS.toNanos(1);
      return "connect " + connectMs + " ms; bob hears " + bobHears.measure(second)
          + (aliceHears != null ? "; alice hears " + aliceHears.measure(second) : "")
          + "; capture pulls a=" + alice.micPulls() + " b=" + bob.micPulls();
    }
  }

  /**
   * Tones both ways; then {@code rounds} times the offerer adds a second tone track and
   * renegotiates, then removes it and renegotiates. Each new send stream makes libwebrtc restart
   * ADM recording, which the guard must undo without ever letting two threads feed a stream.
   */
  private static String churn(AudioEngine alice, AudioEngine bob, int rounds) throws Exception {
    try (LoopbackPair pair = new LoopbackPair(alice.factory(), bob.factory())) {
      pair.offerer.addTrack(alice.createToneTrack("a", 440), List.of("a"));
      pair.answerer.addTrack(bob.createToneTrack("b", 660), List.of("b"));
      pair.connect();
      long t0 = System.nanoTime();
      for (int i = 0; i < rounds; i++) {
        AudioTrack extra = alice.createToneTrack("extra" + i, 880);
        var sender = pair.offerer.addTrack(extra, List.of("a"));
        pair.renegotiate();
        pair.offerer.removeTrack(sender);
        pair.renegotiate();
        alice.releaseTrack(extra);
      }
      long ms = (System.nanoTime() - t0) / 1_000_000;
      AudioTrack atBob = pair.answererRemoteAudio.poll(5, TimeUnit.SECONDS);
      PcmRecorder bobHears = new PcmRecorder(3, TimeUnit.SECONDS);
      bob.addRemoteSink(atBob, bobHears);
      if (!bobHears.awaitSpan(20, TimeUnit.SECONDS)) return "bob got no 3 s of audio";
      return rounds + " add/remove rounds in " + ms + " ms; afterwards bob hears " + bobHears.measure(TimeUnit.SECONDS.toNanos(1));
    }
  }

  /** Alice (engine) sends 440 Hz; Bob is a bare headless-module factory sending a silent track. */
  private static void plainReceiver() throws Exception {
    HeadlessAudioDeviceModule adm = new HeadlessAudioDeviceModule();
    PeerConnectionFactory bobFactory = new PeerConnectionFactory(adm);
    try (AudioEngine alice = AudioEngine.create()) {
      try (LoopbackPair pair = new LoopbackPair(alice.factory(), bobFactory)) {
        pair.offerer.addTrack(alice.createToneTrack("a", 440), List.of("a"));
        pair.answerer.addTrack(
            bobFactory.createAudioTrack("b", bobFactory.createAudioSource(new AudioOptions())), List.of("b"));
        pair.connect();
        AudioTrack atBob = pair.answererRemoteAudio.poll(5, TimeUnit.SECONDS);
        PcmRecorder bobHears = new PcmRecorder(5, TimeUnit.SECONDS);
        var sink = new RemoteSinkAdapter(bobHears);
        atBob.addSink(sink);
        boolean ok = bobHears.awaitSpan(20, TimeUnit.SECONDS);
        atBob.removeSink(sink);
        System.out.println("plain headless receiver: "
            + (ok ? bobHears.measure(TimeUnit.SECONDS.toNanos(1)) : "no 5 s of audio"));
      }
    } finally {
      bobFactory.dispose();
      adm.dispose();
    }
  }

  /** The engine's steps in the wrong order on Alice's side; Bob is a normal engine. */
  private static void sourceBeforePlayout() throws Exception {
    HeadlessAudioDeviceModule adm = new HeadlessAudioDeviceModule();
    PeerConnectionFactory aliceFactory = new PeerConnectionFactory(adm);
    MicMixer mic = new MicMixer();
    adm.setAudioSource(mic);
    adm.initPlayout();
    adm.startPlayout();
    try (AudioEngine bob = AudioEngine.create();
        LoopbackPair pair = new LoopbackPair(aliceFactory, bob.factory())) {
      AudioOptions off = new AudioOptions();
      AudioTrack tone = aliceFactory.createAudioTrack("a", aliceFactory.createAudioSource(off));
      mic.add(tone, new ToneFeed(440));
      pair.offerer.addTrack(tone, List.of("a"));
      pair.connect();
      AudioTrack atBob = pair.answererRemoteAudio.poll(5, TimeUnit.SECONDS);
      PcmRecorder bobHears = new PcmRecorder(3, TimeUnit.SECONDS);
      bob.addRemoteSink(atBob, bobHears);
      long pulls0 = mic.pulls();
      long t0 = System.nanoTime();
      boolean ok = bobHears.awaitSpan(20, TimeUnit.SECONDS);
      double pullsPerSecond = (mic.pulls() - pulls0) / ((System.nanoTime() - t0) / 1e9);
      System.out.printf("source before playout: mic pulled %.0f times/s; bob hears %s%n", pullsPerSecond,
          ok ? bobHears.measure(TimeUnit.SECONDS.toNanos(1)) : "no 3 s of audio");
    } finally {
      aliceFactory.dispose();
      adm.dispose();
    }
  }

  private AudioEngineBenchmark() {}
}
