package dev.simplecall.samples.audio;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.samples.ChildJvm;
import dev.simplecall.samples.ToneWav;
import dev.simplecall.samples.video.Xvfb;
import dev.simplecall.server.SignalingServer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The window's device pickers and microphone meter on a real PulseAudio daemon with virtual devices
 * and a private Xvfb display: two {@code simplecall gui} windows in a call, alice on her virtual
 * microphone fed with a tone by {@code paplay}. Her window lists the daemon's microphones, speakers
 * and the display's screen, and its meter reads a level while she talks.
 */
class GuiDevicesTest {
  private static final Pattern LEVEL = Pattern.compile("microphone level (\\d+) %");

  @TempDir
  Path tmp;

  @Test
  void theWindowListsTheSystemsDevicesAndItsMeterShowsTheMicrophoneLevel() throws Exception {
    Path tone = tmp.resolve("tone.wav");
    ToneWav.write(tone, 440, 30);
    try (PulseLab lab = PulseLab.start(tmp.resolve("pulse"), "alice", "bob");
        Xvfb x = Xvfb.withFramebuffers("1400x720x24")) {
      Process talk = null;
      try (SignalingServer server = SignalingServer.builder().bind("127.0.0.1").port(0).build().start()) {
        Map<String, String> env = new HashMap<>(lab.env());
        env.put("DISPLAY", x.display);
        String ws = "ws://127.0.0.1:" + server.port() + "/v1/ws";
        talk = lab.spawn("paplay", "-d", "alice_in", tone.toString()); // alice talks for 30 s
        try (ChildJvm bob = ChildJvm.start("gui-bob", env, "gui", "--signaling", ws, "--room", "dev", "--id", "bob",
            "--window-at", "0,0", "--video", "160x120@10", "--audio", "tone", "--exit-after", "120s")) {
          assertNotNull(bob.awaitLine("in room dev", 60), "bob's window did not join\n" + bob.describe());
          try (ChildJvm alice = ChildJvm.start("gui-alice", env, "gui", "--signaling", ws, "--room", "dev", "--id", "alice",
              "--call", "bob", "--window-at", "690,0", "--video", "160x120@10", "--audio", "mic:alice_mic",
              "--speaker=alice_spk", "--exit-after", "120s")) {
            String devices = alice.awaitLine("devices: ", 60);
            assertNotNull(devices, "alice's window listed no devices\n" + alice.describe());
            for (String shown : new String[] {"alice_microphone", "bob_microphone", "alice_speaker", "bob_speaker", "screen 0 1400x720"}) {
              assertTrue(devices.contains(shown), "the pickers lack " + shown + ": " + devices);
            }
            assertNotNull(alice.awaitLine("connected to bob", 60), alice.describe());
            String level = alice.awaitLine("microphone level", 30);
            assertNotNull(level, "the meter read no level while alice talked\n" + alice.describe());
            // the window says it at the first reading above 1 %; the virtual microphone's silence reads 0
            Matcher m = LEVEL.matcher(level);
            assertTrue(m.find() && Integer.parseInt(m.group(1)) >= 1, level);
            System.out.println("[gui-devices] " + devices + " | " + level);
          }
        }
      } finally {
        if (talk != null) talk.destroyForcibly();
      }
    }
  }
}
