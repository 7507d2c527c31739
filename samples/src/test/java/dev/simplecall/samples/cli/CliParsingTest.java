package dev.simplecall.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simplecall.IceServer;
import dev.simplecall.VideoSource;
import dev.simplecall.samples.Main;
import dev.simplecall.server.cli.ConfigDefaults;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Flags, help, defaults from environment and file, one-line errors: no native code involved. */
@Tag("fast")
class CliParsingTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(Map<String, String> env, String... args) {
    return Main.run(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void iceServerSpecIsUrlOrUrlUserCredential() {
    assertEquals(IceServer.of("stun:s:3478"), Converters.parseIceServer(" stun:s:3478 "));
    IceServer turn = Converters.parseIceServer("turns:10.0.0.5:5349,u,p");
    assertEquals(List.of("turns:10.0.0.5:5349"), turn.urls());
    assertEquals("u", turn.username());
    assertEquals("p", turn.credential());
    assertFalse(turn.insecureTls(), "certificates are checked unless --ice-insecure-tls");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Converters.parseIceServer("turn:t,u"));
    assertTrue(e.getMessage().contains("turn:t,u"), e.getMessage());
  }

  @Test
  void everyCommandHasHelpWithItsFlagsAndExitCodes() {
    String[][] expected = {
        {"demo", "--transport", "--duration", "--video"},
        {"server", "--bind", "--port", "--mqtt-bridge", "--embedded-mqtt", "--turn-secret", "--turn-secret-file", "--turn-uri",
            "--turn-ttl", "--allow-open-turn", "--max-sessions-per-ip", "--max-rooms-per-ip", "--max-connections-per-ip",
            "--request-read-timeout", "--join-timeout", "--trusted-proxy",
            "--auth-secret", "--auth-secret-file", "SIMPLECALL_AUTH_SECRET", "--allowed-origin", "--insecure",
            "--tls-cert", "--tls-key", "--tls-keystore", "--tls-keystore-password-file"},
        {"peer", "--signaling", "--room", "--id", "--call", "--ice-server", "--ice-insecure-tls", "--ice-policy", "--duration", "--video", "--token",
            "--ca-cert"},
        {"gui", "--signaling", "--room", "--id", "--call", "--ca-cert"},
        {"token", "--secret", "--secret-file", "--room", "--id", "--ttl"},
    };
    for (String[] e : expected) {
      out.getBuffer().setLength(0);
      assertEquals(0, run(Map.of(), e[0], "--help"), e[0]);
      String help = out.toString();
      for (int i = 1; i < e.length; i++) assertTrue(help.contains(e[i]), e[0] + " --help lacks " + e[i] + ":\n" + help);
      assertTrue(help.contains("Exit codes"), help);
      assertTrue(help.contains("--verbose"), help);
    }
    out.getBuffer().setLength(0);
    assertEquals(0, run(Map.of(), "--help"));
    for (String c : new String[] {"demo", "server", "peer", "gui", "token"}) assertTrue(out.toString().contains(c));
  }

  @Test
  void secretsComeFromFilesSoTheyStayOutOfTheProcessList(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("auth.secret");
    Files.writeString(file, "file-secret-0123456789\n");
    assertEquals(0, run(Map.of(), "token", "--secret-file", file.toString(), "--room", "r1", "--id", "alice"), err.toString());
    String token = out.toString().trim();
    com.auth0.jwt.interfaces.DecodedJWT jwt = com.auth0.jwt.JWT.require(
        com.auth0.jwt.algorithms.Algorithm.HMAC256("file-secret-0123456789")).build().verify(token);
    assertEquals("alice", jwt.getSubject(), "signed with the file's secret, line break stripped");

    assertEquals(ExitCodes.USAGE, run(Map.of(), "server", "--port", "0", "--auth-secret", "x", "--auth-secret-file", file.toString()));
    assertTrue(err.toString().contains("not both"), err.toString());
    assertEquals(ExitCodes.USAGE, run(Map.of(), "server", "--port", "0", "--turn-secret-file", dir.resolve("missing").toString(),
        "--turn-uri", "turn:127.0.0.1:3478"));
    assertTrue(err.toString().contains("cannot read --turn-secret-file"), err.toString());
    Files.writeString(dir.resolve("empty"), "\n");
    assertEquals(ExitCodes.USAGE, run(Map.of(), "token", "--secret-file", dir.resolve("empty").toString(), "--room", "r1", "--id", "a"));
    assertTrue(err.toString().contains("is empty"), err.toString());
  }

  @Test
  void unknownFlagIsOneLineAndExitTwo() {
    assertEquals(ExitCodes.USAGE, run(Map.of(), "peer", "--bogus"));
    String[] lines = err.toString().trim().split("\n");
    assertEquals(2, lines.length, err.toString());
    assertEquals("simplecall peer: Unknown option: '--bogus'", lines[0]);
    assertTrue(lines[1].startsWith("Try 'simplecall peer --help'"));
  }

  @Test
  void missingSignalingNamesTheFlagAndTheVariable() {
    assertEquals(ExitCodes.USAGE, run(Map.of(), "peer", "--room", "r1", "--id", "alice"));
    assertTrue(err.toString().contains("--signaling=URI") && err.toString().contains("SIMPLECALL_SIGNALING"), err.toString());
    assertFalse(err.toString().contains("Exception"), err.toString());
  }

  @Test
  void badValuesAreNamed() {
    assertEquals(ExitCodes.USAGE, run(Map.of(), "demo", "--duration", "soon"));
    assertTrue(err.toString().contains("\"soon\""), err.toString());
    err.getBuffer().setLength(0);
    assertEquals(ExitCodes.USAGE, run(Map.of(), "demo", "--video", "640by480"));
    assertTrue(err.toString().contains("WxH@FPS"), err.toString());
    err.getBuffer().setLength(0);
    assertEquals(ExitCodes.USAGE, run(Map.of(), "demo", "--transport", "pigeon"));
    assertTrue(err.toString().contains("unknown transport \"pigeon\""), err.toString());
    err.getBuffer().setLength(0);
    assertEquals(ExitCodes.USAGE, run(Map.of(), "peer", "--signaling", "ws://h/v1/ws", "--room", "a b", "--id", "x"));
    assertTrue(err.toString().contains("--room must be"), err.toString());
    err.getBuffer().setLength(0);
    assertEquals(ExitCodes.USAGE, run(Map.of(), "peer", "--ice-server", "http://not-ice", "--room", "r", "--id", "x"));
    assertTrue(err.toString().contains("http://not-ice"), err.toString());
    err.getBuffer().setLength(0);
    assertEquals(ExitCodes.USAGE, run(Map.of(), "peer", "--ice-policy", "sometimes"));
    assertTrue(err.toString().contains("sometimes"), err.toString());
    assertUsage("--random-loss-floor expects 0 to 100000 kbit/s: -5",
        "peer", "--signaling", "ws://h/v1/ws", "--room", "r", "--id", "x", "--random-loss-floor", "-5");
    assertUsage("--min-video-bitrate expects 0 to 100000 kbit/s: 200000",
        "peer", "--signaling", "ws://h/v1/ws", "--room", "r", "--id", "x", "--min-video-bitrate", "200000");
  }

  @Test
  void aPublicServerWithOpenTurnCredentialsIsAUsageErrorUnlessAllowed() throws Exception {
    // A port held here: a build that passes goes on to fail binding it (exit 3) instead of serving forever.
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("0.0.0.0"))) {
      String port = String.valueOf(taken.getLocalPort());
      String[] open = {"server", "--bind", "0.0.0.0", "--port", port, "--insecure", "--turn-secret", "t", "--turn-uri",
          "turn:127.0.0.1:3478"};
      assertEquals(ExitCodes.USAGE, run(Map.of(), open));
      assertTrue(err.toString().contains("--allow-open-turn") && err.toString().contains("open relay"), err.toString());
      err.getBuffer().setLength(0);
      String[] allowed = java.util.Arrays.copyOf(open, open.length + 1);
      allowed[open.length] = "--allow-open-turn";
      assertEquals(ExitCodes.SIGNALING, run(Map.of(), allowed));
      assertTrue(err.toString().contains("cannot start the server"), err.toString());
      err.getBuffer().setLength(0);
      assertEquals(ExitCodes.SIGNALING, run(Map.of("SIMPLECALL_ALLOW_OPEN_TURN", "true"), open));
    }
  }

  @Test
  void serverLimitFlagsAreChecked() {
    assertEquals(ExitCodes.USAGE, run(Map.of(), "server", "--turn-ttl", "soon"));
    assertTrue(err.toString().contains("\"soon\""), err.toString());
    err.getBuffer().setLength(0);
    assertEquals(ExitCodes.USAGE, run(Map.of(), "server", "--port", "0", "--max-sessions-per-ip", "0"));
    assertTrue(err.toString().contains("maxSessionsPerIp must be at least 1: 0"), err.toString());
    err.getBuffer().setLength(0);
    assertEquals(ExitCodes.USAGE, run(Map.of("SIMPLECALL_MAX_ROOMS_PER_IP", "-1"), "server", "--port", "0"));
    assertTrue(err.toString().contains("maxRoomsPerIp must be at least 1: -1"), err.toString());
    err.getBuffer().setLength(0);
    assertEquals(ExitCodes.USAGE, run(Map.of(), "server", "--port", "0", "--max-connections-per-ip", "0"));
    assertTrue(err.toString().contains("maxConnectionsPerIp must be at least 1: 0"), err.toString());
    err.getBuffer().setLength(0);
    assertEquals(ExitCodes.USAGE, run(Map.of("SIMPLECALL_TRUSTED_PROXY", "10.0.0.0/33"), "server", "--port", "0"));
    assertTrue(err.toString().contains("trusted proxy \"10.0.0.0/33\": the prefix length must be 0-32"), err.toString());
    err.getBuffer().setLength(0);
    assertEquals(ExitCodes.USAGE, run(Map.of(), "server", "--request-read-timeout", "0s"));
    assertTrue(err.toString().contains("duration must be positive"), err.toString());
    err.getBuffer().setLength(0);
    assertEquals(ExitCodes.USAGE, run(Map.of("SIMPLECALL_JOIN_TIMEOUT", "soon"), "server", "--port", "0"));
    assertTrue(err.toString().contains("\"soon\""), err.toString());
    err.getBuffer().setLength(0);
    assertEquals(ExitCodes.USAGE, run(Map.of("SIMPLECALL_PREVIOUS_AUTH_SECRET", "old"), "server", "--port", "0"));
    assertTrue(err.toString().contains("--previous-auth-secret needs --auth-secret"), err.toString());
    err.getBuffer().setLength(0);
    assertEquals(ExitCodes.USAGE, run(Map.of(), "server", "--port", "0", "--auth-secret", "new", "--previous-auth-secret",
        "old", "--previous-auth-secret-for", "soon"));
    assertTrue(err.toString().contains("\"soon\""), err.toString());
  }

  @Test
  void tlsFlagsAreCheckedBeforeAnythingStarts(@TempDir Path dir) throws Exception {
    String missing = dir.resolve("missing.pem").toString();
    assertUsage("--tls-cert and --tls-key go together", "server", "--port", "0", "--tls-cert", missing);
    assertUsage("give either --tls-cert/--tls-key or --tls-keystore, not both",
        "server", "--port", "0", "--tls-cert", missing, "--tls-key", missing, "--tls-keystore", missing);
    assertUsage("--tls-keystore-password-file needs --tls-keystore", "server", "--port", "0", "--tls-keystore-password-file", missing);
    assertUsage("cannot read the TLS certificate chain " + missing, "server", "--port", "0", "--tls-cert", missing, "--tls-key", missing);
    assertUsage("cannot read --ca-cert " + missing, "peer", "--signaling", "wss://127.0.0.1:1/v1/ws", "--room", "r1", "--id", "a",
        "--ca-cert", missing);
    Path notPem = Files.writeString(dir.resolve("ca.txt"), "no certificate here\n");
    assertUsage("--ca-cert " + notPem + " holds no -----BEGIN CERTIFICATE----- block",
        "peer", "--signaling", "wss://127.0.0.1:1/v1/ws", "--room", "r1", "--id", "a", "--ca-cert", notPem.toString());
  }

  private void assertUsage(String expected, String... args) {
    err.getBuffer().setLength(0);
    assertEquals(ExitCodes.USAGE, run(Map.of(), args), err.toString());
    assertTrue(err.toString().contains(expected), err.toString());
  }

  @Test
  void tokenIsPrintedAlone() {
    assertEquals(0, run(Map.of(), "token", "--secret", "s3cret", "--room", "r1", "--id", "alice"));
    String token = out.toString().trim();
    assertEquals(3, token.split("\\.").length, "a JWT: " + token);
    assertEquals(ExitCodes.USAGE, run(Map.of(), "token", "--room", "r1", "--id", "alice"));
    assertTrue(err.toString().contains("--secret"), err.toString());
  }

  @Test
  void missingConfigFileIsAUsageError() {
    assertEquals(ExitCodes.USAGE, run(Map.of(), "peer", "--config", "/nonexistent/simplecall.properties"));
    assertEquals("simplecall: config file not found: /nonexistent/simplecall.properties", err.toString().trim());
  }

  @Command(name = "peer")
  static final class Probe implements Runnable {
    @Option(names = "--signaling") String signaling;
    @Option(names = "--room", defaultValue = "built-in") String room;
    @Option(names = "--id") String id;
    @Option(names = "--ice-server") String iceServer;

    @Override
    public void run() {}
  }

  @Test
  void commandLineBeatsEnvironmentBeatsFileBeatsBuiltIn(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("simplecall.properties");
    Files.writeString(file, "signaling=ws://file:1/v1/ws\nroom=file-room\npeer.id=file-id\nice-server=stun:file:3478\n");
    Properties props = ConfigDefaults.load(file);

    Probe p = parse(Map.of(), props);
    assertEquals("ws://file:1/v1/ws", p.signaling);
    assertEquals("file-room", p.room);
    assertEquals("file-id", p.id, "command-specific key peer.id");
    assertEquals("stun:file:3478", p.iceServer, "dashes kept in file keys");

    p = parse(Map.of("SIMPLECALL_SIGNALING", "mqtt://env:1883", "SIMPLECALL_PEER_ID", "env-id",
        "SIMPLECALL_ICE_SERVER", "stun:env:3478"), props);
    assertEquals("mqtt://env:1883", p.signaling);
    assertEquals("env-id", p.id);
    assertEquals("stun:env:3478", p.iceServer);
    assertEquals("file-room", p.room);

    p = parse(Map.of("SIMPLECALL_ROOM", "env-room"), props, "--room", "cli-room");
    assertEquals("cli-room", p.room);

    p = parse(Map.of(), new Properties());
    assertEquals("built-in", p.room);
    assertNull(p.signaling);
  }

  private static Probe parse(Map<String, String> env, Properties file, String... args) {
    Probe probe = new Probe();
    CommandLine cl = new CommandLine(probe);
    cl.setDefaultValueProvider(new ConfigDefaults(env, file));
    cl.parseArgs(args);
    return probe;
  }

  @Test
  void anAllowedOriginThatIsNoOriginIsAUsageError() {
    assertEquals(ExitCodes.USAGE, run(Map.of(), "server", "--port", "0", "--allowed-origin", "app.example.com"));
    assertTrue(err.toString().contains("app.example.com") && err.toString().contains("scheme://host"), err.toString());
    assertFalse(err.toString().contains("Exception"), err.toString());
  }

  @Test
  void durationsAndVideoSpecs() {
    assertEquals(Duration.ofSeconds(5), Converters.parseDuration("5s"));
    assertEquals(Duration.ofMillis(500), Converters.parseDuration("500ms"));
    assertEquals(Duration.ofMinutes(2), Converters.parseDuration("2m"));
    assertEquals(Duration.ofMillis(1500), Converters.parseDuration("1.5s"));
    assertEquals(Duration.ofSeconds(7), Converters.parseDuration("7"));
    assertEquals(Duration.ofSeconds(30), Converters.parseDuration("PT30S"));
    assertThrows(IllegalArgumentException.class, () -> Converters.parseDuration("5 parsecs"));
    assertEquals(new VideoSpec(640, 480, 30), VideoSpec.parse("640x480@30"));
    assertEquals(new VideoSpec(320, 240, 30), VideoSpec.parse("320x240"));
    assertThrows(IllegalArgumentException.class, () -> VideoSpec.parse("640x480@0"));
    assertThrows(IllegalArgumentException.class, () -> VideoSpec.parse("8x8@30"));
  }

  @Test
  void videoFlagTakesPatternScreenFileOrNone(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    VideoSource bare = VideoFlags.video("320x240@15");
    assertEquals(VideoSource.Kind.TEST_PATTERN, bare.kind(), "a bare WxH@FPS keeps meaning the test pattern");
    assertEquals(320, bare.width());
    assertEquals(15, bare.fps());
    assertEquals("VideoSource[TEST_PATTERN 640x480@30]", VideoFlags.video("pattern").toString());
    assertEquals("VideoSource[TEST_PATTERN 160x120@5]", VideoFlags.video("pattern:160x120@5").toString());
    assertEquals("VideoSource[none]", VideoFlags.video("none").toString());
    assertEquals("VideoSource[screen 0 @15]", VideoFlags.video("screen").toString());
    assertEquals("VideoSource[screen 1 @15]", VideoFlags.video("screen:1").toString());
    assertEquals("VideoSource[screen 0 @5]", VideoFlags.video("screen@5").toString());
    assertEquals("VideoSource[screen 2 @30]", VideoFlags.video("screen:2@30").toString());
    java.nio.file.Path y4m = dir.resolve("a.y4m");
    java.nio.file.Files.writeString(y4m, "YUV4MPEG2 W32 H16 F25:1 C420jpeg\n");
    VideoSource file = VideoFlags.video("file:" + y4m);
    assertEquals(VideoSource.Kind.FILE, file.kind());
    assertEquals(32, file.width());
    assertEquals(25, file.fps());
    assertTrue(file.loop());
    assertEquals("VideoSource[window \"Slides - Impress\" @15]", VideoFlags.video("window:Slides - Impress").toString());
    assertEquals("VideoSource[window \"a@b\" @5]", VideoFlags.video("window:a@b@5").toString());
    assertEquals("VideoSource[camera 640x480@30]", VideoFlags.video("camera").toString());
    assertEquals("VideoSource[camera 320x240@15]", VideoFlags.video("camera:320x240@15").toString());
    assertEquals("VideoSource[camera \"front\" 640x480@30]", VideoFlags.video("camera:front").toString());
    assertEquals("VideoSource[camera \"/dev/video1\" 1280x720@25]", VideoFlags.video("camera:/dev/video1:1280x720@25").toString());
    for (String bad : new String[] {"window:", "window:@5", "window:x@0", "camera:", "camera::640x480", "screen:x", "screen@0", "file:", "file:" + dir.resolve("missing.y4m"), "camera2", "640by480"}) {
      CliException e = assertThrows(CliException.class, () -> VideoFlags.video(bad), bad);
      assertTrue(e.getMessage().startsWith("--video"), e.getMessage());
    }
  }

  @Test
  void screenWithoutDisplayIsAUsageErrorBeforeTheCall() {
    // tests run with java.awt.headless=true: no display, whatever DISPLAY says
    assertEquals(ExitCodes.USAGE, run(Map.of(), "peer", "--signaling", "ws://127.0.0.1:9/v1/ws", "--room", "r", "--id", "a",
        "--video", "screen"));
    assertTrue(err.toString().contains("--video screen: screen capture needs an X display"), err.toString());
  }

  @Test
  void transportFollowsSchemeOrFlag() {
    assertEquals("websocket", Transports.nameOf(URI.create("ws://h:8080/v1/ws")));
    assertEquals("websocket", Transports.nameOf(URI.create("wss://h/v1/ws")));
    assertEquals("mqtt", Transports.nameOf(URI.create("mqtt://h:1883")));
    assertEquals("http-poll", Transports.nameOf(URI.create("http://h:8080")));
    assertEquals("memory", Transports.nameOf(URI.create("memory://x")));
    assertEquals(URI.create("http://h:8080"), Transports.forTransport(URI.create("ws://h:8080/v1/ws"), "http-poll"));
    assertEquals(URI.create("ws://h:8080/v1/ws"), Transports.forTransport(URI.create("http://h:8080"), "websocket"));
    assertEquals(URI.create("wss://h:443/v1/ws"), Transports.forTransport(URI.create("https://h:443"), "websocket"));
    CliException e = assertThrows(CliException.class, () -> Transports.forTransport(URI.create("ws://h:8080/v1/ws"), "mqtt"));
    assertTrue(e.getMessage().contains("mqtt://"), e.getMessage());
    assertThrows(CliException.class, () -> Transports.parse("no-scheme"));
  }

  @Test
  void resultLineHasEveryContractKeyAndQuotesTheReason() {
    PeerResult ok = new PeerResult("alice", "websocket", true, 84, 131, 147, 29.6, 640, 480, 250, 0.6,
        "host", "host", "udp", 1.2, null, 0);
    assertEquals("RESULT peer=alice transport=websocket ok=true connected_ms=84 first_frame_ms=131 frames_received=147"
        + " fps=29.6 width=640 height=480 audio_packets=250 rtt_ms=0.6 candidate=host remote_candidate=host"
        + " candidate_protocol=udp dc_echo_ms=1.2", ok.toLine());
    PeerResult failed = PeerResult.failed("bob", "mqtt", "no route: try a TURN server", ExitCodes.ICE_FAILED);
    assertTrue(failed.toLine().startsWith("RESULT peer=bob transport=mqtt ok=false "), failed.toLine());
    assertTrue(failed.toLine().endsWith(" reason=\"no route: try a TURN server\""), failed.toLine());
    assertTrue(failed.toLine().contains(" candidate=none "), failed.toLine());
  }

  @Test
  void plainConsoleThrottlesStatusAndPrefixesPeers() {
    StringWriter w = new StringWriter();
    Console c = new Console(new PrintWriter(w, true), false, true);
    c.progress("alice", "connected");
    c.status("alice", "CONNECTED 30 fps");
    c.status("alice", "CONNECTED 29 fps");
    c.line("RESULT peer=alice");
    assertEquals("[alice] connected\n[alice] CONNECTED 30 fps\nRESULT peer=alice\n", w.toString().replace("\r\n", "\n"));
  }

  @Test
  void liveConsoleRedrawsInPlaceAndClearsBeforeProgress() {
    StringWriter w = new StringWriter();
    Console c = new Console(new PrintWriter(w, true), true, false);
    c.status("alice", "CONNECTED 30 fps");
    c.progress("alice", "first remote video frame");
    String s = w.toString();
    assertTrue(s.startsWith("CONNECTED 30 fps\r"), s);
    assertTrue(s.contains("\rfirst remote video frame"), s);
    assertTrue(s.endsWith("CONNECTED 30 fps"), "status redrawn after the progress line: " + s);
  }
}
