package dev.simplecall.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.samples.Main;
import dev.simplecall.samples.ToneWav;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code simplecall demo} in this JVM over each transport: real server/broker, real WebRTC peers. */
class DemoCommandTest {
  private static final Pattern FRAMES = Pattern.compile(" frames_received=(\\d+) ");
  private static final Pattern AUDIO = Pattern.compile(" audio_packets=(\\d+) ");

  @ParameterizedTest
  @ValueSource(strings = {"memory", "websocket", "http-poll", "mqtt"})
  void demoPrintsProgressAndTwoOkResultLines(String transport) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new String[] {"demo", "--transport", transport, "--duration", "3s", "--video", "320x240@30"},
        Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
    List<String> lines = Arrays.asList(out.toString().split("\\R"));
    String all = "stdout:\n" + out + "\nstderr (last 3000 chars):\n" + tail(err.toString());
    assertEquals(0, code, all);
    assertTrue(lines.size() > 4, all);
    String alice = lines.get(lines.size() - 2);
    String bob = lines.get(lines.size() - 1);
    assertTrue(alice.startsWith("RESULT peer=alice transport=" + transport + " ok=true "), all);
    assertTrue(bob.startsWith("RESULT peer=bob transport=" + transport + " ok=true "), all);
    for (String r : List.of(alice, bob)) {
      assertTrue(count(FRAMES, r) > 10, r);
      assertTrue(count(AUDIO, r) > 10, r);
      assertTrue(r.contains(" width=320 height=240 "), r);
      assertTrue(r.contains(" candidate=host "), r);
    }
    assertTrue(out.toString().contains("[alice] calling bob"), all);
    assertTrue(out.toString().contains("[bob] first remote frame after "), all);
    assertTrue(out.toString().contains("[alice] first remote frame after "), all);
  }

  /**
   * {@code demo --cluster}: two signaling servers on a redis-server the demo starts, alice joined
   * through one and bob through the other; they meet in the room and the call works both ways.
   */
  @Test
  void demoWithClusterPutsThePeersOnTwoNodesAndTheCallWorks() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new String[] {"demo", "--cluster", "--duration", "3s", "--video", "320x240@15"},
        Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
    String all = "stdout:\n" + out + "\nstderr (last 3000 chars):\n" + tail(err.toString());
    assertEquals(0, code, all);
    Matcher nodes = Pattern.compile("two signaling servers clustered on a redis-server at redis://\\S+ \\((ws://\\S+), (ws://\\S+)\\)")
        .matcher(out.toString());
    assertTrue(nodes.find(), all);
    assertTrue(!nodes.group(1).equals(nodes.group(2)), all);
    assertTrue(out.toString().contains("[alice] joining demo via " + nodes.group(1)), all);
    assertTrue(out.toString().contains("[bob] joining demo via " + nodes.group(2)), all);
    List<String> lines = Arrays.asList(out.toString().split("\\R"));
    for (String r : lines.subList(lines.size() - 2, lines.size())) {
      assertTrue(r.matches("RESULT peer=(alice|bob) transport=websocket ok=true .*"), all);
      assertTrue(count(FRAMES, r) > 10, r);
    }
  }

  /** alice sends a WAV file instead of her tone; bob records what he receives. */
  @Test
  void demoSendsAlicesFileAudioAndBobRecordsIt(@TempDir Path tmp) throws Exception {
    Path wav = tmp.resolve("alice.wav");
    ToneWav.write(wav, 1000, 2);
    Path rec = tmp.resolve("rec");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new String[] {"demo", "--transport", "memory", "--duration", "3s", "--video", "160x120@15",
        "--audio", "file:" + wav, "--record", rec.toString()}, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
    String all = "stdout:\n" + out + "\nstderr (last 3000 chars):\n" + tail(err.toString());
    assertEquals(0, code, all);
    Matcher m = Pattern.compile("\\[bob\\] recorded \\S+ \\((\\d+) frames at 30 fps\\) and \\S+ \\((\\d+\\.\\d) s\\)").matcher(out.toString());
    assertTrue(m.find(), "bob printed no recording line: " + all);
    assertTrue(Long.parseLong(m.group(1)) > 30, m.group());
    assertTrue(Double.parseDouble(m.group(2)) > 1.5, m.group());
    assertTrue(Files.size(rec.resolve("audio.wav")) > 44 + 48_000, "audio.wav holds no second of audio");
    assertTrue(Files.size(rec.resolve("video.y4m")) > 0);
  }

  /**
   * bob's recording fails, at its start (a directory that cannot be made) and mid-call (a full disk:
   * the files are /dev/full): each time the call goes on and both peers end {@code ok=true}.
   */
  @Test
  void aRecordingThatCannotBeWrittenFailsAloneAndTheCallGoesOn(@TempDir Path tmp) throws Exception {
    Path full = Files.createDirectories(tmp.resolve("full"));
    Files.createSymbolicLink(full.resolve("video.y4m"), Path.of("/dev/full"));
    Files.createSymbolicLink(full.resolve("audio.wav"), Path.of("/dev/full"));
    String[][] cases = {
        {"/dev/full/rec", "\\[bob\\] cannot record into /dev/full/rec: .+; the call goes on without recording"},
        {full.toString(), "\\[bob\\] recording into " + Pattern.quote(full.toString()) + " failed: .*No space left on device.*; the call goes on"}};
    for (String[] c : cases) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code = Main.run(new String[] {"demo", "--transport", "memory", "--duration", "3s", "--video", "160x120@15",
          "--record", c[0]}, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
      String all = "stdout:\n" + out + "\nstderr (last 3000 chars):\n" + tail(err.toString());
      assertEquals(0, code, all);
      assertTrue(Pattern.compile(c[1]).matcher(out.toString()).find(), "no recording failure line: " + all);
      assertEquals(2, Pattern.compile("^RESULT .*ok=true", Pattern.MULTILINE).matcher(out.toString()).results().count(), all);
    }
  }

  private static long count(Pattern p, String line) {
    Matcher m = p.matcher(line);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  private static String tail(String s) {
    return s.length() <= 3000 ? s : s.substring(s.length() - 3000);
  }
}
