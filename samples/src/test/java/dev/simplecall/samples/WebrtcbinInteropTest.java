package dev.simplecall.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Calls between {@code simplecall peer} and another WebRTC stack: Debian's GStreamer 1.22 webrtcbin,
 * driven by {@code src/test/python/webrtcbin_peer.py} over the server's long-poll endpoint. Every call
 * must carry video, audio and the "ping" channel both ways (the CLI's RESULT ok=true). webrtcbin
 * answers a re-offer with the DTLS role it does not hold and takes its role from its latest answer in
 * mid-handshake; when both call at once the CLI (polite) answers webrtcbin's offer and then re-offers,
 * which is exactly that case.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebrtcbinInteropTest {
  private static final Path SCRIPT = Path.of("src/test/python/webrtcbin_peer.py");
  private static final String PYTHON = "/usr/bin/python3";
  private static final String PACKAGES = "python3-gi gir1.2-gst-plugins-bad-1.0 gir1.2-gst-plugins-base-1.0 "
      + "gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-nice";
  private static final Pattern GST_RESULT = Pattern.compile(
      "RESULT id=\\S+ connected=(\\w+) frames=(\\d+) audio=(\\d+) pings=(\\d+) offers=(\\d+) answers=(\\d+)");
  private static final Path LOGS = Path.of("target", "webrtcbin");

  private InteropServer server;

  @BeforeAll
  void start() throws Exception {
    requireGStreamer();
    Files.createDirectories(LOGS);
    server = InteropServer.start();
  }

  @AfterAll
  void stop() {
    if (server != null) server.close();
  }

  @Test
  void theCliPeerCallsWebrtcbinOverWebSocket() throws Exception {
    Gst gst = Gst.start(server, "cli-calls", "gst", null, "--timeout", "60");
    String result = CliRun.peer("--signaling", server.webSocketUri().toString(), "--room", "cli-calls",
        "--id", "java", "--call", "gst", "--duration", "3s", "--video", "320x240@15", "--wait", "30s");
    assertOk(result, gst.finish());
  }

  @Test
  void webrtcbinCallsTheCliPeer() throws Exception {
    CompletableFuture<String> cli = CompletableFuture.supplyAsync(() -> CliRun.peer("--signaling",
        server.httpUri().toString(), "--room", "gst-calls", "--id", "java", "--duration", "3s",
        "--video", "320x240@15", "--wait", "30s"));
    Thread.sleep(500);
    Gst gst = Gst.start(server, "gst-calls", "gst", "java", "--duration", "3", "--timeout", "30");
    assertOk(cli.get(60, TimeUnit.SECONDS), gst.finish());
  }

  @Test
  void bothCallingAtOnceConnectsEveryTime() throws Exception {
    int tries = 4;
    int glare = 0;
    for (int i = 0; i < tries; i++) {
      String room = "glare-" + i;
      Gst gst = Gst.start(server, room, "gst", "java", "--timeout", "30");
      Thread.sleep(300); // gst is in the room: java's arrival makes both call at once
      String result = CliRun.peer("--signaling", server.webSocketUri().toString(), "--room", room, "--id", "java",
          "--call", "gst", "--duration", "2s", "--video", "320x240@15", "--wait", "30s");
      Finished g = gst.finish();
      assertOk(result, g);
      if (g.stderr.contains("glare: ignoring their offer")) glare++;
    }
    System.out.println("webrtcbin glare: " + glare + " of " + tries + " tries were glare, all connected");
    assertTrue(glare >= 1, "no try was glare: the test did not test what it says");
  }

  private static void assertOk(String cliResult, Finished gst) {
    assertTrue(cliResult.contains(" ok=true "), cliResult + "\nwebrtcbin: " + gst);
    Matcher m = GST_RESULT.matcher(gst.stdout);
    assertTrue(m.find(), "no RESULT from webrtcbin: " + gst);
    assertEquals("true", m.group(1), "webrtcbin: " + gst);
    assertTrue(Long.parseLong(m.group(2)) > 0 && Long.parseLong(m.group(3)) > 0, "webrtcbin decoded no media: " + gst);
    assertTrue(Long.parseLong(m.group(4)) > 0, "webrtcbin answered no ping: " + gst);
  }

  private static void requireGStreamer() throws Exception {
    String check = "import gi\n"
        + "for ns in ('Gst', 'GstSdp', 'GstWebRTC'): gi.require_version(ns, '1.0')\n"
        + "from gi.repository import Gst, GstWebRTC\n"
        + "Gst.init(None)\n"
        + "missing = [e for e in ('webrtcbin', 'vp8enc', 'vp8dec', 'opusenc', 'nicesrc', 'videotestsrc') if not Gst.ElementFactory.find(e)]\n"
        + "assert not missing, 'missing GStreamer elements: %s' % missing\n";
    Process p;
    try {
      p = new ProcessBuilder(PYTHON, "-c", check).redirectErrorStream(true).start();
    } catch (IOException e) {
      fail(PYTHON + " is missing: apt-get install " + PACKAGES + " (./scripts/test does it)");
      return;
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      fail("GStreamer's webrtcbin is not usable from Python (" + out.strip() + "): apt-get install " + PACKAGES
          + " (./scripts/test does it)");
    }
  }

  record Finished(int exit, String stdout, String stderr) {
    @Override
    public String toString() {
      return "exit " + exit + "\nstdout: " + stdout + "\nstderr (end): "
          + stderr.substring(Math.max(0, stderr.length() - 3000));
    }
  }

  /** One run of the webrtcbin peer script; its stderr goes to target/webrtcbin/ROOM.log. */
  private static final class Gst {
    private final Process process;
    private final Path log;

    private Gst(Process process, Path log) {
      this.process = process;
      this.log = log;
    }

    static Gst start(InteropServer server, String room, String id, String call, String... more) throws IOException {
      List<String> cmd = new ArrayList<>(List.of(PYTHON, SCRIPT.toString(), "--server", server.baseUrl(),
          "--room", room, "--id", id));
      if (call != null) cmd.addAll(List.of("--call", call));
      cmd.addAll(List.of(more));
      Path log = LOGS.resolve(room + ".log");
      Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
      return new Gst(p, log);
    }

    Finished finish() throws Exception {
      try {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
          fail("the webrtcbin peer did not end within 60 s: " + Files.readString(log));
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Finished(process.exitValue(), out, Files.readString(log));
      } finally {
        process.destroyForcibly();
      }
    }
  }
}
